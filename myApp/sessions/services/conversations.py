"""Conversations (chat sessions): at most one active per user, expiring after inactivity."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from myApp.accounts.models import User
from myApp.analytics.services import track
from myApp.sessions import history_cache
from myApp.sessions.models import Conversation, DeviceType, Message

MAX_MESSAGE_LENGTH = 4000


def _timeout() -> timedelta:
    return timedelta(hours=settings.CHAT_SESSION_TIMEOUT_HOURS)


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


def _end(conversation_ids: list[int], now) -> None:
    Conversation.objects.filter(pk__in=conversation_ids, is_active=True).update(is_active=False, ended_at=now)
    for conversation_id in conversation_ids:
        history_cache.forget(conversation_id)


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
    now = timezone.now()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                _end(list(Conversation.objects.filter(user=user, is_active=True).values_list("pk", flat=True)), now)
                conversation = Conversation.objects.create(
                    user=user,
                    expires_at=now + _timeout(),
                    **_client_fields(ip_address, client_reported_ip, user_agent, device_type),
                )
        except IntegrityError:  # a concurrent create won the single active slot; end it and retry
            continue
        track(event_type="chat_session_started", user=user, data={"session_id": str(conversation.session_id)})
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
    """The user's active conversation, or a new one when there is none or it expired."""
    now = timezone.now()
    active = Conversation.objects.filter(user=user, is_active=True).first()
    if active is not None and (active.expires_at is None or active.expires_at > now):
        return active, False
    if active is not None:
        _end([active.pk], now)
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                user=user,
                expires_at=now + _timeout(),
                **_client_fields(ip_address, client_reported_ip, user_agent, device_type),
            )
    except IntegrityError:  # a concurrent request created it first: use theirs
        return Conversation.objects.get(user=user, is_active=True), False
    track(event_type="chat_session_started", user=user, data={"session_id": str(conversation.session_id)})
    return conversation, True


def conversation_end(*, conversation: Conversation) -> Conversation:
    _end([conversation.pk], timezone.now())
    conversation.refresh_from_db()
    return conversation


def message_add(
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
    """Append a message, bump the conversation's counters atomically, refresh the history cache."""
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.create(
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
        Conversation.objects.filter(pk=conversation.pk).update(
            message_count=F("message_count") + 1, last_activity_at=now, expires_at=now + _timeout()
        )
        transaction.on_commit(lambda: history_cache.rebuild(conversation.pk))
    return message
