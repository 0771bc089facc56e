"""When a chat session ends: the one rule that the API, the pages, the admin and retention all ask.

A conversation is **live** while nobody has ended it and its last activity is less than
``CHAT_SESSION_TIMEOUT_HOURS`` ago. Liveness is computed here and stored nowhere:

- ``ended_at`` records an end that happened: the learner (or staff) ended it, a new conversation
  replaced it, or it was closed after timing out, in which case it holds the moment it timed out
  (its last activity plus the timeout), not the moment someone noticed.
- A conversation that timed out and that nothing has closed yet is *open* (``ended_at`` is null)
  but not live. The database allows one open conversation per user
  (``conversations_one_open_per_user``), and every service that starts a conversation first
  closes the user's open one, so a timed-out conversation never blocks the next.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.expressions import CombinedExpression
from django.utils import timezone


def session_timeout() -> timedelta:
    return timedelta(hours=settings.CHAT_SESSION_TIMEOUT_HOURS)


def live(now: datetime | None = None) -> Q:
    """The rule, as a filter: not ended, and active within the timeout."""
    return Q(ended_at__isnull=True, last_activity_at__gt=(now or timezone.now()) - session_timeout())


def with_liveness(conversations: QuerySet, now: datetime | None = None) -> QuerySet:
    """Each conversation with ``is_live``: the rule, evaluated by the database in the same query."""
    return conversations.annotate(is_live=ExpressionWrapper(live(now), output_field=BooleanField()))


def timed_out_at() -> CombinedExpression:
    """The moment a conversation stops being live if nothing happens in it (for ``ended_at`` of a
    conversation closed after timing out)."""
    return F("last_activity_at") + session_timeout()


def ends_at(conversation) -> datetime:
    """When it ended; for one not ended, when it times out (or timed out) unless something happens in it."""
    return conversation.ended_at or conversation.last_activity_at + session_timeout()


def expires_at(conversation) -> datetime | None:
    """When a conversation that has not been ended times out, unless something happens in it; None once ended."""
    return None if conversation.ended_at else ends_at(conversation)
