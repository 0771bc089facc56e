"""Playing a quest one node at a time: the node's text and one button per edge leaving it; at the end
the reveal (each view counted by the service). A move the service refuses (409) is shown as a message."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from myApp.curriculum.views.common import refuse
from myApp.lib.exceptions import ServiceError
from myApp.quests import services
from myApp.quests.page_forms import AdvanceForm, RateForm
from myApp.quests.selectors import pages
from myApp.quests.services.play import StaleChoice


@login_required
@require_GET
def play(request, pk: int):
    quest = pages.quest_for_page(user=request.user, pk=pk)
    standing = pages.standing_of(user=request.user, quest=quest)
    progress = standing.progress
    context = {"quest": quest, "progress": progress, "standing": standing, "step": None, "reveal": None}
    if progress is not None and progress.completed:
        context["reveal"] = services.quest_reveal_view(user=request.user, quest=quest)  # a selectors.Reveal
        context["ending"] = pages.step_at(quest.graph_structure, progress.current_node)
        context["rate_form"] = RateForm(
            initial={"rating": standing.rating.rating, "review_text": standing.rating.review_text}
            if standing.rating
            else None
        )
    elif progress is not None:
        context["step"] = pages.step_at(quest.graph_structure, progress.current_node)
    return render(request, "quests/play.html", context)


def _refuse(request, error: ServiceError, quest):
    return refuse(request, error, back_url=reverse("quests:play", args=[quest.pk]), back_label="Back to the quest")


@login_required
@require_POST
def play_start(request, pk: int):
    quest = pages.quest_for_page(user=request.user, pk=pk)
    try:
        services.quest_play_start(user=request.user, quest=quest)
    except ServiceError as error:
        return _refuse(request, error, quest)
    return redirect("quests:play", pk=quest.pk)


@login_required
@require_POST
def play_advance(request, pk: int):
    quest = pages.quest_for_page(user=request.user, pk=pk)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        return _refuse(request, ServiceError("Choose one of the ways on.", errors=form.errors), quest)
    try:
        services.quest_play_advance(user=request.user, quest=quest, edge_id=form.cleaned_data["edge_id"])
    except StaleChoice as error:
        return _refuse(request, StaleChoice(error.people_words, errors=error.errors), quest)
    except ServiceError as error:
        return _refuse(request, error, quest)
    return redirect("quests:play", pk=quest.pk)
