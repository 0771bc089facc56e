"""The rules of daily quests and streaks, in one place: the quest types with their targets and
rewards, which three a learner is offered on a day, the price of a streak freeze, and how a
streak is counted from the days a learner completed a quest.

Everything here is a pure function of its arguments (no database), so the services, selectors,
pages and tests share one definition.

A "day" is the learner's own calendar day, in ``Profile.time_zone`` (``LearnerZone.day_of``), with one
rule about changing it: **a time-zone change takes effect from the learner's next day, and a learner's
day never goes back.** The day on which the learner changes their zone (``time_zone_changed_on``) is
counted to its end in the zone it began in (``previous_time_zone``); after it, days follow the new zone,
but never a day before the one after the change day. Otherwise switching to a zone where it is still
yesterday would reopen yesterday: complete and pay its quests and repair a missed streak day. Moving
west therefore makes the day after the change longer (up to 36 hours), moving east makes the change day
end sooner. Several changes on one day keep the zone that day began in. The profile service
(``accounts.services.profile_update``) records a change with ``zone_after_change``; an event dated
before the change is counted in the zone it happened in (the previous one).
"""

import datetime
import hashlib
import random
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import models

from myApp.accounts.models import DEFAULT_TIME_ZONE

OFFERS_PER_DAY = 3
FREEZE_PRICE_COINS = 10
FREEZES_HELD_MAX = 2
CALENDAR_WEEKS = 4


class DailyQuestType(models.TextChoices):
    """Each type is also the event another app reports through ``services.daily.record``."""

    FINISH_LESSON = "finish_lesson", "Finish a lesson"
    BREATHING = "breathing_exercise", "Complete a breathing exercise"
    VENUE_PRACTICE = "venue_practice", "Practise in a venue"
    CHAT_CHECK_IN = "chat_check_in", "Check in with the assistant"
    QUEST_STEP = "quest_step", "Play a quest step"


@dataclass(frozen=True)
class QuestTypeSpec:
    quest_type: str
    target: int
    xp: int
    coins: int
    how: str  # what counts, as the learner reads it


QUEST_TYPES: dict[str, QuestTypeSpec] = {
    spec.quest_type: spec
    for spec in (
        QuestTypeSpec(DailyQuestType.FINISH_LESSON, 1, 20, 3, "Finish any lesson run."),
        QuestTypeSpec(DailyQuestType.BREATHING, 1, 10, 2, "Complete the breathing exercise in a chat."),
        QuestTypeSpec(
            DailyQuestType.VENUE_PRACTICE, 2, 15, 3, "Finish a venue visit or record an amphitheatre exercise."
        ),
        QuestTypeSpec(DailyQuestType.CHAT_CHECK_IN, 1, 10, 1, "Send the assistant a message."),
        QuestTypeSpec(DailyQuestType.QUEST_STEP, 2, 15, 2, "Take steps in a therapeutic quest."),
    )
}


def freeze_refused_for(*, freezes_available: int, coins: int) -> str | None:
    """Why a learner may not buy a streak freeze now: ``"held"`` (they hold the most they may), ``"coins"``
    (too few to pay), or None. The purchase service checks the same (the coins again in its atomic UPDATE)."""
    if freezes_available >= FREEZES_HELD_MAX:
        return "held"
    if coins < FREEZE_PRICE_COINS:
        return "coins"
    return None


def offered_types(*, user_id: int, day: datetime.date) -> list[str]:
    """The three quest types offered to a learner on a day: the same on every call and every machine
    (seeded by a hash of the user id and the date, not Python's per-process ``hash``), in catalogue order."""
    digest = hashlib.sha256(f"daily-quests:{user_id}:{day.isoformat()}".encode()).digest()
    chosen = set(random.Random(digest).sample(list(QUEST_TYPES), OFFERS_PER_DAY))
    return [quest_type for quest_type in QUEST_TYPES if quest_type in chosen]


def local_day(moment: datetime.datetime, time_zone: str) -> datetime.date:
    """The calendar day ``moment`` falls on for someone living in ``time_zone``."""
    return moment.astimezone(ZoneInfo(time_zone)).date()


# The profile's fields a ``LearnerZone`` is read from, in ``LearnerZone.from_values``'s order.
ZONE_FIELDS = ("time_zone", "previous_time_zone", "time_zone_changed_at", "time_zone_changed_on")


