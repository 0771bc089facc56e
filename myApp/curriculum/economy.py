"""The server's reward rules for practice: what each action pays, how often, and why not.

Amounts never come from the client. Each reward path has a bound the database helps hold:

- amphitheatre: an exercise pays its plan amount on its first recording in a visit (a
  partial unique constraint on paid records); a visit pays only on the day it opened, and
  only when fewer than ``AMPHITHEATRE_PAYING_VISITS_PER_DAY`` of the learner's visits opened
  that day have paid. So a day pays at most that many plans;
- venues: a venue pays on one finished visit per learner and day (a partial unique
  constraint on ``VenueEntry.paid_on``);
- lessons: the first completion of each lesson (``LessonSession.rewarded``, unique);
- modules: once per module (``UserProgress.completed_at`` set by a conditional UPDATE);
- milestones: the first pass per level (``MilestoneAttempt.rewarded``, unique).

A "day" is the calendar day in ``settings.TIME_ZONE``.

Where tickets come from (and nowhere else): completing a module (``Module.ticket_reward``,
``services.module_complete``); amphitheatre exercises whose plan item carries tickets
(``AMPHITHEATRE_PLAN``, ``services.amphitheatre_submit``); and staff grants of
``STAFF_TICKET_GRANT`` from the admin (``services.tickets_grant``). Tickets are spent on
entering a venue (``Venue.ticket_cost``, ``services.venue_enter``).
"""

import datetime
from typing import Any

from django.utils import timezone

AMPHITHEATRE_PAYING_VISITS_PER_DAY = 3

# What one staff grant gives each selected learner (the user admin and the venue-entry admin alike).
STAFF_TICKET_GRANT = 10

# Written into each visit's plan when it opens; a practice visit's plan carries zeros.
AMPHITHEATRE_PLAN = (
    {"key": "warm_up", "title": "Warm-up: breathe and hum for 30 seconds", "xp": 5, "coins": 0, "tickets": 0},
    {"key": "impromptu", "title": "Impromptu: one minute on a random topic", "xp": 10, "coins": 2, "tickets": 0},
    {
        "key": "story",
        "title": "Story: tell a 90-second personal story with a clear point",
        "xp": 15,
        "coins": 3,
        "tickets": 1,
    },
    {"key": "q_and_a", "title": "Q&A: answer three tough questions calmly", "xp": 10, "coins": 2, "tickets": 0},
)
REWARD_FIELDS = ("xp", "coins", "tickets")

PRACTICE_VISIT_NOTE = (
    f"Practice visit: you have already had {AMPHITHEATRE_PAYING_VISITS_PER_DAY} paying visits today, "
    "so this visit pays nothing. Paying visits start again tomorrow."
)
DAILY_BOUND_REACHED_NOTE = (
    f"You have had your {AMPHITHEATRE_PAYING_VISITS_PER_DAY} paying visits today: a visit opened now is practice "
    "and pays nothing. Paying visits start again tomorrow."
)
STALE_VISIT_NOTE = "This visit opened on an earlier day and no longer pays: end it and open a new visit to earn today."
PAYING_VISIT_NOTE = "Each exercise pays its plan amount the first time you record it in this visit."
REPEAT_EXERCISE_NOTE = "Already paid in this visit: recording it again is good practice but pays nothing."
VENUE_PAID_TODAY_NOTE = (
    "You were already paid for a visit here today: another visit costs its tickets but pays nothing until tomorrow."
)
VENUE_UNPAID_VISIT_NOTE = "Paid nothing: this venue had already paid you for a visit that day."


def not_enough_tickets_message(*, venue_name: str, cost: int, tickets: int) -> str:
    return (
        f"{venue_name} costs {cost} ticket{'s' if cost != 1 else ''} and you have {tickets}. "
        "Complete modules or practise in the amphitheatre to earn more."
    )


def tickets_short_message(*, venue_name: str, cost: int, tickets: int) -> str | None:
    """What the venue page says before a learner who cannot pay tries to enter (``venue_enter`` refuses alike)."""
    return not_enough_tickets_message(venue_name=venue_name, cost=cost, tickets=tickets) if tickets < cost else None


def today() -> datetime.date:
    return timezone.localdate()


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The start of ``day`` and of the next day, as aware datetimes in the current time zone."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def amphitheatre_plan(*, paying: bool) -> list[dict[str, Any]]:
    """A fresh plan: the exercises with their rewards, or with zeros for a practice visit."""
    return [{**item, **({} if paying else dict.fromkeys(REWARD_FIELDS, 0))} for item in AMPHITHEATRE_PLAN]


def plan_amounts(item: dict[str, Any]) -> tuple[int, int, int]:
    """XP, coins and tickets of one plan item; a missing or malformed amount counts as zero."""
    amounts = []
    for name in REWARD_FIELDS:
        value = item.get(name, 0)
        amounts.append(value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0)
    return amounts[0], amounts[1], amounts[2]


def describe_amounts(xp: int, coins: int, tickets: int) -> str:
    parts = [f"+{xp} XP"] if xp else []
    if coins:
        parts.append(f"+{coins} coin{'s' if coins != 1 else ''}")
    if tickets:
        parts.append(f"+{tickets} ticket{'s' if tickets != 1 else ''}")
    return ", ".join(parts) or "nothing"


def amphitheatre_visit_pays_now(session: Any) -> bool:
    """A visit pays if it opened as a paying visit, and only on the day it opened."""
    return bool(session.paying) and timezone.localdate(session.started_at) == today()


def amphitheatre_visit_note(session: Any) -> str:
    """Why this visit pays, or why it pays nothing."""
    if not session.paying:
        return PRACTICE_VISIT_NOTE
    if not amphitheatre_visit_pays_now(session):
        return STALE_VISIT_NOTE
    return PAYING_VISIT_NOTE


def amphitheatre_record_note(record: Any) -> str:
    """Why a recorded exercise paid what it did."""
    if record.paid:
        return f"First recording of this exercise in this visit: paid {describe_amounts(*record_amounts(record))}."
    if any(record_amounts(record)):  # recorded before rewards had bounds
        return f"Paid {describe_amounts(*record_amounts(record))}."
    if not record.session.paying:
        return PRACTICE_VISIT_NOTE
    if timezone.localdate(record.created_at) != timezone.localdate(record.session.started_at):
        return STALE_VISIT_NOTE
    return REPEAT_EXERCISE_NOTE


def record_amounts(record: Any) -> tuple[int, int, int]:
    return record.xp_delta, record.coins_delta, record.tickets_delta


def venue_entry_note(entry: Any) -> str:
    """What finishing a venue visit paid, or why it paid nothing."""
    if entry.finished_at is None:
        return ""
    if entry.paid_on is None and not (entry.xp_awarded or entry.coins_awarded):
        return VENUE_UNPAID_VISIT_NOTE
    return f"Paid {describe_amounts(entry.xp_awarded, entry.coins_awarded, 0)}."
