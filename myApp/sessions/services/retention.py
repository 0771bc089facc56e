"""Retention: end conversations idle past the timeout, delete those past the retention period."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from myApp.sessions import history_cache
from myApp.sessions.models import Conversation, Message


@dataclass
class RetentionReport:
    ended: int
    deleted_conversations: int
    deleted_messages: int
    dry_run: bool


def conversations_apply_retention(
    *, dry_run: bool = False, timeout_hours: int | None = None, retention_days: int | None = None
) -> RetentionReport:
    now = timezone.now()
    idle_since = now - timedelta(hours=timeout_hours or settings.CHAT_SESSION_TIMEOUT_HOURS)
    older_than = now - timedelta(days=retention_days or settings.CHAT_RETENTION_DAYS)
    to_end = Conversation.objects.filter(is_active=True, last_activity_at__lt=idle_since)
    to_delete = Conversation.objects.filter(last_activity_at__lt=older_than)
    doomed_ids = list(to_delete.values_list("pk", flat=True))
    message_count = Message.objects.filter(conversation_id__in=doomed_ids).count()
    if dry_run:
        return RetentionReport(
            ended=to_end.exclude(pk__in=doomed_ids).count(),
            deleted_conversations=len(doomed_ids),
            deleted_messages=message_count,
            dry_run=True,
        )
    with transaction.atomic():
        ending_ids = list(to_end.exclude(pk__in=doomed_ids).values_list("pk", flat=True))
        ended = Conversation.objects.filter(pk__in=ending_ids).update(is_active=False, ended_at=now)
        Conversation.objects.filter(pk__in=doomed_ids).delete()
    history_cache.forget(*ending_ids, *doomed_ids)
    return RetentionReport(
        ended=ended, deleted_conversations=len(doomed_ids), deleted_messages=message_count, dry_run=False
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
