"""Where each learner is: progress per module, exercise attempts and submissions, milestones."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q


class ProgressStatus(models.TextChoices):
    """A module's status for a learner, derived in ``selectors.module_statuses``, never stored."""

    LOCKED = "locked", "Locked"
    UNLOCKED = "unlocked", "Unlocked"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class UserProgress(models.Model):
    """One row per learner and opened module; no row means locked (except the first module, open to all).

    The row records what cannot be recomputed: that the module was opened for the learner
    (by completing the one before, or by staff), when, and when it was completed (set once,
    by the conditional UPDATE that pays the module's rewards). Whether it is in progress is
    derived from the learner's submissions (see ``selectors.module_statuses``).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_progress")
    module = models.ForeignKey("curriculum.Module", on_delete=models.CASCADE, related_name="progress")
    current_lesson = models.ForeignKey(
        "curriculum.Lesson", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unlocked_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "user progress"
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="curriculum_progress_unique"),
        ]
        # The staff dashboard's curriculum completions per day (completed rows only).
        indexes = [
            models.Index(
                fields=["completed_at"], condition=Q(completed_at__isnull=False), name="curriculum_progress_completed"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.module}"


class ExerciseAttempt(models.Model):
    """A scored attempt at a practice exercise: a task-sheet exercise during a venue visit, or an
    amphitheatre exercise (scored by the average of the learner's self-assessment). Exactly one of
    ``venue_entry`` and ``amphitheatre_record`` says where it happened. Lesson answers are
    ``ExerciseSubmission`` rows; milestones are ``MilestoneAttempt`` rows.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_attempts")
    module = models.ForeignKey(
        "curriculum.Module",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exercise_attempts",
        help_text="The venue's module; empty for the amphitheatre, which belongs to no module.",
    )
    venue_entry = models.ForeignKey(
        "curriculum.VenueEntry", on_delete=models.CASCADE, null=True, blank=True, related_name="attempts"
    )
    amphitheatre_record = models.OneToOneField(
        "curriculum.AmphitheatreExerciseRecord",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attempt",
    )
    exercise_key = models.CharField(max_length=64)
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    notes = models.TextField(blank=True, max_length=2000, help_text="What the learner noted about the attempt.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=100), name="curriculum_attempt_score_lte_100"),
            models.CheckConstraint(
                condition=Q(venue_entry__isnull=False, amphitheatre_record__isnull=True)
                | Q(venue_entry__isnull=True, amphitheatre_record__isnull=False),
                name="curriculum_attempt_one_place",
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="curriculum_attempt_user_time")]

    def __str__(self) -> str:
        return f"{self.user} {self.exercise_key}: {self.score}"


class SubmissionStage(models.TextChoices):
    LESSON = "lesson", "Lesson"
    VENUE = "venue", "Venue"
    AMPHITHEATRE = "amphitheatre", "Amphitheatre"
    MILESTONE = "milestone", "Milestone"


class ExerciseSubmission(models.Model):
    """One answered lesson step (stage ``lesson``): what makes a module "in progress".

    Scored practice in venues and the amphitheatre is an ``ExerciseAttempt``; a milestone is a
    ``MilestoneAttempt``.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_submissions")
    module = models.ForeignKey("curriculum.Module", on_delete=models.CASCADE, related_name="submissions")
    lesson = models.ForeignKey("curriculum.Lesson", on_delete=models.SET_NULL, null=True, blank=True)
    lesson_session = models.ForeignKey(
        "curriculum.LessonSession", on_delete=models.SET_NULL, null=True, blank=True, related_name="submissions"
    )
    stage = models.CharField(max_length=16, choices=SubmissionStage.choices)
    payload = models.JSONField(default=dict, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=SubmissionStage.values), name="curriculum_submission_stage"),
        ]
        indexes = [
            models.Index(fields=["user", "module", "stage"], name="curriculum_sub_user_mod_stage"),
            models.Index(fields=["stage", "-created_at"], name="curriculum_sub_stage_time"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.stage} on {self.module_id}"


def milestone_upload_to(instance: "MilestoneAttempt", filename: str) -> str:
    return f"milestones/{instance.user_id}/{filename}"


class MilestoneAttempt(models.Model):
    """A recorded speech for a level's milestone, scored against its rubric."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="milestone_attempts",
        db_index=False,  # the indexes below lead with it
    )
    level = models.ForeignKey("curriculum.Level", on_delete=models.CASCADE, related_name="milestone_attempts")
    # Attempts before in-browser recording kept their upload here; a recording now is a ``SpeechRecording``
    # (``recording``), kept where no URL serves it.
    audio = models.FileField(upload_to=milestone_upload_to, blank=True)
    audio_url = models.URLField(blank=True)
    transcript = models.TextField(blank=True)
    rubric_scores = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    pass_bool = models.BooleanField(default=False)
    # True on the one attempt that earned the level's reward (the first pass).
    rewarded = models.BooleanField(default=False)
    # When the learner asked their teachers to review it (None: not shared with them).
    review_requested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "level"], condition=Q(rewarded=True), name="curriculum_milestone_rewarded_once"
            ),
            models.CheckConstraint(
                condition=Q(rewarded=False) | Q(pass_bool=True), name="curriculum_reward_needs_pass"
            ),
            models.CheckConstraint(condition=Q(score__lte=100), name="curriculum_milestone_score_lte_100"),
        ]
        indexes = [
            models.Index(fields=["user", "level", "-created_at"], name="curriculum_milestone_user_lvl"),
            # A learner's attempts newest first, a page at a time (the API's list).
            models.Index(fields=["user", "-created_at"], name="curriculum_milestone_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.user} L{self.level_id}: {self.score} ({'pass' if self.pass_bool else 'not yet'})"
