"""A creator's own quests (/quests/mine/): each with where it stands in review and what the psychologist
wrote, and a button that sends a draft for review (the step the builder's finish leads to)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from myApp.curriculum.views.common import refuse
from myApp.lib.exceptions import ServiceError
from myApp.quests import selectors, services
from myApp.quests.selectors import pages


@login_required
@require_GET
def mine(request):
    return render(request, "quests/mine.html", {"rows": pages.own_quests(user=request.user)})


@login_required
@require_POST
def submit(request, pk: int):
    quest = get_object_or_404(selectors.quests_created_by(user=request.user), pk=pk)
    try:
        services.quest_submit_for_review(quest=quest, by=request.user)
    except ServiceError as error:
        return refuse(request, error, back_url=reverse("quests:mine"), back_label="Back to your quests")
    messages.success(request, f"“{quest.title}” is sent for review. A psychologist reads it before it is listed.")
    return redirect("quests:mine")
