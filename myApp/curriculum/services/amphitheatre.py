"""The amphitheatre: open a practice visit, record exercises, end it.

What an exercise pays comes from the visit's plan, which the server writes when the visit
opens; the learner's self-reported scores are kept as their self-assessment and decide
nothing. An exercise pays on its first recording in a visit (a partial unique constraint on
paid records holds that under concurrency); a visit pays only on the day it opened, and
only the first ``AMPHITHEATRE_PAYING_VISITS_PER_DAY`` visits of a day that earn anything
pay: later visits are practice with zero rewards.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from myApp.accounts.models import Profile, User
from myApp.accounts.services import profile_adjust_balance, profile_ensure
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.curriculum import economy
from myApp.curriculum.models import (
    AmphitheatreExerciseRecord,
    AmphitheatreSession,
    ExerciseAttempt,
    RecordingPurpose,
)
from myApp.curriculum.selectors import amphitheatre_paying_visits_on
from myApp.curriculum.services import speech
from myApp.lib import access
from myApp.lib.exceptions import Conflict, ServiceError
from myApp.lib.json_input import encoded_size
from myApp.quests.daily_rules import DailyQuestType
from myApp.quests.services import daily as daily_quests

MAX_REFLECTION = 4000
MAX_MARKERS = 200
MAX_SCORES = 20
MAX_MARKERS_BYTES = 16 * 1024


@transaction.atomic
def amphitheatre_hub(*, user: User) -> tuple[AmphitheatreSession, bool]:
    """Continue the learner's open visit, or open the next one. Returns (session, created).

    A new visit pays when fewer than the daily bound of the day's earlier visits have paid;
    otherwise its plan carries zeros. The learner's profile row is locked first, so two
    opens (or an open racing a paid submission) count the day's visits one after another.
    """
    Profile.objects.select_for_update().filter(pk=profile_ensure(user=user).pk).first()
    open_session = AmphitheatreSession.objects.filter(user=user, ended_at__isnull=True).first()
    if open_session is not None:
        return open_session, False
    last = AmphitheatreSession.objects.filter(user=user).aggregate(last=Max("visit_number"))["last"] or 0
    paid_today = amphitheatre_paying_visits_on(user=user, day=economy.today())
    paying = paid_today < economy.AMPHITHEATRE_PAYING_VISITS_PER_DAY
    try:
        with transaction.atomic():
            session = AmphitheatreSession.objects.create(
                user=user, visit_number=last + 1, plan=economy.amphitheatre_plan(paying=paying), paying=paying
            )
    except IntegrityError:  # a concurrent hub call opened it first
        return AmphitheatreSession.objects.get(user=user, ended_at__isnull=True), False
    track(event_type=events.AMPHITHEATRE_OPENED, user=user, data={"visit": session.visit_number, "paying": paying})
    return session, True


def _validated_scores(scores: Any) -> dict[str, int]:
    if not isinstance(scores, dict) or len(scores) > MAX_SCORES or any(len(str(name)) > 64 for name in scores):
        raise ServiceError(
            "Invalid scores.",
            errors={"scores": [f"An object of at most {MAX_SCORES} criteria (names up to 64 characters) → 0-100."]},
        )
    for name, value in scores.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise ServiceError("Invalid scores.", errors={f"scores.{name}": ["A whole number from 0 to 100."]})
    return scores


def amphitheatre_submit(
    *,
    user: User,
    session: AmphitheatreSession,
    exercise_key: str,
    scores: dict[str, int],
    reflection: str = "",
    markers: list | None = None,
    audio_ref: str = "",
    audio=None,
    topic: str = "",
) -> AmphitheatreExerciseRecord:
    """Record an exercise of the visit's plan, with the learner's recorded talk when ``audio`` is given and the
    impromptu ``topic`` they were given (not kept without audio). The audio is checked and converted before
    anything is written, so bad audio (400) records nothing; the record then gets its ``SpeechRecording``
    (``record.recording``), analysed in the background once the submission commits."""
    access.require_owner(session, user=user, message="This is not your amphitheatre visit.")
    recorded = speech.recording_normalise(audio) if audio else None
    return _submit(
        user=user,
        session=session,
        exercise_key=exercise_key,
        scores=scores,
        reflection=reflection,
        markers=markers,
        audio_ref=audio_ref,
        recorded=recorded,
        topic=topic,
    )


@transaction.atomic
def _submit(
    *,
    user: User,
    session: AmphitheatreSession,
    exercise_key: str,
    scores: dict[str, int],
    reflection: str,
    markers: list | None,
    audio_ref: str,
    recorded,
    topic: str,
) -> AmphitheatreExerciseRecord:
    session = AmphitheatreSession.objects.select_for_update().get(pk=session.pk)
    if session.ended_at is not None:
        raise Conflict("This visit has ended.", errors={"session": ["ended"]})
    if exercise_key not in {item["key"] for item in session.plan}:
        raise ServiceError("Unknown exercise.", errors={"exercise_key": ["Not part of this visit's plan."]})
    if len(reflection) > MAX_REFLECTION:
        raise ServiceError("Reflection too long.", errors={"reflection": [f"At most {MAX_REFLECTION} characters."]})
    markers = markers or []
    if not isinstance(markers, list) or len(markers) > MAX_MARKERS or encoded_size(markers) > MAX_MARKERS_BYTES:
        raise ServiceError(
            "Invalid markers.",
            errors={"markers": [f"A list of at most {MAX_MARKERS} markers, {MAX_MARKERS_BYTES // 1024} KB in all."]},
        )
    scores = _validated_scores(scores)
    item = next(item for item in session.plan if item["key"] == exercise_key)
    fields = dict(
        session=session,
        exercise_key=exercise_key,
        audio_ref=audio_ref,
        markers=markers,
        reflection=reflection,
        scores=scores,
    )
    already_paid = AmphitheatreExerciseRecord.objects.filter(session=session, exercise_key=exercise_key, paid=True)
    record = None
    if economy.amphitheatre_visit_pays_now(session) and not already_paid.exists():
        xp, coins, tickets = economy.plan_amounts(item)
        try:
            with transaction.atomic():
                record = AmphitheatreExerciseRecord.objects.create(
                    **fields, paid=True, xp_delta=xp, coins_delta=coins, tickets_delta=tickets
                )
        except IntegrityError:  # a concurrent submission of this exercise was paid first
            record = None
    if record is None:  # a redo, or a practice visit: kept, paid nothing
        record = AmphitheatreExerciseRecord.objects.create(**fields, paid=False)
    if scores:  # a scored exercise: its overall score joins the learner's attempt history
        ExerciseAttempt.objects.create(
            user=user,
            amphitheatre_record=record,
            exercise_key=exercise_key,
            score=round(sum(scores.values()) / len(scores)),
        )
    if record.paid:
        AmphitheatreSession.objects.filter(pk=session.pk).update(points=F("points") + record.xp_delta)
        profile_adjust_balance(user=user, xp=record.xp_delta, coins=record.coins_delta, tickets=record.tickets_delta)
    track(
        event_type=events.AMPHITHEATRE_SUBMITTED,
        user=user,
        data={"visit": session.visit_number, "exercise": exercise_key, "paid": record.paid, "xp": record.xp_delta},
    )
    daily_quests.record(user=user, event_type=DailyQuestType.VENUE_PRACTICE, at=record.created_at)
    if recorded is not None:  # last: its file is written now, and removed only if its own row fails
        speech.recording_create(
            user=user,
            upload=recorded,
            purpose=RecordingPurpose.AMPHITHEATRE,
            amphitheatre_record=record,
            topic=topic,
        )
    return record


@transaction.atomic
def amphitheatre_end(*, user: User, session: AmphitheatreSession) -> AmphitheatreSession:
    """End the learner's visit (once: 409 after). The event is recorded in the ending's transaction, so a
    refused second ending records nothing."""
    access.require_owner(session, user=user, message="This is not your amphitheatre visit.")
    ended = AmphitheatreSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(ended_at=timezone.now())
    if not ended:
        raise Conflict("This visit has already ended.", errors={"session": ["ended"]})
    session.refresh_from_db()
    track(
        event_type=events.AMPHITHEATRE_ENDED,
        user=user,
        data={"visit": session.visit_number, "exercises": session.records.count(), "points": session.points},
    )
    return session