@dataclass(frozen=True)
class LearnerZone:
    """Where a learner's days are counted: the profile's zone and its last change (see the module's rule).
    Without a recorded change (``changed_on`` None) every day is simply the local day in ``time_zone``."""

    time_zone: str = DEFAULT_TIME_ZONE
    previous_time_zone: str = ""
    changed_at: datetime.datetime | None = None
    changed_on: datetime.date | None = None

    @classmethod
    def from_values(cls, values: tuple | None) -> "LearnerZone":
        """From the profile's ``ZONE_FIELDS`` as a read returns them: ``None`` (no profile row, or a join that
        found none) or no zone gives the default zone."""
        if not values or not values[0]:
            return cls()
        return cls(*values)

    @classmethod
    def of(cls, profile) -> "LearnerZone":
        return cls(
            time_zone=profile.time_zone,
            previous_time_zone=profile.previous_time_zone,
            changed_at=profile.time_zone_changed_at,
            changed_on=profile.time_zone_changed_on,
        )

    def _in_change_day(self, moment: datetime.datetime) -> bool:
        return local_day(moment, self.previous_time_zone) <= self.changed_on

    def day_of(self, moment: datetime.datetime) -> datetime.date:
        """The learner's day at ``moment``."""
        if self.changed_on is None or self.changed_at is None or not self.previous_time_zone:
            return local_day(moment, self.time_zone)
        if moment < self.changed_at:  # before the change: where they were then
            return local_day(moment, self.previous_time_zone)
        if self._in_change_day(moment):  # the rest of the change day, to its end in the zone it began in
            return self.changed_on
        return max(local_day(moment, self.time_zone), self.changed_on + datetime.timedelta(days=1))


def zone_after_change(zone: LearnerZone, *, time_zone: str, now: datetime.datetime) -> LearnerZone:
    """The learner's zone once they switch to ``time_zone`` at ``now``: the change takes effect from
    their next day. A second change on a day that began in another zone keeps that zone for the day."""
    if time_zone == zone.time_zone:
        return zone
    pending = zone.changed_on is not None and zone.changed_at is not None and zone.changed_at <= now
    if pending and zone._in_change_day(now):  # a change still waiting for its day to end: only the target moves
        return LearnerZone(time_zone, zone.previous_time_zone, zone.changed_at, zone.changed_on)
    return LearnerZone(
        time_zone=time_zone, previous_time_zone=zone.time_zone, changed_at=now, changed_on=zone.day_of(now)
    )


@dataclass(frozen=True)
class VacationSpan:
    """Days ``starts_on`` up to (not including) ``ends_on``; an open span (``ends_on`` None) runs on."""

    starts_on: datetime.date
    ends_on: datetime.date | None

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


class DayState(models.TextChoices):
    COMPLETED = "completed", "Quest completed"
    FROZEN = "frozen", "Streak freeze used"
    VACATION = "vacation", "Vacation"
    MISSED = "missed", "Missed"
    OPEN = "open", "Today, still open"
    BEFORE = "before", "Before the streak"


@dataclass(frozen=True)
class StreakHistory:
    current: int
    longest: int
    freezes_bought: int
    freezes_used: int
    states: dict[datetime.date, str]  # every day from the first completed one up to today

    @property
    def freezes_available(self) -> int:
        return self.freezes_bought - self.freezes_used


def streak_history(
    *,
    completed_days: Iterable[datetime.date],
    freeze_days: Iterable[datetime.date],
    vacations: Iterable[VacationSpan],
    today: datetime.date,
) -> StreakHistory:
    """Walk the days from the first completed one to today.

    - a day with a completed quest adds one to the streak;
    - a vacation day pauses it: it neither adds nor breaks;
    - any other past day is missed: a freeze the learner held (bought on an earlier day) is spent
      on it and keeps the streak, otherwise the streak falls to zero. Freezes are spent only while a
      streak runs, oldest purchase first;
    - today, not yet completed, is still open and breaks nothing.

    ``freeze_days`` are the local days on which each freeze was bought. Nothing here is stored: the
    same inputs give the same spent freezes, so a freeze is never spent twice.
    """
    completed = set(completed_days)
    spans = list(vacations)
    purchases = sorted(freeze_days)
    states: dict[datetime.date, str] = {}
    current = longest = used = 0
    held_from = 0  # purchases[:held_from] were bought before the day being walked
    if completed:
        day = min(completed)
        while day <= today:
            while held_from < len(purchases) and purchases[held_from] < day:
                held_from += 1
            if day in completed:
                current += 1
                longest = max(longest, current)
                states[day] = DayState.COMPLETED
            elif any(span.covers(day) for span in spans):
                states[day] = DayState.VACATION
            elif day == today:
                states[day] = DayState.OPEN
            elif current and held_from - used > 0:
                used += 1
                states[day] = DayState.FROZEN
            else:
                current = 0
                states[day] = DayState.MISSED
            day += datetime.timedelta(days=1)
    return StreakHistory(
        current=current, longest=longest, freezes_bought=len(purchases), freezes_used=used, states=states
    )
