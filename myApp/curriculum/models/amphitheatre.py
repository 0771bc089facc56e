"""The amphitheatre: open practice sessions, each a series of recorded exercises."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class AmphitheatreSession(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="amphitheatre_sessions")
    visit_number = models.PositiveIntegerField()
    plan = models.JSONField(
        default=list, blank=True, help_text="The exercises planned for this visit, each with its reward."
    )
    # Decided when the visit opens, from the day's earlier visits (see curriculum.economy).
    paying = models.BooleanField(default=True, help_text="Whether this visit's exercises pay their plan amounts.")
    points = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "visit_number"], name="curriculum_amph_visit_unique"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(ended_at__isnull=True), name="curriculum_amph_one_open_session"
            ),
            models.CheckConstraint(condition=Q(visit_number__gte=1), name="curriculum_amph_visit_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.user} visit {self.visit_number}"


class AmphitheatreExerciseRecord(models.Model):
    session = models.ForeignKey(AmphitheatreSession, on_delete=models.CASCADE, related_name="records")
    exercise_key = models.CharField(max_length=64)
    audio_ref = models.CharField(max_length=500, blank=True, help_text="Storage path or URL of the recording.")
    markers = models.JSONField(default=list, blank=True, help_text="Time-stamped markers, e.g. filler words.")
    reflection = models.TextField(blank=True)
    scores = models.JSONField(default=dict, blank=True)
    xp_delta = models.IntegerField(default=0)
    coins_delta = models.IntegerField(default=0)
    tickets_delta = models.IntegerField(default=0)
    # True on the one record of an exercise that was paid its plan amount in this visit.
    paid = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "exercise_key"], condition=Q(paid=True), name="curriculum_amph_exercise_paid_once"
            ),
            models.CheckConstraint(
                condition=Q(xp_delta__gte=0, coins_delta__gte=0, tickets_delta__gte=0),
                name="curriculum_amph_deltas_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.exercise_key}"
