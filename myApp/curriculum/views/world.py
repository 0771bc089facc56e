"""The practice world: the district map, a venue, entering it (tickets) and finishing a visit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from myApp.accounts import selectors as account_selectors
from myApp.curriculum import economy, selectors, services
from myApp.curriculum.forms import VenueAttemptForm
from myApp.curriculum.models import Venue, VenueEntry
from myApp.curriculum.views.common import refuse
from myApp.lib.exceptions import ServiceError
from myApp.lib.forms import add_service_errors

RECENT_VISITS_SHOWN = 5


@login_required
@require_GET
def district_map(request):
    context = {
        "profile": account_selectors.profile_for(user=request.user),
        "districts": selectors.district_cards(user=request.user),
    }
    return render(request, "curriculum/district_map.html", context)


def _exercise_text(exercise) -> dict[str, str]:
    """A task sheet exercise is free-form JSON: a string, or an object with a title and a prompt."""
    if isinstance(exercise, dict):
        title = exercise.get("title") or exercise.get("name") or exercise.get("key") or ""
        detail = exercise.get("prompt") or exercise.get("instructions") or exercise.get("description") or ""
        return {"title": str(title), "detail": str(detail)}
    return {"title": str(exercise), "detail": ""}


def _attempt_forms(venue: Venue, entry: VenueEntry | None, bound: VenueAttemptForm | None = None) -> list:
    """(exercise, its attempts in this visit, a form to record one) for each task-sheet exercise
    with a key, while the learner is inside the venue."""
    if entry is None:
        return []
    attempts: dict[str, list] = {}
    for attempt in entry.attempts.all():
        attempts.setdefault(attempt.exercise_key, []).append(attempt)
    rows = []
    for exercise in selectors.venue_exercises(venue):
        key = exercise["key"]
        form = bound if bound is not None and bound.data.get("exercise_key") == key else None
        rows.append((_exercise_text(exercise), attempts.get(key, []), form or VenueAttemptForm(exercise_key=key)))
    return rows


def _unplaced_errors(request, rows: list, bound: VenueAttemptForm | None) -> None:
    """A form for an exercise the page does not show (a stale or forged key) says so as a message."""
    if bound is not None and bound.errors and all(form is not bound for _, _, form in rows):
        messages.error(request, "That exercise is not part of this venue; pick one below.")


def _venue_page(request, venue: Venue, bound: VenueAttemptForm | None = None, status: int = 200):
    visits = selectors.venue_entries_owned_by(user=request.user).filter(venue=venue)
    open_entry = visits.filter(finished_at__isnull=True).first()
    attempt_forms = _attempt_forms(venue, open_entry, bound)
    _unplaced_errors(request, attempt_forms, bound)
    profile = account_selectors.profile_for(user=request.user)
    context = {
        "venue": venue,
        "profile": profile,
        "tickets_short": economy.tickets_short_message(
            venue_name=venue.name, cost=venue.ticket_cost, tickets=profile.tickets
        ),
        "unlocked": selectors.venue_is_unlocked(user=request.user, venue=venue),
        "open_entry": open_entry,
        "attempt_forms": attempt_forms,
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
    return render(request, "curriculum/venue_detail.html", context, status=status)


@login_required
@require_GET
def venue_detail(request, slug: str):
    return _venue_page(request, get_object_or_404(selectors.venues(), slug=slug))


@login_required
@require_POST
def venue_enter(request, slug: str):
    venue = get_object_or_404(selectors.venues(), slug=slug)
    back = {"back_url": reverse("curriculum:venue", args=[venue.slug]), "back_label": f"Back to {venue.name}"}
    try:
        entry, charged = services.venue_enter(user=request.user, venue=venue)
    except ServiceError as error:
        return refuse(request, error, **back)
    if charged:
        messages.success(
            request, f"You entered {venue.name} for {entry.tickets_spent} ticket{pluralize(entry.tickets_spent)}."
        )
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


@login_required
@require_POST
def visit_attempt(request, pk: int):
    """Record a scored attempt at one of the venue's exercises during the open visit."""
    entry = get_object_or_404(selectors.venue_entries_owned_by(user=request.user), pk=pk)
    venue = get_object_or_404(selectors.venues(), pk=entry.venue_id)
    form = VenueAttemptForm(request.POST, exercise_key=request.POST.get("exercise_key", ""))
    if not form.is_valid():
        return _venue_page(request, venue, form, status=400)
    try:
        attempt = services.venue_exercise_attempt(user=request.user, entry=entry, **form.cleaned_data)
    except ServiceError as error:
        if error.status_code != 400:
            back = {"back_url": reverse("curriculum:venue", args=[venue.slug]), "back_label": f"Back to {venue.name}"}
            return refuse(request, error, **back)
        add_service_errors(form, error)
        return _venue_page(request, venue, form, status=400)
    messages.success(request, f"Attempt recorded: {attempt.score}/100.")
    return redirect("curriculum:venue", slug=venue.slug)
