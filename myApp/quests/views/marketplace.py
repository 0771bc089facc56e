"""The quest marketplace and a quest's page: browse, add to the library, rate.

Thin: the forms check the input's shape, the selectors decide what is listed and visible, the services
decide who may rate and what is added. Every page works without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from myApp.curriculum.views.common import redirect_back, refuse
from myApp.lib.exceptions import ServiceError
from myApp.quests import selectors, services
from myApp.quests.page_forms import MarketplaceFilterForm, RateForm
from myApp.quests.selectors import pages

QUESTS_PER_PAGE = 12


@login_required
@require_GET
def marketplace(request):
    form = MarketplaceFilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else selectors.MarketplaceFilters()
    page = Paginator(selectors.marketplace_quests(filters), QUESTS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    in_library = pages.library_quest_ids(user=request.user, quest_ids=[quest.pk for quest in shown])
    rows = [{"quest": quest, "in_library": quest.pk in in_library} for quest in shown]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "quests/marketplace.html", context, status=400 if form.errors else 200)


def _detail(request, quest, *, rate_form=None, status=200):
    standing = pages.standing_of(user=request.user, quest=quest)
    if rate_form is None and standing.rating is not None:
        rate_form = RateForm(initial={"rating": standing.rating.rating, "review_text": standing.rating.review_text})
    context = {
        "quest": quest,
        "opening": pages.opening_of(quest),
        "standing": standing,
        "rate_form": rate_form or RateForm(),
        "is_listed": selectors.marketplace_quests().filter(pk=quest.pk).exists(),
    }
    return render(request, "quests/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, pk: int):
    return _detail(request, pages.quest_for_page(user=request.user, pk=pk))


def _refuse(request, error: ServiceError, quest):
    return refuse(request, error, back_url=reverse("quests:detail", args=[quest.pk]), back_label="Back to the quest")


@login_required
@require_POST
def library_add(request, pk: int):
    quest = pages.quest_for_page(user=request.user, pk=pk)
    _, created = services.library_add(user=request.user, quest=quest)
    if created:
        messages.success(request, f"“{quest.title}” is in your library.")
    else:
        messages.info(request, f"“{quest.title}” was already in your library.")
    return redirect_back(request, reverse("quests:detail", args=[quest.pk]))


@login_required
@require_POST
def rate(request, pk: int):
    quest = pages.quest_for_page(user=request.user, pk=pk)
    form = RateForm(request.POST)
    if not form.is_valid():
        return _detail(request, quest, rate_form=form, status=400)
    try:
        services.quest_rate(user=request.user, quest=quest, **form.cleaned_data)
    except ServiceError as error:
        return _refuse(request, error, quest)
    messages.success(request, f"Thank you: you rated “{quest.title}” {form.cleaned_data['rating']} of 5.")
    return redirect("quests:detail", pk=quest.pk)
