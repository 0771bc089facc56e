"""Milestones: submit a recorded speech for a level, see the result and past attempts."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from myApp.curriculum import selectors, services
from myApp.curriculum.forms import MilestoneForm
from myApp.curriculum.speech import rubric
from myApp.curriculum.throttling import recording_throttled
from myApp.curriculum.views.common import refuse
from myApp.lib.exceptions import ServiceError
from myApp.lib.forms import add_service_errors

PAST_ATTEMPTS_SHOWN = 20


@login_required
@require_http_methods(["GET", "POST"])
def milestone(request, number: int):
    level = get_object_or_404(selectors.levels_with_modules(), number=number)
    form = MilestoneForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        back = {"back_url": reverse("curriculum:milestone", args=[level.number]), "back_label": "Back to the milestone"}
        if refused := recording_throttled(request, **back):
            return refused
        try:
            attempt = services.milestone_submit(
                user=request.user,
                level=level,
                rubric_scores=form.rubric_scores(),
                audio=form.cleaned_data["audio"],
                audio_url=form.cleaned_data["audio_url"],
                transcript=form.cleaned_data["transcript"],
            )
        except ServiceError as error:
            if error.status_code != 400:
                return refuse(
                    request,
                    error,
                    back_url=reverse("curriculum:milestone", args=[level.number]),
                    back_label="Back to the milestone",
                )
            add_service_errors(form, error)
        else:
            return redirect("curriculum:milestone_result", pk=attempt.pk)
    modules = list(level.modules.all())
    statuses = selectors.module_statuses(user=request.user, module_ids=[module.pk for module in modules])
    attempts = selectors.milestone_attempts_owned_by(user=request.user).filter(level=level)
    context = {
        "level": level,
        "form": form,
        "modules": [selectors.ModuleCard(module, statuses.get(module.pk, selectors.LOCKED)) for module in modules],
        "attempts": attempts[:PAST_ATTEMPTS_SHOWN],
        "rules": rubric.RULES,
    }
    return render(request, "curriculum/milestone.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def milestone_result(request, pk: int):
    attempt = get_object_or_404(selectors.milestone_attempts_owned_by(user=request.user), pk=pk)
    reviews = list(attempt.reviews.all())
    context = {
        "attempt": attempt,
        "level": attempt.level,
        "reviews": reviews,
        "evaluation": services.attempt_evaluation(attempt, reviews=reviews),
        "awaiting": services.awaiting_measures(attempt),
        "recording": services.milestones.attempt_recording(attempt),
        "rules": rubric.RULES,
    }
    return render(request, "curriculum/milestone_result.html", context)


def _review_request_change(request, pk: int, change) -> object:
    attempt = get_object_or_404(selectors.milestone_attempts_owned_by(user=request.user), pk=pk)
    back = reverse("curriculum:milestone_result", args=[attempt.pk])
    try:
        change(user=request.user, attempt=attempt)
    except ServiceError as error:
        return refuse(request, error, back_url=back, back_label="Back to the result")
    return redirect(back)


@login_required
@require_POST
def milestone_review_request(request, pk: int):
    return _review_request_change(request, pk, services.milestone_review_request)


@login_required
@require_POST
def milestone_review_withdraw(request, pk: int):
    return _review_request_change(request, pk, services.milestone_review_withdraw)
