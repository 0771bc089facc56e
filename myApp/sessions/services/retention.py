"""Retention: close conversations that are no longer live (``expiry.live``), delete those past the retention
period."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

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


def conversations_apply_retention(*, dry_run: bool = False, retention_days: int | None = None) -> RetentionReport:
    """Close the open conversations that timed out (so ``ended_at`` says when) and delete the conversations
    last active more than ``retention_days`` (default ``CHAT_RETENTION_DAYS``) ago, with their messages.

    There is no timeout of its own: a conversation is closed exactly when ``expiry.live`` says it is over."""
    now = timezone.now()
    older_than = now - timedelta(days=retention_days or settings.CHAT_RETENTION_DAYS)
    to_delete = Conversation.objects.filter(last_activity_at__lt=older_than)
    doomed_ids = list(to_delete.values_list("pk", flat=True))
    to_end = Conversation.objects.filter(ended_at__isnull=True).exclude(expiry.live(now)).exclude(pk__in=doomed_ids)
    message_count = Message.objects.filter(conversation_id__in=doomed_ids).count()
    if dry_run:
        return RetentionReport(
            ended=to_end.count(), deleted_conversations=len(doomed_ids), deleted_messages=message_count, dry_run=True
        )
    with transaction.atomic():
        ended = len(conversations_close(conversations=to_end, now=now))
        Conversation.objects.filter(pk__in=doomed_ids).delete()
        transaction.on_commit(lambda: history_cache.forget(*doomed_ids))
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
