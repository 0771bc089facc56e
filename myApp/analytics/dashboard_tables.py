"""The staff dashboard page's tables: each ``dashboard_range`` table as a title, column headings and rows of
cells, the one shape the page and the CSV download share, so the two never disagree."""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from myApp.sessions.models import WellbeingModule


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    headings: list[str]
    rows: list[list]


# name -> (title, [(key, heading), ...]); the keys are those of dashboard_range's rows
LAYOUT: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "sessions": (
        "Chat sessions per day",
        [("date", "Day"), ("session_count", "Sessions started"), ("unique_users", "Unique users")],
    ),
    "roles": ("Users by role", [("role", "Role"), ("users", "Users")]),
    "courses": (
        "Enrolments per course (made in the range)",
        [
            ("title", "Course"),
            ("enrollments_in_range", "Enrolments"),
            # Paid now, counted on the day of enrolment; payments are counted on their own day in the revenue table.
            ("paid_in_range", "Of them paid or free"),
        ],
    ),
    "revenue": (
        "Revenue per course (paid in the range)",
        [("course__title", "Course"), ("currency", "Currency"), ("purchases", "Purchases"), ("revenue", "Revenue")],
    ),
    "curriculum": ("Curriculum modules completed per day", [("date", "Day"), ("completions", "Completions")]),
    "wellbeing": (
        "Wellbeing modules used per day",
        [("date", "Day"), *((value, label) for value, label in WellbeingModule.choices)],
    ),
    "moods": ("Moods labelled", [("mood", "Mood"), ("times", "Times")]),
    "quests": ("Daily quests per day", [("date", "Day"), ("offered", "Offered"), ("completed", "Completed")]),
    "insights": ("Open urgent clinical insights", [("source", "Raised from"), ("open_urgent", "Open and urgent")]),
}


def _cell(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def tables(figures: dict[str, list[dict]]) -> list[Table]:
    return [
        Table(
            name,
            title,
            [heading for _, heading in columns],
            [[_cell(row[key]) for key, _ in columns] for row in figures[name]],
        )
        for name, (title, columns) in LAYOUT.items()
        if name in figures
    ]


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP's CSV injection); tab and carriage
# return start one too in some programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> str:
    text = "" if value is None else str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def to_csv(table: Table) -> str:
    """The table as CSV; text cells that a spreadsheet would run as a formula get a leading apostrophe. Numbers
    are left alone (a negative amount is a number, not a formula)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_safe(heading) for heading in table.headings])
    for row in table.rows:
        writer.writerow([_safe(cell) for cell in row])
    return out.getvalue()
