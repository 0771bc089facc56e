"""The amphitheatre: the current visit's plan with a form per exercise, and the history of visits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from myApp.curriculum import economy, selectors, services
from myApp.curriculum.forms import AmphitheatreSubmitForm
from myApp.curriculum.models import AmphitheatreSession
from myApp.curriculum.speech import topics
from myApp.curriculum.throttling import recording_throttled
from myApp.curriculum.views.common import refuse
from myApp.lib.exceptions import ServiceError
from myApp.lib.forms import add_service_errors

HUB_BACK = {"back_label": "Back to the amphitheatre"}


def _titles(session: AmphitheatreSession) -> dict[str, str]:
    return {item["key"]: item.get("title", item["key"]) for item in session.plan}


def _records(session: AmphitheatreSession) -> list[tuple]:
    """(record, exercise title, what it paid or why not) for each recording of the visit."""
    titles = _titles(session)
    return [
        (record, titles.get(record.exercise_key, record.exercise_key), economy.amphitheatre_record_note(record))
        for record in session.records.all()
    ]


def _exercise_offer(item: dict, *, paid: bool, pays_now: bool) -> str:
    """What recording this exercise now will pay, in words."""
    if not pays_now:
        return "Pays nothing in this visit."
    if paid:
        return "Paid in this visit; recording it again pays nothing."
    return f"Pays {economy.describe_amounts(*economy.plan_amounts(item))} on its first recording."


def _exercise_form(key: str, bound: AmphitheatreSubmitForm | None) -> AmphitheatreSubmitForm:
    """The exercise's form: the one just posted (with its errors) when it was this exercise's, else a fresh one."""
    if bound is not None and bound.data.get("exercise_key") == key:
        return bound
    return AmphitheatreSubmitForm(exercise_key=key)


def _hub_page(request, session: AmphitheatreSession, bound: AmphitheatreSubmitForm | None = None, status: int = 200):
    titles = _titles(session)
    records = _records(session)
    done = {record.exercise_key for record, _, _ in records}
    paid = {record.exercise_key for record, _, _ in records if record.paid}
    pays_now = economy.amphitheatre_visit_pays_now(session)
    exercises = []
    for item in session.plan:
        form = _exercise_form(item["key"], bound)
        prompt = topics.exercise_prompt(item["key"], posted_topic=form.data.get("topic", "") if form.is_bound else "")
        if not form.is_bound:
            form.initial["topic"] = prompt["topic"]  # posted back with the recording
        exercises.append(
            {
                "key": item["key"],
                "title": item.get("title", item["key"]),
                "done": item["key"] in done,
                "offer": _exercise_offer(item, paid=item["key"] in paid, pays_now=pays_now),
                "prompt": prompt,
                "form": form,
            }
        )
    if bound is not None and bound.errors and bound.data.get("exercise_key") not in titles:
        messages.error(request, "That exercise is not part of this visit; pick one below.")
    context = {
        "session": session,
        "exercises": exercises,
        "records": records,
        "pays_now": pays_now,
        "rewards_note": economy.amphitheatre_visit_note(session),
    }
    return render(request, "curriculum/amphitheatre_hub.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def amphitheatre_hub(request):
    """GET shows the open visit (or a button to open one); POST opens the next visit or
    continues the open one (the service decides), so merely looking never creates a visit."""
    if request.method == "POST":
        services.amphitheatre_hub(user=request.user)
        return redirect("curriculum:amphitheatre")
    session = selectors.open_amphitheatre_session(user=request.user)
    if session is None:
        context = {
            "paying_left": selectors.amphitheatre_paying_visits_left(user=request.user),
            "paying_per_day": economy.AMPHITHEATRE_PAYING_VISITS_PER_DAY,
            "practice_note": economy.DAILY_BOUND_REACHED_NOTE,
        }
        return render(request, "curriculum/amphitheatre_start.html", context)
    return _hub_page(request, session)


def _visit_or_404(request, pk: int) -> AmphitheatreSession:
    return get_object_or_404(selectors.amphitheatre_sessions_owned_by(user=request.user), pk=pk)


@login_required
@require_POST
def amphitheatre_submit(request, pk: int):
    session = _visit_or_404(request, pk)
    back = {"back_url": reverse("curriculum:amphitheatre"), **HUB_BACK}
    form = AmphitheatreSubmitForm(request.POST, request.FILES, exercise_key=request.POST.get("exercise_key", ""))
    if not form.is_valid():
        return _hub_page(request, session, form, status=400)
    if refused := recording_throttled(request, **back):
        return refused
    try:
        record = services.amphitheatre_submit(
            user=request.user,
            session=session,
            exercise_key=form.cleaned_data["exercise_key"],
            scores=form.scores(),
            reflection=form.cleaned_data["reflection"],
            audio=form.cleaned_data["audio"],
            topic=form.cleaned_data["topic"],
        )
    except ServiceError as error:
        if error.status_code != 400:
            return refuse(request, error, **back)
        add_service_errors(form, error)
        return _hub_page(request, session, form, status=400)
    if record.paid:
        amounts = economy.describe_amounts(*economy.record_amounts(record))
        messages.success(request, f"Exercise recorded: {amounts}.")
    else:
        messages.info(request, f"Exercise recorded. {economy.amphitheatre_record_note(record)}")
    recording = getattr(record, "recording", None) if form.cleaned_data["audio"] else None
    if recording is not None:
        return redirect(_recording_page(recording.pk))
    return redirect("curriculum:amphitheatre")


def _recording_page(pk: int) -> str:
    """The recording's feedback page (curriculum:recording, the pages' branch); the hub until it exists."""
    try:
        return reverse("curriculum:recording", args=[pk])
    except NoReverseMatch:
        return reverse("curriculum:amphitheatre")


@login_required
@require_POST
def amphitheatre_end(request, pk: int):
    session = _visit_or_404(request, pk)
    try:
        session = services.amphitheatre_end(user=request.user, session=session)
    except ServiceError as error:
        return refuse(request, error, back_url=reverse("curriculum:amphitheatre"), **HUB_BACK)
    messages.success(request, f"Visit {session.visit_number} ended with {session.points} points.")
    return redirect("curriculum:amphitheatre_history")


@login_required
@require_GET
def amphitheatre_history(request):
    visits = selectors.amphitheatre_sessions_owned_by(user=request.user)
    timeline = []
    for visit in visits:
        timeline.append({"visit": visit, "records": _records(visit)})
    return render(request, "curriculum/amphitheatre_history.html", {"timeline": timeline})
