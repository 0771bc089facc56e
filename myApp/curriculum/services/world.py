"""Venues: entering spends tickets atomically; finishing pays the rewards once a day.

However a learner comes by tickets (or a venue costs none), entering and finishing again
cannot mint: a venue pays on one finished visit per learner and day, which a partial unique
constraint on ``VenueEntry.paid_on`` holds; later visits that day finish with zero rewards.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from myApp.accounts.models import Profile, User
from myApp.accounts.services import profile_adjust_balance
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.curriculum import economy, selectors
from myApp.curriculum.models import ExerciseAttempt, Venue, VenueEntry
from myApp.lib import access
from myApp.lib.exceptions import Conflict, InsufficientBalance, ServiceError
from myApp.quests.daily_rules import DailyQuestType
from myApp.quests.services import daily as daily_quests

MAX_ATTEMPTS_PER_VISIT = 100
MAX_ATTEMPT_NOTES = 2000


def _spend_tickets(*, user: User, venue: Venue) -> None:
    """Pay the venue's ticket cost, or say what it costs, what the learner has and how to earn more."""
    try:
        profile_adjust_balance(user=user, tickets=-venue.ticket_cost)
    except InsufficientBalance:
        tickets = Profile.objects.filter(user=user).values_list("tickets", flat=True).first() or 0
        raise InsufficientBalance(
            economy.not_enough_tickets_message(venue_name=venue.name, cost=venue.ticket_cost, tickets=tickets),
            errors={"tickets": ["Not enough."]},
        ) from None


def venue_enter(*, user: User, venue: Venue) -> tuple[VenueEntry, bool]:
    """Pay the ticket cost and open a visit; a visit already open is returned without charging.

    Returns (entry, charged). The spend and the insert share one transaction, and the
    database refuses both a negative balance and a second open visit, so concurrent
    entries can neither overdraw nor pay twice.
    """
    if not selectors.venue_is_unlocked(user=user, venue=venue):
        raise Conflict("This venue is locked.", errors={"venue": ["Complete its module's predecessor first."]})
    open_entry = VenueEntry.objects.filter(user=user, venue=venue, finished_at__isnull=True).first()
    if open_entry is not None:
        return open_entry, False
    try:
        with transaction.atomic():
            if venue.ticket_cost:
                _spend_tickets(user=user, venue=venue)
            entry = VenueEntry.objects.create(user=user, venue=venue, tickets_spent=venue.ticket_cost)
    except IntegrityError:  # a concurrent entry opened the visit first; its spend stands, ours rolled back
        return VenueEntry.objects.get(user=user, venue=venue, finished_at__isnull=True), False
    track(event_type=events.VENUE_ENTERED, user=user, data={"venue_id": venue.pk, "tickets": venue.ticket_cost})
    return entry, True


@transaction.atomic
def venue_finish(*, user: User, entry: VenueEntry) -> VenueEntry:
    """Close the visit and pay its rewards if the venue has not paid this learner today.

    A second finish of the same visit is refused; a finish of another visit the same day
    closes it with zero rewards. Returns the entry (``paid_on`` says whether it paid).
    """
    access.require_owner(entry, user=user, message="This is not your visit.")
    venue = Venue.objects.get(pk=entry.venue_id)
    day = economy.today()
    still_open = VenueEntry.objects.filter(pk=entry.pk, finished_at__isnull=True)
    closed, paid = 0, False
    if not VenueEntry.objects.filter(user=user, venue=venue, paid_on=day).exists():
        try:
            with transaction.atomic():
                closed = still_open.update(
                    finished_at=timezone.now(),
                    paid_on=day,
                    xp_awarded=venue.xp_reward,
                    coins_awarded=venue.coin_reward,
                )
                paid = bool(closed)
        except IntegrityError:  # another visit to this venue was paid today, a moment ago
            closed = 0
    if not paid:
        closed = still_open.update(finished_at=timezone.now())
    if not closed:
        raise Conflict("This visit is already finished.", errors={"entry": ["already_finished"]})
    if paid:
        profile_adjust_balance(user=user, xp=venue.xp_reward, coins=venue.coin_reward)
    track(
        event_type=events.VENUE_FINISHED,
        user=user,
        data={"venue_id": venue.pk, "paid": paid, "xp": venue.xp_reward if paid else 0},
    )
    daily_quests.record(user=user, event_type=DailyQuestType.VENUE_PRACTICE)
    entry.refresh_from_db()
    return entry


@transaction.atomic
def venue_exercise_attempt(
    *, user: User, entry: VenueEntry, exercise_key: str, score: int, notes: str = ""
) -> ExerciseAttempt:
    """Record a scored attempt at one of the venue's task-sheet exercises during an open visit.

    The score (0-100) is the learner's own assessment; it pays nothing (the visit pays when it
    finishes), and an exercise may be attempted again. The visit row is locked, so attempts
    and a concurrent finish are ordered and none lands on a finished visit.
    """
    access.require_owner(entry, user=user, message="This is not your visit.")
    entry = VenueEntry.objects.select_for_update(of=("self",)).select_related("venue").get(pk=entry.pk)
    if entry.finished_at is not None:
        raise Conflict("This visit is finished.", errors={"entry": ["already_finished"]})
    if exercise_key not in {exercise["key"] for exercise in selectors.venue_exercises(entry.venue)}:
        raise ServiceError("Unknown exercise.", errors={"exercise_key": ["Not an exercise of this venue."]})
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise ServiceError("Invalid score.", errors={"score": ["A whole number from 0 to 100."]})
    if len(notes) > MAX_ATTEMPT_NOTES:
        raise ServiceError("Notes too long.", errors={"notes": [f"At most {MAX_ATTEMPT_NOTES} characters."]})
    if ExerciseAttempt.objects.filter(venue_entry=entry).count() >= MAX_ATTEMPTS_PER_VISIT:
        raise Conflict(
            "This visit has all the attempts it can hold.",
            errors={"entry": [f"At most {MAX_ATTEMPTS_PER_VISIT} attempts per visit."]},
        )
    attempt = ExerciseAttempt.objects.create(
        user=user,
        module_id=entry.venue.module_id,
        venue_entry=entry,
        exercise_key=exercise_key,
        score=score,
        notes=notes,
    )
    track(
        event_type=events.VENUE_EXERCISE_ATTEMPTED,
        user=user,
        data={"venue_id": entry.venue_id, "exercise": exercise_key, "score": score},
    )
    return attempt
