"""Reads of builder sessions (kept beside the builder; the app's selectors module re-exports nothing)."""

from django.db.models import QuerySet

from myApp.lib import access
from myApp.quests.models import QuestBuilderSession


def builder_sessions_owned_by(*, user) -> QuerySet[QuestBuilderSession]:
    """The caller's own sessions, newest first (everyone else's, staff's included, never)."""
    return access.owned_by(QuestBuilderSession.objects.all(), user=user).order_by("-created_at", "-id")
