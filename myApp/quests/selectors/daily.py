"""Reads for daily quests and streaks: a learner's own rows only (every function takes that learner)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from myApp.accounts.models import Profile, User
from myApp.quests import daily_rules
from myApp.quests.daily_rules import QUEST_TYPES, ZONE_FIELDS, DayState, LearnerZone, StreakHistory, VacationSpan
from myApp.quests.models import DailyQuest, QuestProgress, Vacation


def zone_of(*, user: User) -> LearnerZone:
    """Where ``user``'s days are counted (one read; the default zone for a learner without a profile row)."""
    return LearnerZone.from_values(Profile.objects.filter(user=user).values_list(*ZONE_FIELDS).first())


def daily_quests() -> QuerySet[DailyQuest]:
    """Every daily quest, newest day first: a base the viewset narrows to the caller's own through ``lib.access``."""
    return DailyQuest.objects.order_by("-date", "quest_type")


def daily_quests_of_user(*, user: User) -> QuerySet[DailyQuest]:
    """Every daily quest the learner was offered and has a row for, newest day first."""
    return daily_quests().filter(user=user)


def vacation_covering(*, user: User, day: datetime.date) -> Vacation | None:
    return (
        Vacation.objects.filter(user=user, starts_on__lte=day)
        .exclude(ends_on__isnull=False, ends_on__lte=day)
        .order_by("-starts_on")
        .first()
    )


@dataclass(frozen=True)
class Streak:
    """A learner's streak as of ``today`` (their own day), derived from their rows."""

    today: datetime.date
    time_zone: str
    history: StreakHistory
    vacation: Vacation | None  # the one covering today, if any
    vacation_spans: tuple[VacationSpan, ...] = ()  # all of them, for the calendar

    @property
    def current(self) -> int:
        return self.history.current

    @property
    def longest(self) -> int:
        return self.history.longest

    @property
    def freezes_available(self) -> int:
        return self.history.freezes_available

    @property
    def freezes_used(self) -> int:
        return self.history.freezes_used

    @property
    def on_vacation(self) -> bool:
        return self.vacation is not None


def streak_for(*, user: User, now: datetime.datetime | None = None, zone: LearnerZone | None = None) -> Streak:
    """Three reads (days with a completed quest, freezes, vacations), plus the profile's time zone
    when the caller does not pass it."""
    zone = zone or zone_of(user=user)
    today = zone.day_of(now or timezone.now())
    completed_days = (
        DailyQuest.objects.filter(user=user, completed_at__isnull=False, date__lte=today)
        .values_list("date", flat=True)
        .distinct()
    )
    freeze_days = user.streak_freezes.values_list("bought_on", flat=True)
    vacations = list(Vacation.objects.filter(user=user).order_by("starts_on", "pk"))
    spans = tuple(VacationSpan(vacation.starts_on, vacation.ends_on) for vacation in vacations)
    history = daily_rules.streak_history(
        completed_days=list(completed_days), freeze_days=list(freeze_days), vacations=spans, today=today
    )
    covering = [vacation for vacation, span in zip(vacations, spans, strict=True) if span.covers(today)]
    return Streak(
        today=today,
        time_zone=zone.time_zone,
        history=history,
        vacation=covering[-1] if covering else None,
        vacation_spans=spans,
    )


def daily_quests_today(*, user: User, streak: Streak) -> list[DailyQuest]:
    """The day's three quests with their progress: the stored rows, and for an offer no event has
    written yet an unsaved quest at zero (reading writes nothing). None while on vacation."""
    if streak.on_vacation:
        return []
    stored = {quest.quest_type: quest for quest in DailyQuest.objects.filter(user=user, date=streak.today)}
    return [
        stored.get(quest_type)
        or DailyQuest(
            user=user,
            date=streak.today,
            quest_type=quest_type,
            target=QUEST_TYPES[quest_type].target,
            xp_reward=QUEST_TYPES[quest_type].xp,
            coins_reward=QUEST_TYPES[quest_type].coins,
        )
        for quest_type in daily_rules.offered_types(user_id=user.pk, day=streak.today)
    ]


@dataclass(frozen=True)
class CalendarDay:
    day: datetime.date
    state: str  # a DayState, or "future"

    @property
    def label(self) -> str:
        if self.state == "future":
            return f"{self.day:%a %d %b}"
        return f"{self.day:%a %d %b}: {DayState(self.state).label}"


@dataclass(frozen=True)
class DailyDashboard:
    quests: list[DailyQuest]
    streak: Streak
    weeks: list[list[CalendarDay]]  # Monday to Sunday, oldest week first, the last one holds today
    freeze_price: int = daily_rules.FREEZE_PRICE_COINS
    freezes_held_max: int = daily_rules.FREEZES_HELD_MAX


def calendar_state(*, streak: Streak, day: datetime.date) -> str:
    """What happened on ``day``, as the streak walk saw it: a day with a completed quest stays completed
    even when a vacation began later that day. Days before the first completed one are vacation if one
    covered them, else before the streak."""
    if day > streak.today:
        return "future"
    state = streak.history.states.get(day)
    if state is not None:
        return state
    if any(span.covers(day) for span in streak.vacation_spans):
        return DayState.VACATION
    return DayState.BEFORE


def calendar_weeks(*, streak: Streak, weeks: int = daily_rules.CALENDAR_WEEKS) -> list[list[CalendarDay]]:
    first = streak.today - datetime.timedelta(days=streak.today.weekday() + 7 * (weeks - 1))
    rows = []
    for week in range(weeks):
        row = []
        for offset in range(7):
            day = first + datetime.timedelta(days=7 * week + offset)
            row.append(CalendarDay(day, calendar_state(streak=streak, day=day)))
        rows.append(row)
    return rows


def daily_dashboard(
    *, user: User, now: datetime.datetime | None = None, zone: LearnerZone | None = None
) -> DailyDashboard:
    """Today's quests, the streak and its calendar: four reads (three with ``zone`` given)."""
    streak = streak_for(user=user, now=now, zone=zone)
    return DailyDashboard(
        quests=daily_quests_today(user=user, streak=streak), streak=streak, weeks=calendar_weeks(streak=streak)
    )


def daily_quest_xp_by_day(*, user: User) -> QuerySet:
    """``(day, xp)``: the XP ``user``'s completed daily quests paid, per day (the learner's own day, as stored),
    in the shape of ``curriculum.selectors.xp_by_day_querysets`` so a report unions them into one query."""
    return (
        DailyQuest.objects.filter(user=user, completed_at__isnull=False)
        .order_by()
        .annotate(day=F("date"))
        .values("day")
        .annotate(xp=Sum("xp_reward"))
        .values_list("day", "xp")
    )


def quests_completed(*, user: User) -> dict[str, int]:
    """How many daily quests and how many story quests (played to an ending) ``user`` completed: one query, two
    counts read from their (user, ...) indexes."""

    def count_of(rows: QuerySet) -> Subquery:
        return Subquery(rows.order_by().values("user").annotate(n=Count("pk")).values("n")[:1])

    row = (
        User.objects.filter(pk=user.pk)
        .values("pk")
        .annotate(
            daily_quests=count_of(DailyQuest.objects.filter(user=OuterRef("pk"), completed_at__isnull=False)),
            story_quests=count_of(QuestProgress.objects.filter(user=OuterRef("pk"), completed=True)),
        )
        .first()
    ) or {}
    return {key: row.get(key) or 0 for key in ("daily_quests", "story_quests")}
