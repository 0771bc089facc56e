"""The rules of daily quests and streaks, as pure functions: which quests a day offers, how a streak counts."""

import datetime

from myApp.accounts.models import DEFAULT_TIME_ZONE
from myApp.quests import daily_rules
from myApp.quests.daily_rules import QUEST_TYPES, DayState, VacationSpan, streak_history

DAY = datetime.date(2026, 3, 10)


def _days(*offsets: int) -> list[datetime.date]:
    return [DAY + datetime.timedelta(days=offset) for offset in offsets]


def test_it_defines_every_quest_type_once_with_a_target_and_a_reward():
    assert set(QUEST_TYPES) == set(daily_rules.DailyQuestType.values)
    for spec in QUEST_TYPES.values():
        assert spec.target >= 1 and spec.xp > 0 and spec.coins > 0 and spec.how


def test_it_offers_three_distinct_types_the_same_on_every_call():
    offers = daily_rules.offered_types(user_id=7, day=DAY)

    assert len(offers) == len(set(offers)) == daily_rules.OFFERS_PER_DAY
    assert set(offers) <= set(QUEST_TYPES)
    assert offers == daily_rules.offered_types(user_id=7, day=DAY)


def test_it_varies_the_offers_across_days_and_learners():
    by_day = {tuple(daily_rules.offered_types(user_id=7, day=day)) for day in _days(*range(30))}
    by_user = {tuple(daily_rules.offered_types(user_id=user_id, day=DAY)) for user_id in range(1, 31)}

    assert len(by_day) > 1 and len(by_user) > 1


def test_it_places_a_moment_on_the_learners_own_day():
    moment = datetime.datetime(2026, 3, 1, 11, 0, tzinfo=datetime.UTC)

    assert daily_rules.local_day(moment, "Pacific/Auckland") == datetime.date(2026, 3, 2)
    assert daily_rules.local_day(moment, "America/Los_Angeles") == datetime.date(2026, 3, 1)


def test_it_counts_consecutive_completed_days():
    history = streak_history(completed_days=_days(0, 1, 2), freeze_days=[], vacations=[], today=DAY + _d(2))

    assert (history.current, history.longest) == (3, 3)


def _d(days: int) -> datetime.timedelta:
    return datetime.timedelta(days=days)


def test_it_keeps_the_streak_while_today_is_still_open():
    history = streak_history(completed_days=_days(0, 1), freeze_days=[], vacations=[], today=DAY + _d(2))

    assert history.current == 2
    assert history.states[DAY + _d(2)] == DayState.OPEN


def test_it_breaks_the_streak_on_a_missed_day_and_remembers_the_longest():
    history = streak_history(completed_days=_days(0, 1, 2, 4), freeze_days=[], vacations=[], today=DAY + _d(4))

    assert (history.current, history.longest) == (1, 3)
    assert history.states[DAY + _d(3)] == DayState.MISSED


def test_it_spends_a_held_freeze_on_a_missed_day():
    history = streak_history(completed_days=_days(0, 1, 3), freeze_days=_days(0), vacations=[], today=DAY + _d(3))

    assert history.current == 3
    assert history.states[DAY + _d(2)] == DayState.FROZEN
    assert (history.freezes_used, history.freezes_available) == (1, 0)


def test_it_does_not_spend_a_freeze_bought_on_or_after_the_missed_day():
    history = streak_history(completed_days=_days(0, 1, 3), freeze_days=_days(2), vacations=[], today=DAY + _d(3))

    assert history.current == 1
    assert (history.freezes_used, history.freezes_available) == (0, 1)


def test_it_spends_one_freeze_per_missed_day_and_breaks_when_they_run_out():
    history = streak_history(completed_days=_days(0, 1, 5), freeze_days=_days(0, 0), vacations=[], today=DAY + _d(5))

    assert [history.states[DAY + _d(n)] for n in (2, 3, 4)] == [DayState.FROZEN, DayState.FROZEN, DayState.MISSED]
    assert history.current == 1 and history.freezes_available == 0


def test_it_keeps_a_freeze_when_there_is_no_streak_to_save():
    history = streak_history(completed_days=_days(0), freeze_days=_days(1), vacations=[], today=DAY + _d(3))

    assert history.states[DAY + _d(2)] == DayState.MISSED
    assert history.current == 0 and history.freezes_available == 1


def test_it_pauses_the_streak_on_vacation_without_penalty_or_freeze():
    history = streak_history(
        completed_days=_days(0, 1, 6),
        freeze_days=_days(0),
        vacations=[VacationSpan(DAY + _d(2), DAY + _d(6))],
        today=DAY + _d(6),
    )

    assert history.current == 3
    assert [history.states[DAY + _d(n)] for n in range(2, 6)] == [DayState.VACATION] * 4
    assert history.freezes_available == 1


def test_it_pauses_an_open_vacation_up_to_today():
    history = streak_history(
        completed_days=_days(0, 1), freeze_days=[], vacations=[VacationSpan(DAY + _d(2), None)], today=DAY + _d(9)
    )

    assert history.current == 2


