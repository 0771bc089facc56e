"""Retention: close conversations that are no longer live (``expiry.live``), delete those past the retention
period."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from myApp.sessions import expiry, history_cache
from myApp.sessions.models import Conversation, Message
from myApp.sessions.services.conversations import conversations_close


@dataclass
class RetentionReport:
    ended: int
    deleted_conversations: int
    deleted_messages: int
    dry_run: bool


def conversations_apply_retention(
    *,
    dry_run: bool = False,
    retention_days: int | None = None,
    now: datetime | None = None,
    batch_size: int | None = None,
) -> RetentionReport:
    """Delete the conversations last active more than ``retention_days`` (default ``RETENTION_CHAT_DAYS``) ago,
    with their messages, in batches (``myApp.lib.retention``), then close the open conversations that timed out
    (so ``ended_at`` says when). This is the registry's ``chat`` kind.

    There is no timeout of its own: a conversation is closed exactly when ``expiry.live`` says it is over."""
    from myApp.lib.retention import delete_in_batches

    now = now or timezone.now()
    older_than = now - timedelta(days=retention_days or settings.RETENTION_CHAT_DAYS)
    to_delete = Conversation.objects.filter(last_activity_at__lt=older_than)
    to_end = Conversation.objects.filter(ended_at__isnull=True, last_activity_at__gte=older_than).exclude(
        expiry.live(now)
    )
    if dry_run:
        return RetentionReport(
            ended=to_end.count(),
            deleted_conversations=to_delete.count(),
            deleted_messages=Message.objects.filter(conversation__last_activity_at__lt=older_than).count(),
            dry_run=True,
        )

    def forget_when_committed(keys: list[int]) -> None:
        transaction.on_commit(lambda: history_cache.forget(*keys))

    deleted = delete_in_batches(
        to_delete, batch_size=batch_size or settings.RETENTION_BATCH_SIZE, on_batch=forget_when_committed
    )
    with transaction.atomic():
        ended = len(conversations_close(conversations=to_end, now=now))
    return RetentionReport(
        ended=ended,
        deleted_conversations=deleted.get(Conversation._meta.label, 0),
        deleted_messages=deleted.get(Message._meta.label, 0),
        dry_run=False,
    )


def conversations_delete(*, conversation_ids: Iterable[int]) -> RetentionReport:
    """Delete conversations with their messages and module completions (an erasure by staff), and drop
    their cached history once the deletion commits, so no copy of the chat outlives it in Redis."""
    ids = list(conversation_ids)
    with transaction.atomic():
        message_count = Message.objects.filter(conversation_id__in=ids).count()
        _, per_model = Conversation.objects.filter(pk__in=ids).delete()
        transaction.on_commit(lambda: history_cache.forget(*ids))
    return RetentionReport(
        ended=0,
        deleted_conversations=per_model.get(Conversation._meta.label, 0),
        deleted_messages=message_count,
        dry_run=False,
    )
