"""The streak page: today's quests, the streak calendar, buying a freeze, vacation on and off.

Every page works without JavaScript: plain links and POST forms that redirect back.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from myApp.accounts import selectors as account_selectors
from myApp.curriculum.views.common import refuse
from myApp.lib.exceptions import ServiceError
from myApp.quests import daily_rules
from myApp.quests.forms import VacationForm
from myApp.quests.selectors import daily as selectors
from myApp.quests.services import daily as services


@login_required
@require_GET
def streak(request):
    profile = account_selectors.profile_for(user=request.user)
    daily = selectors.daily_dashboard(user=request.user, zone=daily_rules.LearnerZone.of(profile))
    refused = daily_rules.freeze_refused_for(freezes_available=daily.streak.freezes_available, coins=profile.coins)
    return render(request, "quests/streak.html", {"profile": profile, "daily": daily, "freeze_refused": refused})


def _refuse(request, error: ServiceError):
    return refuse(request, error, back_url=reverse("daily_quests:streak"), back_label="Back to your streak")


@login_required
@require_POST
def freeze_buy(request):
    try:
        freeze = services.streak_freeze_buy(user=request.user)
    except ServiceError as error:
        return _refuse(request, error)
    messages.success(request, f"Streak freeze bought for {freeze.coins_paid} coins. It covers a day you miss.")
    return redirect("daily_quests:streak")


@login_required
@require_POST
def vacation(request):
    form = VacationForm(request.POST)
    if not form.is_valid():
        return _refuse(request, ServiceError("Choose whether to start or end your vacation.", errors=form.errors))
    on = form.cleaned_data["on"] == "on"
    try:
        services.vacation_set(user=request.user, on=on)
    except ServiceError as error:
        return _refuse(request, error)
    if on:
        messages.success(request, "Vacation started: daily quests pause and your streak is safe until you return.")
    else:
        messages.success(request, "Welcome back: today's daily quests are open again.")
    return redirect("daily_quests:streak")
