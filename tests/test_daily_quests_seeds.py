"""``seed_data.py demo`` gives demo_learner a streak of daily quests (with a freeze spent on a missed day),
through the services, and changes nothing when it runs again."""

import datetime

import pytest

import seed_data
from myApp.accounts.models import Profile, User
from myApp.quests.models import DailyQuest, StreakFreeze
from myApp.quests.seeds_daily import DEMO_MISSED_DAY, DEMO_STREAK_DAYS
from myApp.quests.selectors import daily as selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(monkeypatch):
    for name in ("SEED_STAFF_USERNAME", "SEED_STAFF_EMAIL", "SEED_STAFF_PASSWORD", "SEED_DEMO_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    assert seed_data.main(["demo"]) == 0
    return User.objects.get(username="demo_learner")


def _state(learner) -> tuple:
    return (
        list(DailyQuest.objects.filter(user=learner).order_by("pk").values()),
        list(StreakFreeze.objects.filter(user=learner).order_by("pk").values()),
        Profile.objects.filter(user=learner).values("xp", "coins").get(),
    )


def test_it_gives_the_demo_learner_a_streak_kept_by_a_freeze(demo):
    streak = selectors.streak_for(user=demo)

    assert streak.current >= DEMO_STREAK_DAYS - 1  # every seeded day but the missed one (today may add one)
    assert streak.freezes_used == 1
    assert streak.history.states[streak.today - datetime.timedelta(days=DEMO_MISSED_DAY)] == "frozen"
    assert DailyQuest.objects.filter(user=demo, completed_at__isnull=False).count() >= DEMO_STREAK_DAYS - 1


def test_it_changes_nothing_when_demo_runs_twice(demo):
    before = _state(demo)

    assert seed_data.main(["demo"]) == 0

    assert _state(demo) == before