def test_it_has_no_streak_without_a_completed_day():
    history = streak_history(completed_days=[], freeze_days=_days(0), vacations=[], today=DAY)

    assert (history.current, history.longest, history.freezes_available) == (0, 0, 1)


def test_it_says_why_a_freeze_cannot_be_bought():
    price, most = daily_rules.FREEZE_PRICE_COINS, daily_rules.FREEZES_HELD_MAX
    assert daily_rules.freeze_refused_for(freezes_available=0, coins=price) is None
    assert daily_rules.freeze_refused_for(freezes_available=most - 1, coins=price - 1) == "coins"
    assert daily_rules.freeze_refused_for(freezes_available=most, coins=10 * price) == "held"


# --- Changing the time zone: from the learner's next day, and never back -----------------------------------


def _at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, 0, tzinfo=datetime.UTC)


def _nov(day: int) -> datetime.date:
    return datetime.date(2026, 11, day)


def test_it_counts_a_learners_days_in_their_zone_when_they_never_changed_it():
    zone = daily_rules.LearnerZone("Pacific/Auckland")
    assert zone.day_of(_at(23, 11)) == _nov(24)


def test_it_keeps_the_change_day_in_its_old_zone_and_never_goes_back_when_moving_west():
    """UTC → UTC-12 at 10:00 UTC on the 24th: the 24th runs on to midnight UTC, and in UTC-12 it is still
    the 24th until noon UTC on the 25th, so the 24th lasts 36 hours and the 23rd never comes back."""
    zone = daily_rules.zone_after_change(daily_rules.LearnerZone("UTC"), time_zone="Etc/GMT+12", now=_at(24, 10))

    assert (zone.previous_time_zone, zone.changed_on) == ("UTC", _nov(24))
    assert [zone.day_of(_at(day, hour)) for day, hour in ((24, 10), (24, 23), (25, 1), (25, 11), (25, 12))] == [
        _nov(24),
        _nov(24),
        _nov(25),  # the change day is over; UTC-12 says the 24th, which is behind the learner
        _nov(25),
        _nov(25),
    ]
    assert zone.day_of(_at(24, 9)) == _nov(24)  # before the change: where they were


def test_it_moves_to_the_new_zone_at_the_end_of_the_change_day_when_moving_east():
    zone = daily_rules.zone_after_change(daily_rules.LearnerZone("UTC"), time_zone="Asia/Tokyo", now=_at(24, 10))

    assert zone.day_of(_at(24, 20)) == _nov(24)  # 05:00 on the 25th in Tokyo, but the 24th began in UTC
    assert zone.day_of(_at(25, 0)) == _nov(25)
    assert zone.day_of(_at(25, 16)) == _nov(26)  # Tokyo's 26th from 15:00 UTC


def test_it_keeps_the_zone_a_day_began_in_through_several_changes_that_day():
    first = daily_rules.zone_after_change(daily_rules.LearnerZone("UTC"), time_zone="Etc/GMT+12", now=_at(24, 10))
    second = daily_rules.zone_after_change(first, time_zone="Asia/Tokyo", now=_at(24, 11))

    assert (second.time_zone, second.previous_time_zone, second.changed_on) == ("Asia/Tokyo", "UTC", _nov(24))
    assert second.day_of(_at(24, 23)) == _nov(24)


def test_it_never_reopens_a_day_by_changing_again_after_a_long_day():
    """Once the westward change has made the 25th (a long day), a second change cannot reach back to the 24th."""
    west = daily_rules.zone_after_change(daily_rules.LearnerZone("UTC"), time_zone="Etc/GMT+12", now=_at(24, 10))
    again = daily_rules.zone_after_change(west, time_zone="UTC", now=_at(25, 1))

    assert again.changed_on == _nov(25)
    assert [again.day_of(_at(25, hour)) for hour in (1, 11, 13, 23)] == [_nov(25)] * 4
    assert again.day_of(_at(26, 13)) == _nov(26)


def test_it_records_no_change_when_the_zone_stays_the_same():
    zone = daily_rules.LearnerZone("UTC")
    assert daily_rules.zone_after_change(zone, time_zone="UTC", now=_at(24, 10)) is zone


def test_it_builds_a_zone_from_a_profile_read_and_the_default_without_one():
    changed_at = _at(24, 10)
    values = ("Asia/Tokyo", "UTC", changed_at, changed_at.date())
    assert daily_rules.LearnerZone.from_values(values) == daily_rules.LearnerZone(
        time_zone="Asia/Tokyo", previous_time_zone="UTC", changed_at=changed_at, changed_on=changed_at.date()
    )
    default = daily_rules.LearnerZone(DEFAULT_TIME_ZONE)
    assert daily_rules.LearnerZone.from_values(None) == default  # no profile row
    assert daily_rules.LearnerZone.from_values((None, None, None, None)) == default  # a join that found none
    assert daily_rules.LearnerZone.from_values(("", "", None, None)) == default  # no zone recorded
    assert len(values) == len(daily_rules.ZONE_FIELDS)
