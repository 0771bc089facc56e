"""Venues: entering spends tickets atomically; finishing pays the rewards once."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from myApp.accounts.models import User
from myApp.accounts.services import profile_adjust_balance
from myApp.analytics.services import track
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
    """Close the visit and pay its rewards; a second finish (or a concurrent one) pays nothing."""
    if entry.user_id != user.pk:
        raise NotAllowed("This is not your visit.")
    venue = Venue.objects.get(pk=entry.venue_id)
    closed = VenueEntry.objects.filter(pk=entry.pk, finished_at__isnull=True).update(
        finished_at=timezone.now(), xp_awarded=venue.xp_reward, coins_awarded=venue.coin_reward
    )
    if not closed:
        raise Conflict("This visit is already finished.", errors={"entry": ["already_finished"]})
    profile_adjust_balance(user=user, xp=venue.xp_reward, coins=venue.coin_reward)
    track(event_type="venue_finished", user=user, data={"venue_id": venue.pk, "xp": venue.xp_reward})
    entry.refresh_from_db()
    return entry
