"""The amphitheatre: open a practice visit, record exercises (each adjusts the economy), end it."""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from myApp.accounts.models import User
from myApp.accounts.services import profile_adjust_balance
from myApp.analytics.services import track
from myApp.curriculum.models import AmphitheatreExerciseRecord, AmphitheatreSession
from myApp.lib.exceptions import Conflict, NotAllowed, ServiceError

DEFAULT_PLAN = [
    {"key": "warm_up", "title": "Warm-up: breathe and hum for 30 seconds"},
    {"key": "impromptu", "title": "Impromptu: one minute on a random topic"},
    {"key": "story", "title": "Story: tell a 90-second personal story with a clear point"},
    {"key": "q_and_a", "title": "Q&A: answer three tough questions calmly"},
]
MAX_REFLECTION = 4000
MAX_MARKERS = 200


def amphitheatre_rewards(scores: dict[str, int]) -> tuple[int, int, int]:
    """XP, coins and tickets for one exercise: practice always earns XP; good work earns more."""
    average = sum(scores.values()) / len(scores) if scores else 0
    xp = 5 + round(average / 10)
    coins = 2 if average >= 70 else 0
    tickets = 1 if average >= 90 else 0
    return xp, coins, tickets


def amphitheatre_hub(*, user: User) -> tuple[AmphitheatreSession, bool]:
    """Continue the learner's open visit, or open the next one. Returns (session, created)."""
    open_session = AmphitheatreSession.objects.filter(user=user, ended_at__isnull=True).first()
    if open_session is not None:
        return open_session, False
    last = AmphitheatreSession.objects.filter(user=user).aggregate(last=Max("visit_number"))["last"] or 0
    try:
        with transaction.atomic():
            session = AmphitheatreSession.objects.create(user=user, visit_number=last + 1, plan=DEFAULT_PLAN)
    except IntegrityError:  # a concurrent hub call opened it first
        return AmphitheatreSession.objects.get(user=user, ended_at__isnull=True), False
    track(event_type="amphitheatre_opened", user=user, data={"visit": session.visit_number})
    return session, True


def _validated_scores(scores: Any) -> dict[str, int]:
    if not isinstance(scores, dict):
        raise ServiceError("Invalid scores.", errors={"scores": ["An object of criterion → 0-100."]})
    for name, value in scores.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise ServiceError("Invalid scores.", errors={f"scores.{name}": ["A whole number from 0 to 100."]})
    return scores


@transaction.atomic
def amphitheatre_submit(
    *,
    user: User,
    session: AmphitheatreSession,
    exercise_key: str,
    scores: dict[str, int],
    reflection: str = "",
    markers: list | None = None,
    audio_ref: str = "",
) -> AmphitheatreExerciseRecord:
    if session.user_id != user.pk:
        raise NotAllowed("This is not your amphitheatre visit.")
    session = AmphitheatreSession.objects.select_for_update().get(pk=session.pk)
    if session.ended_at is not None:
        raise Conflict("This visit has ended.", errors={"session": ["ended"]})
    if exercise_key not in {item["key"] for item in session.plan}:
        raise ServiceError("Unknown exercise.", errors={"exercise_key": ["Not part of this visit's plan."]})
    if len(reflection) > MAX_REFLECTION:
        raise ServiceError("Reflection too long.", errors={"reflection": [f"At most {MAX_REFLECTION} characters."]})
    markers = markers or []
    if not isinstance(markers, list) or len(markers) > MAX_MARKERS:
        raise ServiceError("Invalid markers.", errors={"markers": [f"A list of at most {MAX_MARKERS} markers."]})
    scores = _validated_scores(scores)
    xp, coins, tickets = amphitheatre_rewards(scores)
    record = AmphitheatreExerciseRecord.objects.create(
        session=session,
        exercise_key=exercise_key,
        audio_ref=audio_ref,
        markers=markers,
        reflection=reflection,
        scores=scores,
        xp_delta=xp,
        coins_delta=coins,
        tickets_delta=tickets,
    )
    AmphitheatreSession.objects.filter(pk=session.pk).update(points=F("points") + xp)
    profile_adjust_balance(user=user, xp=xp, coins=coins, tickets=tickets)
    track(event_type="amphitheatre_submitted", user=user, data={"visit": session.visit_number, "xp": xp})
    return record


def amphitheatre_end(*, user: User, session: AmphitheatreSession) -> AmphitheatreSession:
    if session.user_id != user.pk:
        raise NotAllowed("This is not your amphitheatre visit.")
    ended = AmphitheatreSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(ended_at=timezone.now())
    if not ended:
        raise Conflict("This visit has already ended.", errors={"session": ["ended"]})
    session.refresh_from_db()
    return session
