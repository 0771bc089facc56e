"""Venues: entering spends tickets atomically; finishing pays the rewards once a day.

However a learner comes by tickets (or a venue costs none), entering and finishing again
cannot mint: a venue pays on one finished visit per learner and day, which a partial unique
constraint on ``VenueEntry.paid_on`` holds; later visits that day finish with zero rewards.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from myApp.accounts.models import User
from myApp.accounts.services import profile_adjust_balance
from myApp.analytics.services import track
from myApp.curriculum import economy
from myApp.curriculum.models import UserVenueUnlock, Venue, VenueEntry
from myApp.lib.exceptions import Conflict, NotAllowed


def venue_enter(*, user: User, venue: Venue) -> tuple[VenueEntry, bool]:
    """Pay the ticket cost and open a visit; a visit already open is returned without charging.

    Returns (entry, charged). The spend and the insert share one transaction, and the
    database refuses both a negative balance and a second open visit, so concurrent
    entries can neither overdraw nor pay twice.
    """
    if not UserVenueUnlock.objects.filter(user=user, venue=venue).exists():
        raise Conflict("This venue is locked.", errors={"venue": ["Complete its module's predecessor first."]})
    open_entry = VenueEntry.objects.filter(user=user, venue=venue, finished_at__isnull=True).first()
    if open_entry is not None:
        return open_entry, False
    try:
        with transaction.atomic():
            if venue.ticket_cost:
                profile_adjust_balance(user=user, tickets=-venue.ticket_cost)
            entry = VenueEntry.objects.create(user=user, venue=venue, tickets_spent=venue.ticket_cost)
    except IntegrityError:  # a concurrent entry opened the visit first; its spend stands, ours rolled back
        return VenueEntry.objects.get(user=user, venue=venue, finished_at__isnull=True), False
    track(event_type="venue_entered", user=user, data={"venue_id": venue.pk, "tickets": venue.ticket_cost})
    return entry, True


@transaction.atomic
def venue_finish(*, user: User, entry: VenueEntry) -> VenueEntry:
    """Close the visit and pay its rewards if the venue has not paid this learner today.

    A second finish of the same visit is refused; a finish of another visit the same day
    closes it with zero rewards. Returns the entry (``paid_on`` says whether it paid).
    """
    if entry.user_id != user.pk:
        raise NotAllowed("This is not your visit.")
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
        event_type="venue_finished",
        user=user,
        data={"venue_id": venue.pk, "paid": paid, "xp": venue.xp_reward if paid else 0},
    )
    entry.refresh_from_db()
    return entry
