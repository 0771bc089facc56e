"""Daily quests through the services: events counted from the other apps, paid once, paused on vacation,
placed on the learner's own day; streak freezes bought with coins."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from myApp.accounts import services as account_services
from myApp.accounts.models import Profile
from myApp.curriculum import services as curriculum_services
from myApp.lib.exceptions import Conflict, ServiceError
from myApp.quests import daily_rules
from myApp.quests.daily_rules import QUEST_TYPES, DailyQuestType
from myApp.quests.models import DailyQuest, StreakFreeze, Vacation
from myApp.quests.selectors import daily as selectors
from myApp.quests.services import daily

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def offer(monkeypatch):
    """``offer(*types)``: every day offers exactly these types (the real choice is random per learner)."""

    def set_offers(*quest_types: str) -> None:
        monkeypatch.setattr(daily_rules, "offered_types", lambda *, user_id, day: list(quest_types))

    return set_offers


def _complete(user, quest_type: str, at: datetime.datetime) -> None:
    for _ in range(QUEST_TYPES[quest_type].target):
        daily.record(user=user, event_type=quest_type, at=at)


def _balance(user) -> tuple[int, int]:
    profile = Profile.objects.get(user=user)
    return profile.xp, profile.coins


def test_it_writes_the_days_three_offers_on_the_first_event(owner):
    day = NOON.date()
    offered = daily_rules.offered_types(user_id=owner.pk, day=day)

    daily.record(user=owner, event_type=offered[0], at=NOON)

    assert sorted(DailyQuest.objects.filter(user=owner, date=day).values_list("quest_type", flat=True)) == sorted(
        offered
    )


def test_it_counts_nothing_for_a_type_not_offered_that_day(owner):
    day = NOON.date()
    missing = next(t for t in QUEST_TYPES if t not in daily_rules.offered_types(user_id=owner.pk, day=day))

    result = daily.record(user=owner, event_type=missing, at=NOON)

    assert result.quest is None and not DailyQuest.objects.exists()


def test_it_refuses_an_unknown_event(owner):
    with pytest.raises(ServiceError) as refused:
        daily.record(user=owner, event_type="juggling", at=NOON)

    assert "event_type" in refused.value.errors


def test_it_pays_a_completed_quest_once_and_stops_counting_at_the_target(owner, offer):
    offer(DailyQuestType.CHAT_CHECK_IN)
    spec = QUEST_TYPES[DailyQuestType.CHAT_CHECK_IN]

    results = [daily.record(user=owner, event_type=spec.quest_type, at=NOON) for _ in range(spec.target + 2)]

    assert [result.completed for result in results] == [False] * (spec.target - 1) + [True, False, False]
    quest = DailyQuest.objects.get(user=owner)
    assert quest.progress == spec.target and quest.completed_at is not None
    assert _balance(owner) == (spec.xp, spec.coins)


def test_it_keeps_the_reward_it_offered_when_the_catalogue_changes(owner, offer, monkeypatch):
    offer(DailyQuestType.FINISH_LESSON)
    daily.offers_ensure(user=owner, day=NOON.date())
    changed = daily_rules.QuestTypeSpec(DailyQuestType.FINISH_LESSON, 1, 999, 999, "changed")
    monkeypatch.setitem(daily_rules.QUEST_TYPES, DailyQuestType.FINISH_LESSON, changed)

    daily.record(user=owner, event_type=DailyQuestType.FINISH_LESSON, at=NOON)

    assert _balance(owner) == (20, 3)


def test_it_counts_a_lesson_finish(owner, offer, curriculum, complete_lesson):
    offer(DailyQuestType.FINISH_LESSON)
    xp_before = _balance(owner)[0]

    complete_lesson(owner, curriculum.lessons_a[0])

    quest = DailyQuest.objects.get(user=owner, quest_type=DailyQuestType.FINISH_LESSON)
    assert quest.is_completed
    lesson_xp = curriculum.lessons_a[0].xp_reward
    assert _balance(owner)[0] == xp_before + lesson_xp + QUEST_TYPES[DailyQuestType.FINISH_LESSON].xp


def test_it_counts_a_venue_visit_and_an_amphitheatre_exercise(owner, offer, curriculum):
    offer(DailyQuestType.VENUE_PRACTICE)
    curriculum_services.curriculum_start(user=owner)
    account_services.profile_adjust_balance(user=owner, tickets=1)
    entry, _ = curriculum_services.venue_enter(user=owner, venue=curriculum.venue_a)
    curriculum_services.venue_finish(user=owner, entry=entry)
    visit, _ = curriculum_services.amphitheatre_hub(user=owner)
    curriculum_services.amphitheatre_submit(user=owner, session=visit, exercise_key="warm_up", scores={})

    quest = DailyQuest.objects.get(user=owner)
    assert (quest.progress, quest.is_completed) == (2, True)


def test_it_counts_the_breathing_module_and_no_other(owner, offer):
    from myApp.sessions import services as chat_services

    offer(DailyQuestType.BREATHING)
    conversation = chat_services.conversation_create(user=owner)
    chat_services.conversation_module_complete(
        conversation=conversation, user=owner, module_id="emotion_labeling", completion_data={"mood": "Calm"}
    )
    assert not DailyQuest.objects.filter(progress__gt=0).exists()

    chat_services.conversation_module_complete(
        conversation=conversation, user=owner, module_id="breathing_exercise", completion_data={}
    )

    assert DailyQuest.objects.get(user=owner).is_completed


def test_it_counts_chat_messages_as_a_check_in(owner, offer):
    from myApp.sessions import services as chat_services

    offer(DailyQuestType.CHAT_CHECK_IN)

    chat_services.chat_send(user=owner, message="Hello there")

    assert DailyQuest.objects.get(user=owner).progress == 1


def test_it_counts_a_quest_step_through_the_hook(owner, offer):
    offer(DailyQuestType.QUEST_STEP)

    daily.quest_step_played(user=owner, at=NOON)
    result = daily.quest_step_played(user=owner, at=NOON)

    assert result.completed and result.quest.progress == QUEST_TYPES[DailyQuestType.QUEST_STEP].target


def test_it_counts_the_steps_a_learner_takes_in_a_therapeutic_quest(owner, offer):
    from tests.factories import ParentFactory
    from tests.quest_helpers import psychologist_create, quest_finish, quest_listed

    offer(DailyQuestType.QUEST_STEP)
    quest = quest_listed(ParentFactory(username="step_author"), psychologist_create("step_psychologist"))

    quest_finish(owner, quest)  # two edges followed through the play service

    quest_of_day = DailyQuest.objects.get(user=owner, quest_type=DailyQuestType.QUEST_STEP)
    assert quest_of_day.progress == QUEST_TYPES[DailyQuestType.QUEST_STEP].target and quest_of_day.is_completed


def test_it_places_an_event_on_the_learners_own_day(owner, offer):
    """11:00 UTC on 1 March is already 2 March in Auckland (UTC+13)."""
    offer(DailyQuestType.FINISH_LESSON)
    moment = datetime.datetime(2026, 3, 1, 11, 0, tzinfo=UTC)
    account_services.profile_update(
        user=owner, profile_data={"time_zone": "Pacific/Auckland"}, now=moment - datetime.timedelta(days=2)
    )

    daily.record(user=owner, event_type=DailyQuestType.FINISH_LESSON, at=moment)

    assert DailyQuest.objects.get(user=owner).date == datetime.date(2026, 3, 2)


def test_it_counts_a_streak_across_a_day_boundary_that_depends_on_the_zone(owner, member, offer):
    """Two events 6 hours apart: 20:00 and 02:00 UTC. In UTC they fall on two days (a 2-day streak); in
    Los Angeles (UTC-8) both fall on the first day, so its streak is 1 and the next day is still open."""
    offer(DailyQuestType.FINISH_LESSON)
    first = datetime.datetime(2026, 3, 1, 20, 0, tzinfo=UTC)
    second = datetime.datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    later = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    account_services.profile_update(
        user=member, profile_data={"time_zone": "America/Los_Angeles"}, now=first - datetime.timedelta(days=2)
    )
    for user in (owner, member):
        daily.record(user=user, event_type=DailyQuestType.FINISH_LESSON, at=first)
        daily.record(user=user, event_type=DailyQuestType.FINISH_LESSON, at=second)

    in_utc = selectors.streak_for(user=owner, now=later)
    in_los_angeles = selectors.streak_for(user=member, now=later)

    assert (in_utc.today, in_utc.current) == (datetime.date(2026, 3, 2), 2)
    assert (in_los_angeles.today, in_los_angeles.current) == (datetime.date(2026, 3, 2), 1)
    assert DailyQuest.objects.filter(user=member).count() == 1


def test_it_refuses_an_unknown_time_zone(owner):
    with pytest.raises(ValidationError) as refused:
        account_services.profile_update(user=owner, profile_data={"time_zone": "Mars/Olympus_Mons"})

    assert "time_zone" in refused.value.message_dict
    assert Profile.objects.get(user=owner).time_zone == "UTC"


def test_it_buys_a_freeze_with_coins(owner):
    account_services.profile_adjust_balance(user=owner, coins=25)

    freeze = daily.streak_freeze_buy(user=owner, now=NOON)

    assert freeze.coins_paid == daily_rules.FREEZE_PRICE_COINS and freeze.bought_on == NOON.date()
    assert _balance(owner)[1] == 25 - daily_rules.FREEZE_PRICE_COINS
    assert selectors.streak_for(user=owner, now=NOON).freezes_available == 1


def test_it_refuses_a_freeze_without_enough_coins_and_changes_nothing(owner):
    account_services.profile_adjust_balance(user=owner, coins=daily_rules.FREEZE_PRICE_COINS - 1)

    with pytest.raises(Conflict) as refused:
        daily.streak_freeze_buy(user=owner, now=NOON)

    assert "coins" in refused.value.errors
    assert _balance(owner)[1] == daily_rules.FREEZE_PRICE_COINS - 1
    assert not StreakFreeze.objects.exists()


def test_it_refuses_more_freezes_than_one_may_hold(owner):
    account_services.profile_adjust_balance(user=owner, coins=100)
    for _ in range(daily_rules.FREEZES_HELD_MAX):
        daily.streak_freeze_buy(user=owner, now=NOON)

    with pytest.raises(Conflict):
        daily.streak_freeze_buy(user=owner, now=NOON)

    assert StreakFreeze.objects.count() == daily_rules.FREEZES_HELD_MAX


def test_it_spends_a_bought_freeze_on_the_next_missed_day(owner, offer):
    offer(DailyQuestType.FINISH_LESSON)
    days = [NOON + datetime.timedelta(days=n) for n in range(5)]
    _complete(owner, DailyQuestType.FINISH_LESSON, days[0])
    _complete(owner, DailyQuestType.FINISH_LESSON, days[1])
    account_services.profile_adjust_balance(user=owner, coins=daily_rules.FREEZE_PRICE_COINS)
    daily.streak_freeze_buy(user=owner, now=days[1])
    _complete(owner, DailyQuestType.FINISH_LESSON, days[3])  # day 2 missed

    streak = selectors.streak_for(user=owner, now=days[4])

    assert (streak.current, streak.longest, streak.freezes_used, streak.freezes_available) == (3, 3, 1, 0)
    assert streak.history.states[days[2].date()] == daily_rules.DayState.FROZEN


def test_it_pauses_quests_and_streak_on_vacation(owner, offer):
    offer(DailyQuestType.FINISH_LESSON)
    days = [NOON + datetime.timedelta(days=n) for n in range(8)]
    _complete(owner, DailyQuestType.FINISH_LESSON, days[0])
    _complete(owner, DailyQuestType.FINISH_LESSON, days[1])
    daily.vacation_start(user=owner, now=days[2])

    on_vacation = daily.record(user=owner, event_type=DailyQuestType.FINISH_LESSON, at=days[4])
    during = selectors.streak_for(user=owner, now=days[5])
    daily.vacation_end(user=owner, now=days[6])
    _complete(owner, DailyQuestType.FINISH_LESSON, days[6])
    after = selectors.streak_for(user=owner, now=days[7])

    assert on_vacation.quest is None and not DailyQuest.objects.filter(date=days[4].date()).exists()
    assert during.on_vacation and during.current == 2
    assert selectors.daily_quests_today(user=owner, streak=during) == []
    assert not after.on_vacation and after.current == 3
    assert Vacation.objects.get(user=owner).ends_on == days[6].date()


def test_it_refuses_a_second_vacation_and_ending_none(owner):
    daily.vacation_start(user=owner, now=NOON)

    with pytest.raises(Conflict):
        daily.vacation_start(user=owner, now=NOON)
    daily.vacation_end(user=owner, now=NOON)
    with pytest.raises(Conflict):
        daily.vacation_end(user=owner, now=NOON)


def test_it_keeps_vacation_history(owner):
    for n in (0, 5):
        daily.vacation_start(user=owner, now=NOON + datetime.timedelta(days=n))
        daily.vacation_end(user=owner, now=NOON + datetime.timedelta(days=n + 2))

    assert Vacation.objects.filter(user=owner).count() == 2


def test_it_shows_unwritten_offers_at_zero_without_writing(owner, django_assert_num_queries):
    streak = selectors.streak_for(user=owner, now=NOON)

    with django_assert_num_queries(1):
        quests = selectors.daily_quests_today(user=owner, streak=streak)

    assert [quest.quest_type for quest in quests] == daily_rules.offered_types(user_id=owner.pk, day=NOON.date())
    assert all(quest.pk is None and quest.progress == 0 for quest in quests)
    assert not DailyQuest.objects.exists()


def _statements_of_a_chat_turn(user) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from myApp.sessions import services as chat_services

    with CaptureQueriesContext(connection) as queries:
        chat_services.chat_send(user=user, message="Checking in")
    return [query["sql"] for query in queries]


def test_a_chat_turn_after_the_days_check_in_costs_one_statement_more(owner, offer):
    """The chat turn's own budget is ten statements (tests/test_chat_costs.py). The turn that completes the day's
    check-in pays for it (under the profile lock); every later turn that day only reads that it is done."""
    offer()
    _statements_of_a_chat_turn(owner)  # the conversation exists from here on
    without = _statements_of_a_chat_turn(owner)
    offer(DailyQuestType.CHAT_CHECK_IN)

    completing = _statements_of_a_chat_turn(owner)
    later = [_statements_of_a_chat_turn(owner) for _ in range(2)]

    assert DailyQuest.objects.get(user=owner, quest_type=DailyQuestType.CHAT_CHECK_IN).is_completed
    assert len(completing) > len(without) + 1
    for statements in later:
        assert len(statements) == len(without) + 1, "\n".join(statements)
        assert not any("FOR UPDATE" in sql for sql in statements)
    assert _balance(owner) == (
        QUEST_TYPES[DailyQuestType.CHAT_CHECK_IN].xp,
        QUEST_TYPES[DailyQuestType.CHAT_CHECK_IN].coins,
    )
