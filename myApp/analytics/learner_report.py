"""One learner's report: learning progress, quests and streaks, and wellbeing trends, in one document.

Assembled from the selectors of the apps that own the data (curriculum, quests, sessions) in a constant number
of queries, whatever the learner's history: the same for a new learner as for a busy one. Nothing here decides
who may see it: callers ask ``myApp.lib.access`` first (``access.LEARNER_REPORT``) and pass the learner.
Every figure is derived from stored rows; the report stores nothing.
"""

import datetime
from collections import Counter, defaultdict
from typing import Any

from myApp.accounts.models import User
from myApp.curriculum import selectors as curriculum_selectors
from myApp.quests.selectors import daily as quest_selectors
from myApp.sessions import selectors as wellbeing_selectors
from myApp.sessions import wellbeing
from myApp.sessions.models import WellbeingModule

BREATHING_NOTE = (
    "Each breathing exercise records one intensity: how strong the named feeling was when the exercise ended "
    "(0 to 100). A value from before the exercise is not recorded, so the chart shows the trend across exercises."
)


def xp_over_time(*, user: User) -> list[dict[str, Any]]:
    """XP earned per day (days with none left out), oldest first, with the running total: every source the
    curriculum pays from, and daily quests, unioned into one query."""
    parts = [*curriculum_selectors.xp_by_day_querysets(user=user), quest_selectors.daily_quest_xp_by_day(user=user)]
    per_day: dict[datetime.date, int] = defaultdict(int)
    for day, xp in parts[0].union(*parts[1:], all=True).order_by():
        if day is not None and xp:
            per_day[day] += xp
    running = 0
    rows = []
    for day in sorted(per_day):
        running += per_day[day]
        rows.append({"date": day, "xp": per_day[day], "total": running})
    return rows


def _learning(user: User) -> dict[str, Any]:
    progress = curriculum_selectors.learning_progress(user=user)
    levels = [
        {
            "number": card.level.number,
            "title": card.level.title,
            "milestone_passed": card.milestone_passed,
            "modules_completed": sum(1 for item in card.modules if item.status == "completed"),
            "modules": [
                {"code": item.module.code, "title": item.module.title, "status": item.status} for item in card.modules
            ],
        }
        for card in progress.levels
    ]
    # The level being worked on: the first whose milestone is not passed yet (None once all are passed).
    current = next((level for level in levels if not level["milestone_passed"]), None)
    return {
        "current_level": {"number": current["number"], "title": current["title"]} if current else None,
        "levels": levels,
        "modules_completed": progress.modules_completed,
        "modules_total": sum(len(level["modules"]) for level in levels),
        "lessons_completed": progress.lessons_completed,
        "milestones_passed": progress.milestones_passed,
    }


def _band(total: int, answered: int) -> dict[str, str] | None:
    band = wellbeing.assessment_band(total=total, answered=answered)
    if band is None:
        return None
    return {"key": band.key, "label": band.label, "means": band.means, "does_not_mean": band.does_not_mean}


def _day(value: Any) -> datetime.date | Any:
    """A mood's day as a date (stored as ISO text); a value that is not one stays as stored."""
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


def _wellbeing(user: User) -> dict[str, Any]:
    report = wellbeing_selectors.psychology_report(user=user)
    breathing = report[WellbeingModule.BREATHING]
    moods = report[WellbeingModule.EMOTION_LABELING]["moods"]
    assessment = report[WellbeingModule.QUICK_ASSESSMENT]
    return {
        "trend_points": report["trend_points"],
        "moods": {
            "count": report[WellbeingModule.EMOTION_LABELING]["count"],
            "recent": [{**row, "date": _day(row["date"])} for row in moods],
            "tally": [
                {"mood": mood, "count": count}
                for mood, count in Counter(row["mood"] for row in moods if row["mood"]).most_common()
            ],
        },
        "breathing": {
            "count": breathing["count"],
            "average_intensity": breathing["average_intensity"],
            "recent": breathing["trend"],
            "note": BREATHING_NOTE,
        },
        "self_checks": {
            "count": assessment["count"],
            "note": wellbeing.ASSESSMENT_BAND_NOTE,
            "recent": [
                {
                    "completed_at": row["completed_at"],
                    "total": row["total"],
                    "answered": row["answered"],
                    "possible": row["possible"],
                    "band": _band(row["total"], row["answered"]),
                }
                for row in assessment["totals"]
            ],
        },
    }


def learner_report(*, user: User) -> dict[str, Any]:
    """Everything the report shows of ``user`` (the page, the endpoint and the PDF all render this)."""
    zone = quest_selectors.zone_of(user=user)
    streak = quest_selectors.streak_for(user=user, zone=zone)
    xp = xp_over_time(user=user)
    return {
        # Times are shown in the learner's own zone, whoever reads them (the page and the PDF; new-user review).
        "learner": {"id": user.pk, "username": user.username, "time_zone": zone.time_zone},
        "learning": {**_learning(user), "xp_total": xp[-1]["total"] if xp else 0, "xp_over_time": xp},
        "quests": {
            **quest_selectors.quests_completed(user=user),
            "current_streak": streak.current,
            "longest_streak": streak.longest,
            "streak_day": streak.today,
        },
        "wellbeing": _wellbeing(user),
    }
