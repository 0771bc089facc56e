"""Lesson runs: start (or resume), answer one step at a time, finish or abandon."""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from myApp.accounts.models import User
from myApp.accounts.services import profile_adjust_balance
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.curriculum.models import (
    ExerciseSubmission,
    Lesson,
    LessonSession,
    LessonSessionState,
    LessonStepResponse,
    SubmissionStage,
    UserProgress,
)
from myApp.curriculum.models.lessons import ACTIVE_LESSON_STATES
from myApp.curriculum.services.progress import module_complete, module_lessons_all_completed, module_progress_for_work
from myApp.curriculum.services.stakes import lesson_context_refresh
from myApp.lib import access
from myApp.lib.exceptions import Conflict, ServiceError
from myApp.quests.daily_rules import DailyQuestType
from myApp.quests.services import daily as daily_quests

MAX_TEXT_ANSWER = 2000
MAX_DURATION_MS = 3 * 60 * 60 * 1000
STEP_ALREADY_ANSWERED = "already_answered"


@dataclass(frozen=True)
class LessonFinish:
    """What finishing a run did: the run, whether it earned the lesson's XP (the first
    completion), and whether it completed the module (and so paid the module's rewards)."""

    session: LessonSession
    rewarded: bool
    module_completed: bool


def validate_step_value(step: dict[str, Any], value: Any) -> Any:
    """Check an answer against the step's declared kind; returns the cleaned value."""
    kind = step.get("kind", "text")
    if kind == "choice":
        if value not in step.get("choices", []):
            raise ServiceError("Invalid answer.", errors={"value": ["Choose one of the offered answers."]})
        return value
    if kind == "scale":
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():  # not "²"
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ServiceError("Invalid answer.", errors={"value": ["Give a whole number from 1 to 5."]})
        return value
    if not isinstance(value, str) or not value.strip():
        raise ServiceError("Invalid answer.", errors={"value": ["Write an answer."]})
    if len(value) > MAX_TEXT_ANSWER:
        raise ServiceError("Invalid answer.", errors={"value": [f"Keep it under {MAX_TEXT_ANSWER} characters."]})
    return value.strip()


def _own(session: LessonSession, user: User) -> None:
    access.require_owner(session, user=user, message="This is not your lesson session.")


@transaction.atomic
def lesson_session_start(*, user: User, lesson: Lesson) -> tuple[LessonSession, bool]:
    """Resume the learner's active run of ``lesson`` or start one. Returns (session, created).

    Atomic: the first module's progress row (written on the learner's first start), the
    scenario in play and the new run are kept together or not at all.
    """
    module_progress_for_work(user=user, module=lesson.module)
    active = LessonSession.objects.filter(user=user, lesson=lesson, state__in=ACTIVE_LESSON_STATES).first()
    if active is not None:
        return active, False
    try:
        with transaction.atomic():
            session = LessonSession.objects.create(user=user, lesson=lesson)
    except IntegrityError:  # a concurrent start won; resume its session
        return LessonSession.objects.get(user=user, lesson=lesson, state__in=ACTIVE_LESSON_STATES), False
    UserProgress.objects.filter(user=user, module_id=lesson.module_id).update(current_lesson=lesson)
    lesson_context_refresh(user=user, module=lesson.module)
    track(event_type=events.LESSON_STARTED, user=user, data={"lesson_id": lesson.pk, "session_id": str(session.pk)})
    return session, True


