"""The daily-quest part of the ``demo`` seed target: demo_learner has a streak of the last days, with one
missed day that a streak freeze (bought with the coins earned) covered. Everything goes through
``services.daily`` with the days' own times, as if the events had happened then."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from rich.console import Console

from myApp.accounts.models import User
from myApp.lib.exceptions import InsufficientBalance
from myApp.lib.seeding import seed_target
from myApp.quests import daily_rules
from myApp.quests.models import DailyQuest, StreakFreeze
from myApp.quests.selectors import daily as selectors
from myApp.quests.services import daily as services

DEMO_STREAK_DAYS = 9  # days before today with quests
DEMO_MISSED_DAY = 4  # days before today: missed, and covered by the freeze bought before it
DEMO_FREEZE_BOUGHT = 6  # days before today


def _noon(day: datetime.date, time_zone: str) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=ZoneInfo(time_zone))


@seed_target("demo", order=40)
def demo_daily_quests(console: Console) -> None:
    learner = User.objects.filter(username="demo_learner").select_related("profile").first()
    if learner is None:
        console.print("  [yellow]demo_learner missing: run the accounts demo step first[/yellow]")
        return
    if (
        DailyQuest.objects.filter(user=learner, date__lt=_today(learner)).exists()
        or StreakFreeze.objects.filter(user=learner).exists()
    ):
        console.print("  [dim]demo_learner: daily quests already played[/dim]")
        return
    time_zone = learner.profile.time_zone
    today = _today(learner)
    for back in range(DEMO_STREAK_DAYS, 0, -1):
        day = today - datetime.timedelta(days=back)
        if back != DEMO_MISSED_DAY:
            _play_first_quest(learner, day, time_zone)
        if back == DEMO_FREEZE_BOUGHT and DailyQuest.objects.filter(user=learner).exists():
            try:
                services.streak_freeze_buy(user=learner, now=_noon(day, time_zone) + datetime.timedelta(hours=1))
            except InsufficientBalance:
                console.print("  [yellow]demo_learner: too few coins for a streak freeze[/yellow]")
    streak = selectors.streak_for(user=learner)
    console.print(
        f"  [green]demo_learner: a {streak.current}-day streak of daily quests "
        f"({streak.freezes_used} freeze used)[/green]"
    )


def _today(learner: User) -> datetime.date:
    return daily_rules.LearnerZone.of(learner.profile).day_of(timezone.now())


def _play_first_quest(learner: User, day: datetime.date, time_zone: str) -> None:
    offered = daily_rules.offered_types(user_id=learner.pk, day=day)
    if not offered:
        return
    quest_type = offered[0]
    for _ in range(daily_rules.QUEST_TYPES[quest_type].target):
        services.record(user=learner, event_type=quest_type, at=_noon(day, time_zone))
