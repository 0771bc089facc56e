"""What people do with quests: their library, ratings and play progress (seed 001)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from myApp.lib.models import TimeStampedModel
from myApp.quests.models.quest import ONE_TO_FIVE, Quest


class UserQuestLibrary(models.Model):
    """A quest someone added to their library from the marketplace."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quest_library")
    quest = models.ForeignKey(Quest, on_delete=models.CASCADE, related_name="library_entries")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "library entry"
        verbose_name_plural = "user quest library"
        ordering = ["-added_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "quest"], name="quests_library_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.quest}"


class QuestRating(TimeStampedModel):
    """One person's rating of one quest (a second rating updates it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quest_ratings")
    quest = models.ForeignKey(Quest, on_delete=models.CASCADE, related_name="ratings")
    rating = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    review_text = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "quest"], name="quests_rating_unique"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="quests_rating_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.user} rated {self.quest}: {self.rating}"


class QuestProgress(TimeStampedModel):
    """A player's way through one quest's graph. ``current_node`` is the node they stand on;
    ``current_step`` counts the edges they have followed in this play-through."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quest_progress_records")
    quest = models.ForeignKey(Quest, on_delete=models.CASCADE, related_name="progress_records")
    current_node = models.CharField(max_length=64)
    current_step = models.PositiveIntegerField(default=0)
    completed = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    # When this player first reached an ending; kept across replays (which reset ``completed``), so the
    # tracks count distinct quests finished, not finishes.
    first_completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    session_count = models.PositiveIntegerField(default=0)
    total_time_minutes = models.FloatField(default=0)
    last_played_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name_plural = "quest progress"
        ordering = ["-last_played_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "quest"], name="quests_progress_unique"),
            models.CheckConstraint(condition=Q(total_time_minutes__gte=0), name="quests_progress_time_non_negative"),
            models.CheckConstraint(
                condition=Q(completed=False) | Q(completed_at__isnull=False), name="quests_progress_completed_has_time"
            ),
            models.CheckConstraint(
                condition=Q(completed=False) | Q(first_completed_at__isnull=False),
                name="quests_progress_completed_has_first_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.quest} @ {self.current_node}"
