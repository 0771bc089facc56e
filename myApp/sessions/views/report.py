"""The wellbeing report page: the user's own, a consenting child's (their parent), or any learner's
(staff operations); who may see whose is ``lib.access.subject_visible_to``."""

from datetime import date, datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from myApp.lib import access
from myApp.sessions import selectors, wellbeing
from myApp.sessions.models import WellbeingModule

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 320, 80, 6


def sparkline(values: list[int], top: int = 100) -> dict[str, Any] | None:
    """Polyline points (and dots) for a small SVG line of 0..top values; None when there is nothing to draw."""
    if not values:
        return None
    inner_w, inner_h = SPARK_WIDTH - 2 * SPARK_PAD, SPARK_HEIGHT - 2 * SPARK_PAD
    step = inner_w / (len(values) - 1) if len(values) > 1 else 0
    dots = [
        (
            round(SPARK_PAD + (index * step if len(values) > 1 else inner_w / 2), 1),
            round(SPARK_PAD + inner_h * (1 - max(0, min(value or 0, top)) / top), 1),
        )
        for index, value in enumerate(values)
    ]
    return {
        "width": SPARK_WIDTH,
        "height": SPARK_HEIGHT,
        "points": " ".join(f"{x},{y}" for x, y in dots),
        "dots": dots,
        "baseline": SPARK_HEIGHT - SPARK_PAD,
    }


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _day(value: str) -> date | str:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


def report_context(report: dict[str, Any]) -> dict[str, Any]:
    breathing = report[WellbeingModule.BREATHING]
    trend = [{**point, "completed_at": _when(point["completed_at"])} for point in breathing["trend"]]
    intensities = [point["intensity"] for point in trend if isinstance(point["intensity"], int)]
    moods = [{**row, "date": _day(row["date"])} for row in report[WellbeingModule.EMOTION_LABELING]["moods"]]
    questions = wellbeing.ASSESSMENT_QUESTIONS
    assessments = [
        {
            "completed_at": _when(row["completed_at"]),
            "total": row["total"],
            "answered": row["answered"],
            "possible": row["answered"] * wellbeing.ASSESSMENT_MAX,
            "per_question": [(text, row["answers"].get(str(index))) for index, text in enumerate(questions)],
        }
        for row in report[WellbeingModule.QUICK_ASSESSMENT]["totals"]
    ]
    doodling = report[WellbeingModule.INNER_DOODLING]
    return {
        "trend": trend,
        "spark": sparkline(intensities),
        "spark_label": ", ".join(str(value) for value in intensities),
        "moods": moods,
        "assessments": assessments,
        "doodle_count": doodling["count"],
        "doodle_drawings": doodling["drawings"],
        "total_completions": sum(report[module]["count"] for module in WellbeingModule.values),
    }


@login_required
@require_GET
def report(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    seen = access.subject_visible_to(
        viewer=request.user,
        subject_id=user_id,
        what=access.WELLBEING_REPORT,
        where=request.path,
        staff_operations=True,
    )
    subject = seen.subject
    context = report_context(selectors.psychology_report(user=subject))
    context.update({"subject": subject, "is_own": seen.is_own})
    return render(request, "sessions/report.html", context)
