"""Writes for daily quests and streaks: counting events, paying completed quests, buying a streak
freeze, starting and ending a vacation.

Other apps report what a learner did through ``record`` (or the named helpers below) from their own
services, inside their transactions, so a rolled-back lesson finish counts nothing:

- ``curriculum.services.lesson_session_finish`` → ``FINISH_LESSON``
- ``curriculum.services.venue_finish`` and ``amphitheatre_submit`` → ``VENUE_PRACTICE``
- ``sessions.services.conversation_module_complete`` (the breathing module) → ``BREATHING``
- ``sessions.services.chat_send`` → ``CHAT_CHECK_IN``
- the therapeutic quest's play service → ``quest_step_played(user=..., at=...)``, once per step taken
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, FilteredRelation, Q
from django.utils import timezone

from myApp.accounts.models import Profile, User
from myApp.accounts.services import profile_adjust_balance, profile_ensure
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.lib.exceptions import Conflict, InsufficientBalance, ServiceError
from myApp.quests import daily_rules
from myApp.quests.daily_rules import QUEST_TYPES, DailyQuestType
from myApp.quests.models import DailyQuest, StreakFreeze, Vacation
from myApp.quests.selectors import daily as selectors


@dataclass(frozen=True)
class Recorded:
    """What one event did: the quest it counted towards (None when none was offered) and whether it
    completed that quest (and so paid it)."""

    quest: DailyQuest | None
    completed: bool


def offers_ensure(*, user: User, day: datetime.date) -> list[DailyQuest]:
    """Write the day's three offers if they are not written yet and return them."""
    _offers_write(user=user, day=day)
    return list(DailyQuest.objects.filter(user=user, date=day))


def _offers_write(*, user: User, day: datetime.date) -> None:
    """One INSERT ... ON CONFLICT DO NOTHING: concurrent callers write each offer once."""
    DailyQuest.objects.bulk_create(
        [
            DailyQuest(
                user=user,
                date=day,
                quest_type=quest_type,
                target=QUEST_TYPES[quest_type].target,
                xp_reward=QUEST_TYPES[quest_type].xp,
                coins_reward=QUEST_TYPES[quest_type].coins,
            )
            for quest_type in daily_rules.offered_types(user_id=user.pk, day=day)
        ],
        ignore_conflicts=True,
    )


def record(*, user: User, event_type: str, at: datetime.datetime | None = None) -> Recorded:
    """Count one event of ``event_type`` (a ``DailyQuestType``) towards the learner's quest of that day.

    Nothing is counted when the type is not among the day's offers or the learner is on vacation. The
    progress is raised by one UPDATE that stops at the target; the quest is completed by a second,
    conditional UPDATE (``completed_at IS NULL``), which only one of any number of concurrent events can
    win, and only the winner pays the rewards, through the economy's ``profile_adjust_balance``.
    """
    if event_type not in QUEST_TYPES:
        raise ServiceError("Unknown daily quest event.", errors={"event_type": [f"Use one of {list(QUEST_TYPES)}."]})
    at = at or timezone.now()
    # Every zone's day is the UTC day or one either side: a type none of them offers costs no query.
    utc_day = at.astimezone(datetime.UTC).date()
    if not any(
        event_type in daily_rules.offered_types(user_id=user.pk, day=utc_day + datetime.timedelta(days=shift))
        for shift in (-1, 0, 1)
    ):
        return Recorded(None, False)
    if _nothing_to_count(user=user, event_type=event_type, at=at, utc_day=utc_day):
        return Recorded(None, False)
    # No savepoint: callers (a chat turn, a lesson finish) already run in a transaction, and a failure here
    # must roll their work back with it anyway.
    with transaction.atomic(savepoint=False):
        # The learner's profile row first, as the economy's other writers take it (a lesson's XP, a
        # venue's rewards): a finish that paid XP and a check-in completing a quest then queue on the
        # same row instead of each holding what the other waits for. The same read gives the time zone.
        values = Profile.objects.select_for_update().filter(user=user).values_list(*daily_rules.ZONE_FIELDS).first()
        zone = daily_rules.LearnerZone.from_values(values)
        day = zone.day_of(at)  # a zone change waits for the learner's next day (``daily_rules``)
        if event_type not in daily_rules.offered_types(user_id=user.pk, day=day):
            return Recorded(None, False)
        if selectors.vacation_covering(user=user, day=day) is not None:
            return Recorded(None, False)
        _offers_write(user=user, day=day)
        mine = DailyQuest.objects.filter(user=user, date=day, quest_type=event_type)
        mine.filter(progress__lt=F("target")).update(progress=F("progress") + 1)
        completed = bool(
            mine.filter(completed_at__isnull=True, progress__gte=F("target")).update(completed_at=timezone.now())
        )
        quest = mine.get()
        if completed:
            profile_adjust_balance(user=user, xp=quest.xp_reward, coins=quest.coins_reward)
            track(
                event_type=events.DAILY_QUEST_COMPLETED,
                user=user,
                data={"quest_type": event_type, "date": day.isoformat(), "xp": quest.xp_reward},
            )
    return Recorded(quest, completed)


