"""Admin for learner state: progress, attempts, submissions, lesson runs and amphitheatre visits.

All of it is read-only here (see ``LearnerStateAdmin``); the actions call services.
"""

from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from myApp.curriculum import services
from myApp.curriculum.admin.base import LearnerStateAdmin
from myApp.curriculum.models import (
    AmphitheatreExerciseRecord,
    AmphitheatreSession,
    ExerciseAttempt,
    ExerciseSubmission,
    LessonSession,
    LessonSessionContext,
    LessonStepResponse,
    MilestoneAttempt,
    StakesMap,
    UserProgress,
)
from myApp.lib.admin import ReadOnlyInline
from myApp.lib.exceptions import Conflict


def _apply(rows, call: Callable) -> tuple[int, int]:
    """Run a service on each row; a row the service refuses with a Conflict (already done) is skipped."""
    done = skipped = 0
    for row in rows:
        try:
            call(row)
        except Conflict:
            skipped += 1
        else:
            done += 1
    return done, skipped


@admin.register(UserProgress)
class UserProgressAdmin(LearnerStateAdmin):
    """Modules opened for each learner (a row opens the module and its venues) and when each was completed."""

    list_display = ["user", "module", "current_lesson_title", "unlocked_at", "completed_at"]
    list_select_related = ["user", "module__level", "current_lesson"]
    list_filter = [("completed_at", admin.EmptyFieldListFilter), "module__level", "module__code"]
    search_fields = ["user__username", "module__title"]
    raw_id_fields = ["user", "module", "current_lesson"]
    readonly_fields = ["unlocked_at", "completed_at", "updated_at"]

    @admin.display(description="current lesson", ordering="current_lesson__title")
    def current_lesson_title(self, progress: UserProgress) -> str | None:
        return progress.current_lesson.title if progress.current_lesson else None


@admin.register(ExerciseAttempt)
class ExerciseAttemptAdmin(LearnerStateAdmin):
    list_display = ["created_at", "user", "module", "exercise_key", "score", "venue_entry", "amphitheatre_record"]
    list_select_related = [
        "user",
        "module__level",
        "venue_entry__user",
        "venue_entry__venue",
        "amphitheatre_record__session__user",
    ]
    list_filter = [("venue_entry", admin.EmptyFieldListFilter), "module__level", "module__code"]
    search_fields = ["user__username", "exercise_key"]
    raw_id_fields = ["user", "module", "venue_entry", "amphitheatre_record"]
    readonly_fields = ["score", "created_at"]


@admin.register(ExerciseSubmission)
class ExerciseSubmissionAdmin(LearnerStateAdmin):
    list_display = ["created_at", "user", "stage", "module", "lesson_title", "duration_ms"]
    list_select_related = ["user", "module__level", "lesson"]
    list_filter = ["stage", "module__level", "module__code"]
    search_fields = ["user__username", "module__title", "lesson__title"]
    raw_id_fields = ["user", "module", "lesson", "lesson_session"]
    readonly_fields = ["duration_ms", "created_at"]

    @admin.display(description="lesson", ordering="lesson__title")
    def lesson_title(self, submission: ExerciseSubmission) -> str | None:
        return submission.lesson.title if submission.lesson else None


@admin.register(MilestoneAttempt)
class MilestoneAttemptAdmin(LearnerStateAdmin):
    list_display = ["created_at", "user", "level", "score", "pass_bool", "rewarded"]
    list_select_related = ["user", "level"]
    list_filter = ["pass_bool", "rewarded", "level"]
    search_fields = ["user__username", "transcript"]
    raw_id_fields = ["user", "level"]
    readonly_fields = ["score", "pass_bool", "rewarded", "created_at"]


@admin.register(LessonSessionContext)
class LessonSessionContextAdmin(LearnerStateAdmin):
    list_display = ["user", "module", "scenario", "cooldown_until", "updated_at"]
    list_select_related = ["user", "module__level"]
    list_filter = ["module__level", "module__code"]
    search_fields = ["user__username", "module__title", "scenario"]
    raw_id_fields = ["user", "module"]
    readonly_fields = ["updated_at"]


