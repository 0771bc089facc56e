"""Recovery tracks (seed 001's ``UserTrack``), advanced only by ``services.tracks`` from real activities."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from myApp.lib.models import TimeStampedModel


class TrackType(models.TextChoices):
    SELF_WORK = "self_work", "Self work"
    CHILD_CONNECTION = "child_connection", "Child connection"
    NEGOTIATION = "negotiation", "Negotiation"
    COMMUNITY = "community", "Community"


class TrackPhase(models.TextChoices):
    """In order: a track moves forward through them and never back."""

    AWARENESS = "awareness", "Awareness"
    EXPRESSION = "expression", "Expression"
    ACTION = "action", "Action"
    MASTERY = "mastery", "Mastery"


class UserTrack(TimeStampedModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="user_tracks")
    track_type = models.CharField(max_length=20, choices=TrackType.choices)
    current_phase = models.CharField(max_length=12, choices=TrackPhase.choices, default=TrackPhase.AWARENESS)
    completion_percentage = models.PositiveSmallIntegerField(default=0)
    total_activities = models.PositiveIntegerField(default=0)
    completed_activities = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user_id", "track_type"]
        constraints = [
            models.UniqueConstraint(fields=["user", "track_type"], name="quests_track_unique"),
            models.CheckConstraint(condition=Q(track_type__in=TrackType.values), name="quests_track_type_valid"),
            models.CheckConstraint(condition=Q(current_phase__in=TrackPhase.values), name="quests_track_phase_valid"),
            models.CheckConstraint(
                condition=Q(completion_percentage__gte=0, completion_percentage__lte=100),
                name="quests_track_percentage_0_100",
            ),
            models.CheckConstraint(
                condition=Q(completed_activities__lte=models.F("total_activities")),
                name="quests_track_completed_lte_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_track_type_display()} ({self.current_phase})"