def _nothing_to_count(*, user: User, event_type: str, at: datetime.datetime, utc_day: datetime.date) -> bool:
    """Whether an event of this type at ``at`` surely counts for nothing, in one read without a lock (the
    learner's zone with their quests of this type around ``utc_day``): the type is not offered on the learner's
    day, or that day's quest is already completed (a completed quest never reopens). A chat turn then costs one
    statement here, not six. False when it may count: ``record`` decides under the lock."""
    window = (utc_day - datetime.timedelta(days=1), utc_day + datetime.timedelta(days=1))
    rows = list(
        User.objects.filter(pk=user.pk)
        .annotate(
            quest=FilteredRelation(
                "daily_quests", condition=Q(daily_quests__quest_type=event_type, daily_quests__date__range=window)
            )
        )
        .values_list(*(f"profile__{name}" for name in daily_rules.ZONE_FIELDS), "quest__date", "quest__completed_at")
    )
    if not rows:
        return False
    zone = daily_rules.LearnerZone.from_values(rows[0][: len(daily_rules.ZONE_FIELDS)])
    day = zone.day_of(at)
    if event_type not in daily_rules.offered_types(user_id=user.pk, day=day):
        return True
    return any(date == day and completed_at is not None for *_, date, completed_at in rows)


def quest_step_played(*, user: User, at: datetime.datetime | None = None) -> Recorded:
    """The hook for the therapeutic quests: call it from the play service once per step the learner
    takes (a move along an edge of the quest's graph), inside that service's transaction."""
    return record(user=user, event_type=DailyQuestType.QUEST_STEP, at=at)


@transaction.atomic
def streak_freeze_buy(*, user: User, now: datetime.datetime | None = None) -> StreakFreeze:
    """Buy one streak freeze for ``FREEZE_PRICE_COINS``; a learner holds at most ``FREEZES_HELD_MAX``.

    The profile row is locked first, so two purchases at once are counted one after the other; the
    coins are spent by the economy's atomic UPDATE, which the database refuses to take below zero.
    """
    now = now or timezone.now()
    profile = Profile.objects.select_for_update().get(pk=profile_ensure(user=user).pk)
    zone = daily_rules.LearnerZone.of(profile)
    streak = selectors.streak_for(user=user, now=now, zone=zone)
    if daily_rules.freeze_refused_for(freezes_available=streak.freezes_available, coins=profile.coins) == "held":
        raise Conflict(
            "You already hold as many streak freezes as you can.",
            errors={"freezes": [f"At most {daily_rules.FREEZES_HELD_MAX} at a time."]},
        )
    try:
        profile_adjust_balance(user=user, coins=-daily_rules.FREEZE_PRICE_COINS)
    except InsufficientBalance:
        raise InsufficientBalance(
            f"A streak freeze costs {daily_rules.FREEZE_PRICE_COINS} coins and you have {profile.coins}.",
            errors={"coins": ["Not enough."]},
        ) from None
    freeze = StreakFreeze.objects.create(
        user=user,
        bought_at=now,
        bought_on=zone.day_of(now),
        coins_paid=daily_rules.FREEZE_PRICE_COINS,
    )
    track(event_type=events.STREAK_FREEZE_BOUGHT, user=user, data={"coins": daily_rules.FREEZE_PRICE_COINS})
    return freeze


def vacation_start(*, user: User, now: datetime.datetime | None = None) -> Vacation:
    """Start a vacation today (the learner's day): quests and the streak pause from today on.

    A vacation that ended today is opened again rather than a new one written, so switching it on and off
    leaves at most one row a day (each streak walk reads every vacation of the learner's)."""
    profile = profile_ensure(user=user)
    today = daily_rules.LearnerZone.of(profile).day_of(now or timezone.now())
    try:
        with transaction.atomic():
            ended_today = Vacation.objects.filter(user=user, ends_on=today).order_by("-starts_on", "-pk").first()
            # Conditional: of two starts at once one reopens it, the other creates and meets the constraint.
            if ended_today is not None and Vacation.objects.filter(pk=ended_today.pk, ends_on=today).update(
                ends_on=None
            ):
                vacation = Vacation.objects.get(pk=ended_today.pk)
            else:
                vacation = Vacation.objects.create(user=user, starts_on=today)
    except IntegrityError:  # one is already open (the partial unique constraint)
        raise Conflict("You are already on vacation.", errors={"vacation": ["already_on"]}) from None
    track(event_type=events.VACATION_STARTED, user=user, data={"starts_on": today.isoformat()})
    return vacation


def vacation_end(*, user: User, now: datetime.datetime | None = None) -> Vacation:
    """End the open vacation: today is an ordinary day again (quests are offered, the streak counts)."""
    profile = profile_ensure(user=user)
    today = daily_rules.LearnerZone.of(profile).day_of(now or timezone.now())
    with transaction.atomic():
        vacation = Vacation.objects.select_for_update().filter(user=user, ends_on__isnull=True).first()
        if vacation is None:
            raise Conflict("You are not on vacation.", errors={"vacation": ["already_off"]})
        vacation.ends_on = max(today, vacation.starts_on)
        vacation.save(update_fields=["ends_on"])
    track(event_type=events.VACATION_ENDED, user=user, data={"ends_on": vacation.ends_on.isoformat()})
    return vacation


def vacation_set(*, user: User, on: bool, now: datetime.datetime | None = None) -> Vacation:
    return vacation_start(user=user, now=now) if on else vacation_end(user=user, now=now)