class LessonStepResponseInline(ReadOnlyInline):
    model = LessonStepResponse
    fields = ["step_index", "value", "created_at"]


@admin.register(LessonSession)
class LessonSessionAdmin(LearnerStateAdmin):
    list_display = ["started_at", "user", "lesson", "state", "current_step", "rewarded", "completed_at"]
    list_select_related = ["user", "lesson__module__level"]
    list_filter = ["state", "lesson__module__level", "lesson__module__code"]
    search_fields = ["user__username", "lesson__title"]
    raw_id_fields = ["user", "lesson"]
    readonly_fields = ["state", "current_step", "started_at", "updated_at", "completed_at"]
    inlines = [LessonStepResponseInline]
    actions = ["abandon_runs"]

    @admin.action(description="Abandon the selected lesson runs that are still open", permissions=["operate"])
    def abandon_runs(self, request: HttpRequest, queryset: QuerySet[LessonSession]) -> None:
        done, skipped = _apply(
            queryset.select_related("user"),
            lambda run: services.lesson_session_abandon(session=run, user=run.user),
        )
        self.message_user(request, f"Abandoned {done} run(s); {skipped} were already closed.", messages.SUCCESS)


@admin.register(LessonStepResponse)
class LessonStepResponseAdmin(LearnerStateAdmin):
    list_display = ["session", "step_index", "created_at"]
    list_select_related = ["session__user", "session__lesson__module__level"]
    list_filter = ["session__state"]
    search_fields = ["session__user__username", "session__lesson__title"]
    raw_id_fields = ["session"]
    readonly_fields = ["created_at"]


@admin.register(StakesMap)
class StakesMapAdmin(LearnerStateAdmin):
    list_display = ["user", "module", "updated_at"]
    list_select_related = ["user", "module__level"]
    list_filter = ["module__level", "module__code"]
    search_fields = ["user__username", "module__title"]
    raw_id_fields = ["user", "module"]
    readonly_fields = ["updated_at"]


class AmphitheatreExerciseRecordInline(ReadOnlyInline):
    model = AmphitheatreExerciseRecord
    fields = ["exercise_key", "scores", "paid", "xp_delta", "coins_delta", "tickets_delta", "reflection", "created_at"]


@admin.register(AmphitheatreSession)
class AmphitheatreSessionAdmin(LearnerStateAdmin):
    list_display = ["user", "visit_number", "paying", "points", "record_count", "started_at", "ended_at"]
    list_select_related = ["user"]
    list_filter = [("ended_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
    readonly_fields = ["visit_number", "points", "started_at", "ended_at"]
    inlines = [AmphitheatreExerciseRecordInline]
    actions = ["end_visits"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AmphitheatreSession]:
        return super().get_queryset(request).annotate(record_count=Count("records"))

    @admin.display(description="exercises", ordering="record_count")
    def record_count(self, visit: AmphitheatreSession) -> int:
        return visit.record_count

    @admin.action(description="End the selected visits that are still open", permissions=["operate"])
    def end_visits(self, request: HttpRequest, queryset: QuerySet[AmphitheatreSession]) -> None:
        done, skipped = _apply(
            queryset.select_related("user"),
            lambda visit: services.amphitheatre_end(user=visit.user, session=visit),
        )
        self.message_user(request, f"Ended {done} visit(s); {skipped} had already ended.", messages.SUCCESS)


@admin.register(AmphitheatreExerciseRecord)
class AmphitheatreExerciseRecordAdmin(LearnerStateAdmin):
    list_display = ["session", "exercise_key", "paid", "xp_delta", "coins_delta", "tickets_delta", "created_at"]
    list_select_related = ["session__user"]
    list_filter = ["exercise_key"]
    search_fields = ["session__user__username", "exercise_key", "reflection"]
    raw_id_fields = ["session"]
    readonly_fields = ["xp_delta", "coins_delta", "tickets_delta", "created_at"]
