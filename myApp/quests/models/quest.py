"""Therapeutic quests (seed 001): the quest graph and its psychologist reviews."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from myApp.lib.models import TimeStampedModel


def new_quest_id() -> str:
    """The string id that bridges a quest to other systems (seed 001's ``quest_id``)."""
    return f"q_{uuid.uuid4().hex}"


class PsychologicalModule(models.TextChoices):
    IFS = "IFS", "Internal Family Systems"
    DBT = "DBT", "Dialectical Behaviour Therapy"
    CBT = "CBT", "Cognitive Behavioural Therapy"
    ACT = "ACT", "Acceptance and Commitment Therapy"
    NARRATIVE = "NARRATIVE", "Narrative therapy"
    MINDFULNESS = "MINDFULNESS", "Mindfulness"
    PLAY = "PLAY", "Play therapy"


class AgeRange(models.TextChoices):
    AGES_4_6 = "4-6", "4-6"
    AGES_7_9 = "7-9", "7-9"
    AGES_10_12 = "10-12", "10-12"
    AGES_13_15 = "13-15", "13-15"
    AGES_16_18 = "16-18", "16-18"


class ModerationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PENDING_REVIEW = "pending_review", "Pending review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]

SCORE_FIELDS = (
    "emotional_safety_score",
    "therapeutic_correctness_score",
    "age_appropriateness_score",
    "reveal_timing_score",
)


class Quest(TimeStampedModel):
    """A quest a parent wrote for a child. ``graph_structure`` is the primary storage; ``quest_yaml`` is
    generated from it by the services on every change (never edited on its own).

    ``rating`` is a cache of the average of the quest's ratings, kept by the rating service in SQL (so
    the marketplace can sort and filter on an index); ``psychologist_review``, ``psychologist_reviewed``
    and ``reviewed_at`` are kept by the review services from the review history."""

    quest_id = models.CharField(max_length=64, unique=True, default=new_quest_id, editable=False)
    title = models.CharField(max_length=200)
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quests")
    graph_structure = models.JSONField(default=dict)
    quest_yaml = models.TextField(blank=True, editable=False)
    psychological_module = models.CharField(max_length=16, choices=PsychologicalModule.choices, db_index=True)
    location = models.CharField(max_length=120, blank=True)
    age_range = models.CharField(max_length=8, choices=AgeRange.choices)
    is_public = models.BooleanField(default=False, db_index=True)
    rating = models.FloatField(null=True, blank=True, editable=False)
    plays_count = models.PositiveIntegerField(default=0, editable=False)
    moderation_status = models.CharField(
        max_length=16, choices=ModerationStatus.choices, default=ModerationStatus.DRAFT, editable=False
    )
    psychologist_reviewed = models.BooleanField(default=False, editable=False)
    psychologist_review = models.ForeignKey(
        "quests.PsychologistReview",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="The quest's current review (the latest one submitted).",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reveal_count = models.PositiveIntegerField(default=0, editable=False)
    last_reveal_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(psychological_module__in=PsychologicalModule.values), name="quests_quest_module_valid"
            ),
            models.CheckConstraint(condition=Q(age_range__in=AgeRange.values), name="quests_quest_age_range_valid"),
            models.CheckConstraint(
                condition=Q(moderation_status__in=ModerationStatus.values), name="quests_quest_moderation_valid"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="quests_quest_rating_1_5"
            ),
            # Reviewed means approved: a rejected or revised quest is not "reviewed".
            models.CheckConstraint(
                condition=Q(psychologist_reviewed=False) | Q(moderation_status=ModerationStatus.APPROVED),
                name="quests_quest_reviewed_is_approved",
            ),
        ]
        indexes = [
            # The marketplace: listed quests, by its sort orders.
            models.Index(fields=["is_public", "moderation_status", "-rating"], name="quests_market_rating_idx"),
            models.Index(fields=["is_public", "moderation_status", "-plays_count"], name="quests_market_plays_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class PsychologistReview(models.Model):
    """One professional review of one version of a quest. Reviews are never overwritten: a revised quest
    gets a new one, so the history of a quest is its reviews. ``is_approved`` is None until the review
    is decided (approved or rejected)."""

    quest = models.ForeignKey(Quest, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="quest_reviews"
    )
    emotional_safety_score = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    therapeutic_correctness_score = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    age_appropriateness_score = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    reveal_timing_score = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    strengths = models.TextField(blank=True)
    concerns = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    is_approved = models.BooleanField(null=True, blank=True, db_index=True)
    reviewed_at = models.DateTimeField(db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        indexes = [
            # The review queue's Decided section: decided reviews, the latest decision first, a page at a time.
            models.Index(
                fields=["-decided_at", "-id"], name="quests_review_decided_idx", condition=Q(decided_at__isnull=False)
            ),
        ]
        constraints = [
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}), name=f"quests_{field}_1_5"
                )
                for field in SCORE_FIELDS
            ),
            models.CheckConstraint(
                condition=Q(is_approved__isnull=True, decided_at__isnull=True)
                | Q(is_approved__isnull=False, decided_at__isnull=False),
                name="quests_review_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        verdict = {None: "pending", True: "approved", False: "rejected"}[self.is_approved]
        return f"Review of quest #{self.quest_id} ({verdict})"
