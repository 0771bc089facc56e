"""The practice world: districts, venues and their task sheets, and visits (entries)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from myApp.lib.json_input import JSONDocumentValidator
from myApp.lib.models import TimeStampedModel


class District(TimeStampedModel):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    order = models.PositiveSmallIntegerField(default=0)
    overview_media = models.JSONField(
        default=dict,
        blank=True,
        help_text="Image/video metadata for the map overview.",
        validators=[JSONDocumentValidator(max_bytes=16 * 1024, kind=dict)],
    )

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name


class Venue(TimeStampedModel):
    """A place to practise; it is open to a learner exactly when its ``module`` is (derived, never stored)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="venues")
    module = models.ForeignKey("curriculum.Module", on_delete=models.CASCADE, related_name="venues")
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    order = models.PositiveSmallIntegerField(default=0)
    ticket_cost = models.PositiveIntegerField(default=1)
    xp_reward = models.PositiveIntegerField(default=20)
    coin_reward = models.PositiveIntegerField(default=5)

    class Meta:
        ordering = ["district__order", "order", "slug"]
        constraints = [
            models.CheckConstraint(condition=Q(ticket_cost__gte=0), name="curriculum_venue_ticket_cost_gte_0"),
            models.CheckConstraint(condition=Q(xp_reward__gte=0), name="curriculum_venue_xp_reward_gte_0"),
            models.CheckConstraint(condition=Q(coin_reward__gte=0), name="curriculum_venue_coin_reward_gte_0"),
        ]

    def __str__(self) -> str:
        return self.name


class VenueTaskSheet(models.Model):
    """A predefined bundle of exercises for a venue: ``exercises`` is an ordered list."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="task_sheets")
    title = models.CharField(max_length=160)
    order = models.PositiveSmallIntegerField(default=0)
    exercises = models.JSONField(default=list, validators=[JSONDocumentValidator(max_bytes=64 * 1024)])

    class Meta:
        ordering = ["venue", "order"]
        constraints = [models.UniqueConstraint(fields=["venue", "order"], name="curriculum_tasksheet_order_unique")]

    def __str__(self) -> str:
        return f"{self.venue}: {self.title}"


class VenueEntry(models.Model):
    """One visit to a venue: tickets paid on entry, rewards paid once on finishing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="venue_entries")
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="entries")
    tickets_spent = models.PositiveIntegerField(default=0)
    xp_awarded = models.PositiveIntegerField(default=0)
    coins_awarded = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The day this visit's finish was paid; null for an open visit or one that paid nothing.
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "venue entries"
        ordering = ["-started_at"]
        constraints = [
            # One open visit per learner and venue: a second "enter" returns it instead of charging again.
            models.UniqueConstraint(
                fields=["user", "venue"], condition=Q(finished_at__isnull=True), name="curriculum_one_open_entry"
            ),
            # A venue pays one finished visit per learner and day, however often it is entered.
            models.UniqueConstraint(
                fields=["user", "venue", "paid_on"],
                condition=Q(paid_on__isnull=False),
                name="curriculum_venue_paid_once_a_day",
            ),
        ]
        indexes = [models.Index(fields=["user", "-started_at"], name="curriculum_entry_user_time")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.venue}"
