"""Daily quests, streak freezes and vacations (issue 10, seed 002's ``DailyQuest``).

The streak itself is not stored: ``daily_rules.streak_history`` derives it from the days with a
completed quest, the freezes bought and the vacation spans.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from myApp.quests.daily_rules import QUEST_TYPES, DailyQuestType


class DailyQuest(models.Model):
    """One quest offered to a learner on one of their days, with its progress.

    The target and rewards are copied from ``daily_rules.QUEST_TYPES`` when the offer is written, so a
    later change to the catalogue does not change a quest a learner already had. ``completed_at`` is
    set once, by the update that reached the target; that update is what pays.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="daily_quests")
    date = models.DateField(help_text="The learner's own calendar day (their profile's time zone).")
    quest_type = models.CharField(max_length=32, choices=DailyQuestType.choices)
    target = models.PositiveSmallIntegerField()
    progress = models.PositiveSmallIntegerField(default=0)
    xp_reward = models.PositiveIntegerField(default=0)
    coins_reward = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "quest_type"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date", "quest_type"], name="quests_daily_quest_unique_per_day"),
            models.CheckConstraint(
                condition=Q(quest_type__in=DailyQuestType.values), name="quests_daily_quest_type_valid"
            ),
            models.CheckConstraint(condition=Q(target__gte=1), name="quests_daily_quest_target_positive"),
            models.CheckConstraint(condition=Q(progress__lte=F("target")), name="quests_daily_quest_progress_bounded"),
            # Completed exactly when the target is reached.
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(progress=F("target")),
                name="quests_daily_quest_completed_at_target",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user", "date"], condition=Q(completed_at__isnull=False), name="quests_daily_completed_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_quest_type_display()} for {self.user} on {self.date}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    @property
    def percent(self) -> int:
        return min(100, self.progress * 100 // self.target) if self.target else 0

    @property
    def how(self) -> str:
        spec = QUEST_TYPES.get(self.quest_type)
        return spec.how if spec else ""


class StreakFreeze(models.Model):
    """One freeze bought with coins. Which missed day it covered is derived, not stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="streak_freezes")
    bought_at = models.DateTimeField(db_index=True)
    bought_on = models.DateField(help_text="The learner's own day of the purchase; it covers later days.")
    coins_paid = models.PositiveIntegerField()

    class Meta:
        ordering = ["-bought_at", "-pk"]

    def __str__(self) -> str:
        return f"Streak freeze of {self.user} bought on {self.bought_on}"


class Vacation(models.Model):
    """A vacation: days ``starts_on`` up to, not including, ``ends_on`` (open while ``ends_on`` is empty).

    While it runs no daily quest is offered or counted and missed days do not break the streak.
    Ended vacations stay as history.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vacations")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(ends_on__isnull=True), name="quests_vacation_one_open_per_user"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="quests_vacation_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return f"Vacation of {self.user} from {self.starts_on}" + (f" to {self.ends_on}" if self.ends_on else "")
