"""Daily quests under concurrent events: a completed quest pays exactly once; a freeze purchase never
takes coins below zero. Real threads on PostgreSQL, each with its own connection."""

import datetime

import pytest
from django.db import transaction

from myApp.accounts import services as account_services
from myApp.accounts.models import Profile
from myApp.lib.exceptions import InsufficientBalance
from myApp.quests import daily_rules
from myApp.quests.daily_rules import QUEST_TYPES, DailyQuestType
from myApp.quests.models import DailyQuest, StreakFreeze
from myApp.quests.services import daily
from tests.concurrency import Gate, hold_first_then_run, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def offer(monkeypatch):
    def set_offers(*quest_types: str) -> None:
        monkeypatch.setattr(daily_rules, "offered_types", lambda *, user_id, day: list(quest_types))

    return set_offers


def _balance(user) -> tuple[int, int]:
    profile = Profile.objects.get(user=user)
    return profile.xp, profile.coins


@pytest.mark.parametrize("quest_type", [DailyQuestType.FINISH_LESSON, DailyQuestType.CHAT_CHECK_IN])
def test_it_pays_a_quest_once_when_many_events_arrive_together(owner, offer, quest_type):
    offer(quest_type)
    spec = QUEST_TYPES[quest_type]

    results = race(*[lambda: daily.record(user=owner, event_type=quest_type, at=NOON)] * 8)

    assert sum(result.completed for result in results) == 1
    quest = DailyQuest.objects.get(user=owner)
    assert quest.progress == spec.target and quest.completed_at is not None
    assert _balance(owner) == (spec.xp, spec.coins)


def test_it_makes_a_second_completing_event_wait_and_then_pay_nothing(owner, offer, monkeypatch):
    """The first event completes the quest and stops just before paying, holding its locks; the second
    waits on them (PostgreSQL shows it blocked) and, once the first commits, finds the quest completed."""
    offer(DailyQuestType.FINISH_LESSON)
    gate = Gate()
    pay = daily.profile_adjust_balance

    def hold_then_pay(**kwargs):
        gate()
        return pay(**kwargs)

    monkeypatch.setattr(daily, "profile_adjust_balance", hold_then_pay)

    run = hold_first_then_run(
        lambda: daily.record(user=owner, event_type=DailyQuestType.FINISH_LESSON, at=NOON),
        lambda: daily.record(user=owner, event_type=DailyQuestType.FINISH_LESSON, at=NOON),
        gate=gate,
    )

    assert run.second_waited_on, "the second event did not wait for the first"
    assert run.first.completed and not run.second.completed
    assert _balance(owner) == (
        QUEST_TYPES[DailyQuestType.FINISH_LESSON].xp,
        QUEST_TYPES[DailyQuestType.FINISH_LESSON].coins,
    )


def test_it_sells_one_freeze_for_the_coins_of_one_when_many_buy_together(owner):
    account_services.profile_adjust_balance(user=owner, coins=daily_rules.FREEZE_PRICE_COINS)

    results = race(*[lambda: daily.streak_freeze_buy(user=owner, now=NOON)] * 4)

    assert sum(isinstance(result, StreakFreeze) for result in results) == 1
    assert sum(isinstance(result, InsufficientBalance) for result in results) == 3
    assert _balance(owner)[1] == 0
    assert StreakFreeze.objects.filter(user=owner).count() == 1


def test_it_never_sells_more_freezes_than_one_may_hold(owner):
    account_services.profile_adjust_balance(user=owner, coins=100)

    results = race(*[lambda: daily.streak_freeze_buy(user=owner, now=NOON)] * 5)

    assert sum(isinstance(result, StreakFreeze) for result in results) == daily_rules.FREEZES_HELD_MAX
    assert _balance(owner)[1] == 100 - daily_rules.FREEZES_HELD_MAX * daily_rules.FREEZE_PRICE_COINS


def test_it_queues_a_completing_event_behind_a_payout_without_a_deadlock(owner, offer):
    """A first lesson finish pays its XP (locking the profile) and only then counts towards the daily quest;
    a repeat finish at the same moment counts first and would pay the quest. Taking the profile before
    the quest row, the repeat waits for the first finish instead of each holding what the other needs."""
    offer(DailyQuestType.FINISH_LESSON)
    gate = Gate()

    def first_finish():
        with transaction.atomic():
            account_services.profile_adjust_balance(user=owner, xp=5)  # the lesson's own XP
            gate()
            return daily.record(user=owner, event_type=DailyQuestType.FINISH_LESSON, at=NOON)

    run = hold_first_then_run(
        first_finish,
        lambda: daily.record(user=owner, event_type=DailyQuestType.FINISH_LESSON, at=NOON),
        gate=gate,
    )

    assert run.second_waited_on and "accounts_profile" in run.second_waited_on
    assert run.first.completed and not run.second.completed
    assert _balance(owner)[0] == 5 + QUEST_TYPES[DailyQuestType.FINISH_LESSON].xp


def test_it_opens_one_vacation_when_starts_race_after_one_ended_today(owner):
    from myApp.lib.exceptions import Conflict
    from myApp.quests.models import Vacation

    daily.vacation_start(user=owner, now=NOON)
    daily.vacation_end(user=owner, now=NOON)

    results = race(*[lambda: daily.vacation_start(user=owner, now=NOON)] * 4)

    assert sum(isinstance(result, Vacation) for result in results) == 1
    assert sum(isinstance(result, Conflict) for result in results) == 3
    assert Vacation.objects.filter(user=owner, ends_on__isnull=True).count() == 1
