"""The wellbeing report page: the user's own, a consenting child's (their parent), or any learner's
(staff operations); who may see whose is ``lib.access.subject_visible_to``."""

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from myApp.lib import access
from myApp.sessions import selectors
from myApp.sessions.models import WellbeingModule
from myApp.sessions.selectors import completion_summary
from myApp.sessions.views.modules import PAGE_FOR_MODULE
from myApp.sessions.views.modules import completion_summary as completion_summary_rows

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 320, 80, 6
HISTORY_PAGE_SIZE = 20


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


def _day(value: str) -> date | str:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


def report_context(report: dict[str, Any]) -> dict[str, Any]:
    """The selector's report laid out for the page (every figure comes from ``selectors.psychology_report``)."""
    breathing = report[WellbeingModule.BREATHING]
    assessment = report[WellbeingModule.QUICK_ASSESSMENT]
    doodling = report[WellbeingModule.INNER_DOODLING]
    return {
        "trend": breathing["trend"],
        "average_intensity": breathing["average_intensity"],
        "spark": sparkline(breathing["intensities"]),
        "spark_label": ", ".join(str(value) for value in breathing["intensities"]),
        "moods": [{**row, "date": _day(row["date"])} for row in report[WellbeingModule.EMOTION_LABELING]["moods"]],
        "assessments": [
            {**row, "per_question": list(zip(assessment["questions"], row["scores"], strict=True))}
            for row in assessment["totals"]
        ],
        "doodle_count": doodling["count"],
        "doodle_drawings": doodling["drawings"],
        "total_completions": report["total_completions"],
        "trend_points": report["trend_points"],
    }


def history_rows(page) -> list[dict[str, Any]]:
    return [
        {
            "completion": completion,
            "title": PAGE_FOR_MODULE[completion.module_id].title,
            **completion_summary(completion),
        }
        for completion in page.object_list
    ]


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
    history = Paginator(selectors.module_completion_history(subject=subject), HISTORY_PAGE_SIZE)
    page = history.get_page(request.GET.get("page"))
    context.update(
        {
            "subject": subject,
            "is_own": seen.is_own,
            "as_staff": seen.through == access.STAFF_OPERATIONS,
            "history": page,
            "rows": history_rows(page),
        }
    )
    return render(request, "sessions/report.html", context)


def doodle_drawing(sketch: Any) -> dict[str, Any] | None:
    """A doodle's strokes as SVG polylines on its canvas (the page draws them; nothing is computed about them)."""
    if not isinstance(sketch, dict) or not sketch.get("strokes"):
        return None
    lines = [" ".join(f"{x},{y}" for x, y in stroke) for stroke in sketch["strokes"] if stroke]
    points = [point for stroke in sketch["strokes"] for point in stroke]
    width = sketch.get("width") or max((x for x, _ in points), default=0) + 10
    height = sketch.get("height") or max((y for _, y in points), default=0) + 10
    return {"lines": lines, "width": width, "height": height}


@login_required
@require_GET
def completion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One guided-module completion with all its data: the only page that reads a doodle's strokes."""
    completion = get_object_or_404(selectors.module_completions_owned_by(user=request.user, with_data=True), pk=pk)
    data = completion.completion_data
    context = {
        "completion": completion,
        "page": PAGE_FOR_MODULE[completion.module_id],
        "summary": completion_summary_rows(completion.module_id, data),
        "drawing": doodle_drawing(data.get("sketch_data"))
        if completion.module_id == WellbeingModule.INNER_DOODLING
        else None,
    }
    return render(request, "sessions/completion_detail.html", context)
