"""Guided lesson runs: a session per run, one response per step, and per-learner context."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from myApp.lib.json_input import JSONDocumentValidator


class LessonSessionContext(models.Model):
    """What a learner's runs of one module's lessons share: the high-stakes scenario in play and
    its cooldown. Lessons started before ``cooldown_until`` rehearse the same scenario; the first
    start after it moves on to the next scenario of the learner's stakes map (see
    ``services.lessons``). Written only by ``lesson_session_start``.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_contexts")
    module = models.ForeignKey("curriculum.Module", on_delete=models.CASCADE, related_name="lesson_contexts")
    scenario = models.CharField(max_length=200, help_text="The learner's own situation the lessons rehearse now.")
    cooldown_until = models.DateTimeField(help_text="The scenario stays in play until then.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "module"], name="curriculum_lesson_context_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.module}"


class LessonSessionState(models.TextChoices):
    CREATED = "created", "Created"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    ABANDONED = "abandoned", "Abandoned"


ACTIVE_LESSON_STATES = (LessonSessionState.CREATED, LessonSessionState.IN_PROGRESS)


class LessonSession(models.Model):
    """One run through a lesson: created → in_progress → completed / abandoned."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_sessions",
        db_index=False,  # the indexes below lead with it
    )
    lesson = models.ForeignKey("curriculum.Lesson", on_delete=models.CASCADE, related_name="sessions")
    state = models.CharField(max_length=16, choices=LessonSessionState.choices, default=LessonSessionState.CREATED)
    current_step = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # True on the learner's first completed run of the lesson, the one that earned its XP.
    rewarded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson"], condition=Q(rewarded=True), name="curriculum_lesson_rewarded_once"
            ),
            models.CheckConstraint(
                condition=Q(rewarded=False) | Q(state=LessonSessionState.COMPLETED),
                name="curriculum_lesson_reward_needs_completion",
            ),
            models.UniqueConstraint(
                fields=["user", "lesson"],
                condition=Q(state__in=ACTIVE_LESSON_STATES),
                name="curriculum_one_active_lesson_session",
            ),
            models.CheckConstraint(condition=Q(state__in=LessonSessionState.values), name="curriculum_session_state"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(state=LessonSessionState.COMPLETED),
                name="curriculum_completed_at_only_when_completed",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "lesson", "state"], name="curriculum_session_user_lesson"),
            # A learner's runs newest first, a page at a time (the API's list).
            models.Index(fields=["user", "-started_at"], name="curriculum_session_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson} · {self.state}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_LESSON_STATES

    @property
    def next_step(self) -> dict | None:
        """The step the run awaits an answer to: None once every step is answered or the run is over."""
        steps = self.lesson.steps
        return steps[self.current_step] if self.is_active and self.current_step < len(steps) else None


class LessonStepResponse(models.Model):
    session = models.ForeignKey(LessonSession, on_delete=models.CASCADE, related_name="responses")
    step_index = models.PositiveSmallIntegerField()
    value = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "step_index"]
        constraints = [models.UniqueConstraint(fields=["session", "step_index"], name="curriculum_step_response_once")]

    def __str__(self) -> str:
        return f"{self.session_id} step {self.step_index}"


class StakesMap(models.Model):
    """The learner's own high-stakes speaking situations (e.g. 'thesis defence'), captured in the
    first module (module A) and rehearsed by the lessons of later modules."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stakes_maps")
    module = models.ForeignKey("curriculum.Module", on_delete=models.CASCADE, related_name="stakes_maps")
    scenarios = models.JSONField(
        default=list, blank=True, validators=[JSONDocumentValidator(max_bytes=4 * 1024, kind=list)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "module"], name="curriculum_stakes_map_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.module}"
