"""A creator's own quests (/quests/mine/): each with where it stands in review and every review it had, a
button that sends a draft for review (the step the builder's finish leads to), and the revise page
(/quests/mine/<id>/edit/) for a draft or a rejected quest: its fields and its graph as YAML, a preview of
the graph drawn as SVG, and "Save" or "Save and send for review" through ``services.quest_revise``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from myApp.curriculum.views.common import refuse
from myApp.lib.exceptions import ServiceError
from myApp.quests import selectors, services
from myApp.quests.builder.svg import graph_svg
from myApp.quests.page_forms import RevisionForm
from myApp.quests.selectors import pages

ACTIONS = ("preview", "save", "submit")


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


def _revise_page(request, quest, form: RevisionForm | None, *, status: int = 200, previewed: bool = False):
    """The page; the preview draws the graph just read from the YAML when it is valid, else the saved one."""
    typed = form.cleaned_data.get("quest_yaml") if form is not None and hasattr(form, "cleaned_data") else None
    context = {
        "quest": quest,
        "form": form,
        "refused": services.revise_refused_for(quest),
        "svg": graph_svg(typed or quest.graph_structure),
        "preview_is_saved": typed is None or typed == quest.graph_structure,
        "previewed": previewed,
        "history": list(selectors.review_history(quest=quest, oldest_first=True)),
    }
    return render(request, "quests/revise.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def revise(request, pk: int):
    quest = get_object_or_404(selectors.quests_created_by(user=request.user), pk=pk)
    if request.method == "GET":
        return _revise_page(
            request, quest, None if services.revise_refused_for(quest) else RevisionForm.for_quest(quest)
        )
    form = RevisionForm.for_quest(quest, request.POST)
    action = request.POST.get("action", "save")
    if action not in ACTIONS:
        form.add_error(None, "Choose Preview, Save or Save and send for review.")
    if form.is_valid() and action == "preview":
        return _revise_page(request, quest, form, previewed=True)
    if not form.is_valid():
        return _revise_page(request, quest, form, status=400)
    try:
        quest = services.quest_revise(quest=quest, by=request.user, submit=action == "submit", **form.changes())
    except ServiceError as error:
        form.add_service_errors(error)
        return _revise_page(request, quest, form, status=error.status_code)
    if action == "submit":
        messages.success(request, f"“{quest.title}” is sent for review. A psychologist reads it before it is listed.")
        return redirect("quests:mine")
    messages.success(request, f"“{quest.title}” is saved as a draft. Send it for review when you are ready.")
    return redirect("quests:revise", pk=quest.pk)
