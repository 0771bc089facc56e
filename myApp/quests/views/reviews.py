"""The psychologists' review queue: quests awaiting review, each with its graph laid out to read and a
form for the four scales, the written review and the decision; below, every decided review (by any
psychologist, the latest first, a page at a time) so the queue's history stays visible. Anyone else
gets 403, whatever the id (as the API answers), so the pages never tell which quests are waiting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from myApp.curriculum.views.common import refuse
from myApp.lib.exceptions import ServiceError
from myApp.quests import selectors, services
from myApp.quests.models import ModerationStatus
from myApp.quests.page_forms import DecisionForm, ReviewForm
from myApp.quests.selectors import pages

DECIDED_PAGE_SIZE = 20
QUEUE_PAGE_SIZE = 20


def _require_psychologist(request) -> None:
    if not services.is_psychologist(request.user):
        raise PermissionDenied("Only psychologists review quests.")


@login_required
@require_GET
def queue(request):
    _require_psychologist(request)
    waiting = Paginator(selectors.review_queue(), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    decided = Paginator(selectors.reviews_decided(), DECIDED_PAGE_SIZE).get_page(request.GET.get("decided"))
    context = {"quests": list(waiting.object_list), "waiting": waiting, "decided": decided}
    return render(request, "quests/review_queue.html", context)


def _done(request, quest, approve: bool):
    verdict = "approved and listed" if approve else "rejected and sent back to its author"
    messages.success(request, f"“{quest.title}” is {verdict}.")
    return redirect("quests:reviews")


def _refuse(request, error: ServiceError):
    return refuse(request, error, back_url=reverse("quests:reviews"), back_label="Back to the review queue")


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    _require_psychologist(request)
    quest = get_object_or_404(selectors.quests_for_reviewers(), pk=pk)
    if quest.moderation_status != ModerationStatus.PENDING_REVIEW:  # decided: read only
        if request.method == "POST":
            raise Http404("This quest is not awaiting review.")
        context = {
            "quest": quest,
            "outline": pages.graph_outline(quest.graph_structure),
            "history": list(selectors.review_history(quest=quest)),
            "decided": True,
        }
        return render(request, "quests/review.html", context)
    awaiting = pages.review_awaiting_decision(quest)
    form = (DecisionForm if awaiting else ReviewForm)(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            if awaiting:
                (services.review_approve if approve else services.review_reject)(review=awaiting, by=request.user)
            else:
                services.review_submit_and_decide(
                    quest=quest,
                    reviewer=request.user,
                    scores=form.scores(),
                    approve=approve,
                    strengths=form.cleaned_data["strengths"],
                    concerns=form.cleaned_data["concerns"],
                    recommendations=form.cleaned_data["recommendations"],
                )
        except ServiceError as error:
            return _refuse(request, error)
        return _done(request, quest, approve)
    context = {
        "quest": quest,
        "outline": pages.graph_outline(quest.graph_structure),
        "history": [past for past in selectors.review_history(quest=quest) if past != awaiting],
        "awaiting": awaiting,
        "form": form,
    }
    return render(request, "quests/review.html", context, status=400 if form.errors else 200)
