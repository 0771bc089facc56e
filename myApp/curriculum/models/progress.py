"""Where each learner is: progress per module, exercise attempts and submissions, milestones."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q


class ProgressStatus(models.TextChoices):
    UNLOCKED = "unlocked", "Unlocked"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class UserProgress(models.Model):
    """One row per learner and unlocked module; no row means the module is still locked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_progress")
    module = models.ForeignKey("curriculum.Module", on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=16, choices=ProgressStatus.choices, default=ProgressStatus.UNLOCKED)
    current_lesson = models.ForeignKey(
        "curriculum.Lesson", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    current_knowledge_block = models.ForeignKey(
        "curriculum.KnowledgeBlock", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    loop_state = models.JSONField(default=dict, blank=True)
    checkpoints = models.JSONField(default=dict, blank=True)
    unlocked_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Set once, by the conditional UPDATE that awards the module's rewards.
    rewarded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "user progress"
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="curriculum_progress_unique"),
            models.CheckConstraint(condition=Q(status__in=ProgressStatus.values), name="curriculum_progress_status"),
        ]
        indexes = [models.Index(fields=["user", "status"], name="curr_progress_user_status")]

    def __str__(self) -> str:
        return f"{self.user} · {self.module} · {self.status}"


class ExerciseAttempt(models.Model):
    """Legacy per-exercise attempt log, kept for the seed's contract."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_attempts")
    module = models.ForeignKey("curriculum.Module", on_delete=models.CASCADE, related_name="exercise_attempts")
    lesson = models.ForeignKey("curriculum.Lesson", on_delete=models.SET_NULL, null=True, blank=True)
    exercise_key = models.CharField(max_length=64)
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    ai_feedback = models.TextField(blank=True)
    user_response = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(score__lte=100), name="curriculum_attempt_score_lte_100")]
        indexes = [models.Index(fields=["user", "module", "-created_at"], name="curriculum_attempt_user_mod")]

    def __str__(self) -> str:
        return f"{self.user} {self.exercise_key}: {self.score}"


class SubmissionStage(models.TextChoices):
    LESSON = "lesson", "Lesson"
    VENUE = "venue", "Venue"
    AMPHITHEATRE = "amphitheatre", "Amphitheatre"
    MILESTONE = "milestone", "Milestone"


class ExerciseSubmission(models.Model):
    """A granular submission from a lesson run, venue, amphitheatre or milestone."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_submissions")
    module = models.ForeignKey("curriculum.Module", on_delete=models.CASCADE, related_name="submissions")
    lesson = models.ForeignKey("curriculum.Lesson", on_delete=models.SET_NULL, null=True, blank=True)
    lesson_session = models.ForeignKey(
        "curriculum.LessonSession", on_delete=models.SET_NULL, null=True, blank=True, related_name="submissions"
    )
    stage = models.CharField(max_length=16, choices=SubmissionStage.choices)
    payload = models.JSONField(default=dict, blank=True)
    scores = models.JSONField(default=dict, blank=True)
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

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="milestone_attempts")
    level = models.ForeignKey("curriculum.Level", on_delete=models.CASCADE, related_name="milestone_attempts")
    audio = models.FileField(upload_to=milestone_upload_to, blank=True)
    audio_url = models.URLField(blank=True)
    transcript = models.TextField(blank=True)
    rubric_scores = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    pass_bool = models.BooleanField(default=False)
    # True on the one attempt that earned the level's reward (the first pass).
    rewarded = models.BooleanField(default=False)
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
            models.CheckConstraint(condition=~Q(audio="") | ~Q(audio_url=""), name="curriculum_milestone_has_audio"),
        ]
        indexes = [models.Index(fields=["user", "level", "-created_at"], name="curriculum_milestone_user_lvl")]

    def __str__(self) -> str:
        return f"{self.user} L{self.level_id}: {self.score} ({'pass' if self.pass_bool else 'not yet'})"
