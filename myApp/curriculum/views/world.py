"""The practice world: the district map, a venue, entering it (tickets) and finishing a visit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from myApp.accounts.services import profile_ensure
from myApp.curriculum import economy, selectors, services
from myApp.curriculum.views.common import refuse
from myApp.lib.exceptions import InsufficientBalance, ServiceError

RECENT_VISITS_SHOWN = 5


@login_required
@require_GET
def district_map(request):
    profile = profile_ensure(user=request.user)
    unlocked = selectors.unlocked_venue_ids(user=request.user)
    open_entries = {
        entry.venue_id: entry
        for entry in selectors.venue_entries_owned_by(user=request.user).filter(finished_at__isnull=True)
    }
    districts = [
        selectors.DistrictCard(
            district=district,
            venues=[
                selectors.VenueCard(venue, venue.pk in unlocked, open_entries.get(venue.pk))
                for venue in district.venues.all()
            ],
            full_access=bool(profile.district_full_access.get(district.slug)),
        )
        for district in selectors.districts_with_venues()
    ]
    return render(request, "curriculum/district_map.html", {"profile": profile, "districts": districts})


def _exercise_text(exercise) -> dict[str, str]:
    """A task sheet exercise is free-form JSON: a string, or an object with a title and a prompt."""
    if isinstance(exercise, dict):
        title = exercise.get("title") or exercise.get("name") or exercise.get("key") or ""
        detail = exercise.get("prompt") or exercise.get("instructions") or exercise.get("description") or ""
        return {"title": str(title), "detail": str(detail)}
    return {"title": str(exercise), "detail": ""}


@login_required
@require_GET
def venue_detail(request, slug: str):
    venue = get_object_or_404(selectors.venues(), slug=slug)
    visits = selectors.venue_entries_owned_by(user=request.user).filter(venue=venue)
    context = {
        "venue": venue,
        "profile": profile_ensure(user=request.user),
        "unlocked": venue.pk in selectors.unlocked_venue_ids(user=request.user),
        "open_entry": visits.filter(finished_at__isnull=True).first(),
        "past_visits": [
            (visit, economy.venue_entry_note(visit))
            for visit in visits.filter(finished_at__isnull=False)[:RECENT_VISITS_SHOWN]
        ],
        "paid_today": venue.pk in selectors.venue_ids_paid_today(user=request.user),
        "paid_today_note": economy.VENUE_PAID_TODAY_NOTE,
        "task_sheets": [
            (sheet, [_exercise_text(item) for item in sheet.exercises]) for sheet in venue.task_sheets.all()
        ],
    }
    return render(request, "curriculum/venue_detail.html", context)


@login_required
@require_POST
def venue_enter(request, slug: str):
    venue = get_object_or_404(selectors.venues(), slug=slug)
    back = {"back_url": reverse("curriculum:venue", args=[venue.slug]), "back_label": f"Back to {venue.name}"}
    try:
        entry, charged = services.venue_enter(user=request.user, venue=venue)
    except InsufficientBalance:
        tickets = profile_ensure(user=request.user).tickets
        error = InsufficientBalance(
            f"{venue.name} costs {venue.ticket_cost} ticket(s) and you have {tickets}. "
            "Complete modules or practise in the amphitheatre to earn more.",
            errors={"tickets": ["Not enough."]},
        )
        return refuse(request, error, **back)
    except ServiceError as error:
        return refuse(request, error, **back)
    if charged:
        messages.success(request, f"You entered {venue.name} for {entry.tickets_spent} ticket(s).")
    else:
        messages.info(request, f"You are already inside {venue.name}; no ticket was spent.")
    return redirect("curriculum:venue", slug=venue.slug)


@login_required
@require_POST
def visit_finish(request, pk: int):
    entry = get_object_or_404(selectors.venue_entries_owned_by(user=request.user), pk=pk)
    venue = entry.venue
    try:
        entry = services.venue_finish(user=request.user, entry=entry)
    except ServiceError as error:
        return refuse(
            request, error, back_url=reverse("curriculum:venue", args=[venue.slug]), back_label=f"Back to {venue.name}"
        )
    if entry.paid_on is not None:
        messages.success(
            request, f"Visit to {venue.name} finished: +{entry.xp_awarded} XP and +{entry.coins_awarded} coins."
        )
    else:
        messages.info(request, f"Visit to {venue.name} finished. {economy.VENUE_UNPAID_VISIT_NOTE}")
    return redirect("curriculum:venue", slug=venue.slug)
