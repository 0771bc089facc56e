"""Conversations (chat sessions): at most one open per user; whether one is live is ``expiry.live``."""

from django.db import IntegrityError, transaction
from django.db.models import Case, F, QuerySet, Value, When
from django.utils import timezone

from myApp.accounts.models import User
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.sessions import expiry, history_cache
from myApp.sessions.models import Conversation, DeviceType, Message

MAX_MESSAGE_LENGTH = 4000
CREATE_ATTEMPTS = 3


def guess_device_type(user_agent: str) -> str:
    agent = user_agent.lower()
    if "ipad" in agent or "tablet" in agent:
        return DeviceType.TABLET
    if "mobi" in agent or "android" in agent or "iphone" in agent:
        return DeviceType.MOBILE
    return DeviceType.DESKTOP if agent else DeviceType.UNKNOWN


def _client_fields(
    ip_address: str | None, client_reported_ip: str | None, user_agent: str, device_type: str | None
) -> dict:
    user_agent = (user_agent or "")[:512]
    return {
        "ip_address": ip_address or None,
        "client_reported_ip": client_reported_ip or None,
        "user_agent": user_agent,
        "device_type": device_type if device_type in DeviceType.values else guess_device_type(user_agent),
    }


def conversations_close(*, conversations: QuerySet[Conversation], now=None) -> list[int]:
    """End the open conversations among ``conversations``: a live one now, one that timed out at the moment
    it timed out (``expiry.timed_out_at``). Returns their ids; their cached history goes once this commits."""
    now = now or timezone.now()
    closing = list(conversations.filter(ended_at__isnull=True).values_list("pk", flat=True))
    if closing:
        with transaction.atomic():
            # One statement, so each row is judged live or not as it is updated.
            Conversation.objects.filter(pk__in=closing, ended_at__isnull=True).update(
                ended_at=Case(When(expiry.live(now), then=Value(now)), default=expiry.timed_out_at())
            )
            transaction.on_commit(lambda: history_cache.forget(*closing))
    return closing


def conversation_create(
    *,
    user: User,
    ip_address: str | None = None,
    client_reported_ip: str | None = None,
    user_agent: str = "",
    device_type: str | None = None,
) -> Conversation:
    """Start a fresh conversation, ending the user's active one if any.

    ``ip_address`` is the address the server observed (``client_ip``); an address the client states about itself
    goes in ``client_reported_ip`` and nowhere else."""
    for _attempt in range(CREATE_ATTEMPTS):
        try:
            with transaction.atomic():
                conversations_close(conversations=Conversation.objects.filter(user=user))
                conversation = Conversation.objects.create(
                    user=user, **_client_fields(ip_address, client_reported_ip, user_agent, device_type)
                )
        except IntegrityError:  # a concurrent create took the single open slot; end it and retry
            continue
        track(event_type=events.CHAT_SESSION_STARTED, user=user, data={"session_id": str(conversation.session_id)})
        return conversation
    raise RuntimeError("could not create a conversation after concurrent retries")


def conversation_get_or_create_active(
    *,
    user: User,
    ip_address: str | None = None,
    client_reported_ip: str | None = None,
    user_agent: str = "",
    device_type: str | None = None,
) -> tuple[Conversation, bool]:
    """The user's live conversation, or a new one (closing the one that timed out, if any)."""
    for _attempt in range(CREATE_ATTEMPTS):
        active = Conversation.objects.filter(expiry.live(), user=user).first()
        if active is not None:
            return active, False
        try:
            with transaction.atomic():
                # Only one that is no longer live: a live one a concurrent request just made is theirs and ours.
                conversations_close(conversations=Conversation.objects.filter(user=user).exclude(expiry.live()))
                conversation = Conversation.objects.create(
                    user=user, **_client_fields(ip_address, client_reported_ip, user_agent, device_type)
                )
        except IntegrityError:  # a concurrent request created it first: use theirs
            continue
        track(event_type=events.CHAT_SESSION_STARTED, user=user, data={"session_id": str(conversation.session_id)})
        return conversation, True
    raise RuntimeError("could not find or create a conversation after concurrent retries")


@transaction.atomic
def conversation_end(*, conversation: Conversation, by: User | None = None) -> Conversation:
    """A person ends the conversation: its owner (page, API) or staff (acting for them, or the admin action).

    Logged as ``chat_session_ended`` when this call closed it, by ``by`` (the owner when not given). The
    automatic closes (``conversations_close`` from a new conversation, the expiry, retention) are not a
    person's action and log nothing: a new conversation logs its own ``chat_session_started``."""
    closed = conversations_close(conversations=Conversation.objects.filter(pk=conversation.pk))
    conversation.refresh_from_db()
    if closed:
        actor = by or conversation.user
        track(
            event_type=events.CHAT_SESSION_ENDED,
            user=actor,
            data={
                "session_id": str(conversation.session_id),
                "messages": conversation.message_count,
                "by_owner": actor.pk == conversation.user_id,
            },
        )
    return conversation


def message_new(
    *,
    conversation: Conversation,
    role: str,
    content: str,
    metadata: dict | None = None,
    tokens_used: int | None = None,
    model_used: str = "",
    message_type: str = "text",
    safety_flag: str = "",
) -> Message:
    """An unsaved message of the conversation, for ``messages_add``."""
    return Message(
        user_id=conversation.user_id,
        conversation=conversation,
        role=role,
        content=content,
        message_type=message_type,
        metadata=metadata or {},
        tokens_used=tokens_used,
        model_used=model_used,
        safety_flag=safety_flag,
    )


def messages_add(*, conversation: Conversation, messages: list[Message], context: dict | None = None) -> list[Message]:
    """Append messages (one INSERT), bump the conversation's counters (one UPDATE that returns the new count
    into ``conversation``) and, once this commits, cache the history once: ``context`` (the history entry the
    caller read, ``selectors.turn_context``) with these messages appended when nobody else wrote in between,
    else rebuilt from the database."""
    now = timezone.now()
    # No savepoint inside a caller's transaction (a chat turn's): a failure here fails the whole of it anyway.
    with transaction.atomic(savepoint=False):
        created = Message.objects.bulk_create(messages)
        conversation.message_count = F("message_count") + len(created)
        conversation.last_activity_at = now
        conversation.save(update_fields=["message_count", "last_activity_at"])  # RETURNING the new count
        entry = history_cache.extended(context, created, conversation.message_count) if context else None
        pk = conversation.pk
        if entry is None:
            transaction.on_commit(lambda: history_cache.rebuild(pk))
        else:
            transaction.on_commit(lambda: history_cache.store(pk, entry))
    return created


def message_add(*, conversation: Conversation, role: str, content: str, **fields) -> Message:
    """Append a message, bump the conversation's counters atomically, refresh the history cache (``message_new``
    names the other fields)."""
    (message,) = messages_add(
        conversation=conversation,
        messages=[message_new(conversation=conversation, role=role, content=content, **fields)],
    )
    return message
