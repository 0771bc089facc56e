"""One page per guided module; each completes it through ``conversation_module_complete``.

``/chat/modules/<slug>/`` works on the learner's active conversation (started on
the first completion if there is none); ``/chat/<pk>/modules/<slug>/`` on a
conversation the learner owns (anyone else gets 404).
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from myApp.lib.client import client_fields
from myApp.lib.exceptions import ServiceError
from myApp.sessions import risk_selectors, selectors, services, wellbeing
from myApp.sessions.forms import STEP_LABELS, BreathingForm, CheckInForm, DoodleForm, MoodForm
from myApp.sessions.models import Conversation, WellbeingModule
from myApp.sessions.services.clinical.risk import SELF_CHECK_TEXT_FIELDS


@dataclass(frozen=True)
class ModulePage:
    slug: str
    module_id: str
    title: str
    blurb: str
    form_class: type[forms.Form]
    template: str


MODULE_PAGES = {
    page.slug: page
    for page in (
        ModulePage(
            "breathing",
            WellbeingModule.BREATHING,
            "Breathing",
            "Follow a calm pace for a few breaths, then notice how you feel.",
            BreathingForm,
            "sessions/module_breathing.html",
        ),
        ModulePage(
            "mood",
            WellbeingModule.EMOTION_LABELING,
            "Mood check-in",
            "Name today's mood and add a note if you like.",
            MoodForm,
            "sessions/module_mood.html",
        ),
        ModulePage(
            "doodle",
            WellbeingModule.INNER_DOODLING,
            "Doodle",
            "When words are hard, draw whatever comes.",
            DoodleForm,
            "sessions/module_doodle.html",
        ),
        ModulePage(
            "check-in",
            WellbeingModule.QUICK_ASSESSMENT,
            "Quick self-check",
            "Ten short statements about your past week.",
            CheckInForm,
            "sessions/module_check_in.html",
        ),
    )
}
PAGE_FOR_MODULE = {page.module_id: page for page in MODULE_PAGES.values()}


def module_url(page: ModulePage, conversation_pk: int | None = None) -> str:
    if conversation_pk is None:
        return reverse("chat:module", args=[page.slug])
    return reverse("chat:conversation_module", args=[conversation_pk, page.slug])


MISSING = "—"


def completion_summary(module_id: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    """A completion's data as label/value pairs for people (the done state and the report).

    Every declared field is optional (seed 000's clients may send ``{}``): a missing one shows as a dash.
    """
    if module_id == WellbeingModule.BREATHING:
        timings = data.get("timings") or {}
        intensity = data.get("intensity")
        steps = data.get("completed_steps") or []
        rows = [
            ("Feeling", data.get("emotion") or MISSING),
            ("Intensity", MISSING if intensity is None else f"{intensity} of 100"),
            ("Steps", ", ".join(STEP_LABELS.get(step, step) for step in steps) or MISSING),
        ]
        if timings:
            pace = "-".join(str(timings.get(name, "?")) for name in ("inhale", "hold", "exhale", "hold_after"))
            rows.append(("Pace (in-hold-out-hold seconds)", pace))
        return rows
    if module_id == WellbeingModule.EMOTION_LABELING:
        return [
            ("Mood", data.get("mood") or MISSING),
            ("Date", data.get("date") or MISSING),
            ("Note", data.get("note") or MISSING),
        ]
    if module_id == WellbeingModule.INNER_DOODLING:
        sketch = data.get("sketch_data") or {}
        return [
            ("Drawing", "Yes" if sketch.get("has_drawing") else "No"),
            ("Strokes saved", str(len(sketch.get("strokes") or []))),
        ]
    score = selectors.assessment_score(data.get("answers"))
    return [
        ("Total", f"{score['total']} of {score['possible']}" if score["answered"] else MISSING),
        ("Statements answered", f"{score['answered']} of {len(score['scores'])}"),
    ]


def _render(
    request: HttpRequest,
    page: ModulePage,
    form: forms.Form,
    conversation: Conversation | None,
    *,
    url_pk: int | None,
    done: bool = False,
    status: int = 200,
) -> HttpResponse:
    latest = conversation.module_status.get(page.module_id) if conversation is not None else None
    context = {
        "page": page,
        "form": form,
        "conversation": conversation,
        "action_url": module_url(page, url_pk),
        "back_url": reverse("chat:detail", args=[url_pk]) if url_pk else reverse("chat:conversation"),
        "done": done and bool(latest and latest.get("completed_at")),
        "summary": completion_summary(page.module_id, latest.get("completion_data") or {})
        if latest and latest.get("completed_at")
        else [],
        "questions_with_fields": [form[f"q{i}"] for i in range(len(wellbeing.ASSESSMENT_QUESTIONS))]
        if isinstance(form, CheckInForm)
        else [],
        "scale_min": wellbeing.ASSESSMENT_MIN,
        "scale_max": wellbeing.ASSESSMENT_MAX,
        "max_strokes": wellbeing.MAX_STROKES,
        "max_points": wellbeing.MAX_POINTS,
        # The pages where a person writes what the risk screen reads say who is told (``services.clinical.risk``):
        # a field of this page's form that the screen reads (the quick self-check's page has none to write in).
        "clinicians_told": risk_selectors.clinicians_told_of_risk(user=request.user)
        if set(SELF_CHECK_TEXT_FIELDS.get(page.module_id, ())) & set(page.form_class.base_fields)
        else [],
    }
    return render(request, page.template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def module_page(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    page = MODULE_PAGES.get(slug)
    if page is None:
        raise Http404("No such guided module.")
    conversation = (
        get_object_or_404(selectors.conversations_owned_by(user=request.user), pk=pk) if pk is not None else None
    )
    if request.method == "GET":
        if conversation is None:
            conversation = selectors.active_conversation(user=request.user)
        return _render(request, page, page.form_class(), conversation, url_pk=pk, done=request.GET.get("done") == "1")

    form = page.form_class(request.POST)
    status = 400
    if form.is_valid():
        if conversation is None:
            conversation, _ = services.conversation_get_or_create_active(user=request.user, **client_fields(request))
        try:
            services.conversation_module_complete(
                conversation=conversation,
                user=request.user,
                module_id=page.module_id,
                completion_data=form.completion_data(),
            )
        except ServiceError as error:
            if error.status_code == 400:
                form.add_service_errors(error)
            else:
                messages.error(request, error.detail)
                status = error.status_code
        else:
            messages.success(request, f"{page.title} saved. Thank you for taking a moment for yourself.")
            return redirect(f"{module_url(page, pk)}?done=1")
    return _render(request, page, form, conversation, url_pk=pk, status=status)