@transaction.atomic
def lesson_session_answer(
    *, session: LessonSession, user: User, value: Any, duration_ms: int = 0, step: int | None = None
) -> LessonSession:
    """Store the answer to the current step and move to the next one.

    ``step`` is the step the client answered (its index), when it says: an answer to a step
    that is no longer the current one (a resubmitted or stale form, a retried request) is
    refused with a 409 ``already_answered``, so it is never stored as the next step's answer.
    """
    _own(session, user)
    # of=("self",): lock this learner's session only, never the shared lesson row every learner reads
    session = LessonSession.objects.select_for_update(of=("self",)).select_related("lesson").get(pk=session.pk)
    if not session.is_active:
        raise Conflict(f"This lesson session is {session.state}.", errors={"state": [session.state]})
    if step is not None and step != session.current_step:
        raise Conflict(
            "That step was already answered; here is the next one.",
            errors={"step": [STEP_ALREADY_ANSWERED]},
        )
    next_step = session.next_step
    if next_step is None:
        raise Conflict("Every step is answered; finish the session.", errors={"state": ["all_steps_answered"]})
    if not 0 <= duration_ms <= MAX_DURATION_MS:
        raise ServiceError("Invalid duration.", errors={"duration_ms": ["Must be between 0 and 3 hours."]})
    value = validate_step_value(next_step, value)
    LessonStepResponse.objects.create(session=session, step_index=session.current_step, value=value)
    ExerciseSubmission.objects.create(
        user=user,
        module_id=session.lesson.module_id,
        lesson=session.lesson,
        lesson_session=session,
        stage=SubmissionStage.LESSON,
        payload={"step": session.current_step, "value": value},
        duration_ms=duration_ms,
    )
    session.current_step = F("current_step") + 1
    session.state = LessonSessionState.IN_PROGRESS
    session.save(update_fields=["current_step", "state", "updated_at"])
    session.refresh_from_db()
    return session


@transaction.atomic
def lesson_session_finish(*, session: LessonSession, user: User) -> LessonFinish:
    """Complete a run whose every step is answered. The lesson's XP is paid on its first
    completion only (the one run marked ``rewarded``, unique per learner and lesson);
    completing the module's last lesson completes the module."""
    _own(session, user)
    session = LessonSession.objects.select_for_update(of=("self",)).select_related("lesson__module").get(pk=session.pk)
    if not session.is_active:
        raise Conflict(f"This lesson session is {session.state}.", errors={"state": [session.state]})
    if session.current_step < len(session.lesson.steps):
        raise Conflict(
            "Answer every step before finishing.",
            errors={"state": [f"{len(session.lesson.steps) - session.current_step} step(s) left"]},
        )
    # Serialise finishes within a module: two last lessons finished at the same moment
    # must not each miss the other's completion and leave the module incomplete.
    UserProgress.objects.select_for_update().filter(user=user, module_id=session.lesson.module_id).first()
    first_completion = not LessonSession.objects.filter(user=user, lesson=session.lesson, rewarded=True).exists()
    session.state = LessonSessionState.COMPLETED
    session.completed_at = timezone.now()
    session.rewarded = first_completion
    try:
        with transaction.atomic():
            session.save(update_fields=["state", "completed_at", "rewarded", "updated_at"])
    except IntegrityError:  # another run of this lesson took its reward first
        first_completion = session.rewarded = False
        session.save(update_fields=["state", "completed_at", "rewarded", "updated_at"])
    if first_completion and session.lesson.xp_reward:
        profile_adjust_balance(user=user, xp=session.lesson.xp_reward)
    track(
        event_type=events.LESSON_COMPLETED, user=user, data={"lesson_id": session.lesson_id, "first": first_completion}
    )
    daily_quests.record(user=user, event_type=DailyQuestType.FINISH_LESSON, at=session.completed_at)
    module = session.lesson.module
    module_completed = module_lessons_all_completed(user=user, module=module) and module_complete(
        user=user, module=module
    )
    return LessonFinish(session=session, rewarded=first_completion, module_completed=module_completed)


@transaction.atomic
def lesson_session_abandon(*, session: LessonSession, user: User) -> LessonSession:
    _own(session, user)
    session = LessonSession.objects.select_for_update().get(pk=session.pk)
    if not session.is_active:
        raise Conflict(f"This lesson session is {session.state}.", errors={"state": [session.state]})
    session.state = LessonSessionState.ABANDONED
    session.save(update_fields=["state", "updated_at"])
    return session
