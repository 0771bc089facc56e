"""The staff dashboard page's charts: pygal SVG rendered on the server, inlined in the page, readable without
JavaScript. Plain rows in (``dashboard_range``), SVG markup out; no figure is computed here.

pygal writes three things this site must not serve, and ``_clean`` takes them out of its output:
- ``<script>`` elements: its tooltips script from a remote host (``js=[]`` drops that one) and an inline config
  script it writes whatever ``js`` says. The page's CSP would block both anyway; the charts need neither.
- comments naming pygal's web site (no remote host appears anywhere in the page);
- ``style="opacity: 0"`` on the hidden tooltip: a style attribute is refused by the CSP (``style-src`` without
  'unsafe-inline'), and then the empty tooltip box would show. ``visibility="hidden"`` is an SVG attribute that
  does the same and the CSP allows.
Its ``<style>`` element stays (the colours and fonts): it gets the request's CSP nonce, which the dashboard view
allows in its ``style-src``.
"""

import datetime
import math
import re
from collections.abc import Callable

import pygal
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from myApp.sessions.models import WellbeingModule

WIDTH, HEIGHT = 720, 320
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#333333",
    foreground_strong="#111111",
    foreground_subtle="#777777",
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    title_font_size=16,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    value_font_size=11,
    colors=("#2c6fbb", "#c98a00", "#1e8449", "#7d3c98", "#c0392b", "#16a085", "#d35400", "#6e7b2f"),
)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _config(title: str, labels: list[str], *, formatter: Callable[[float], str] = lambda v: f"{v:,.0f}") -> dict:
    return {
        "title": title,
        "x_labels": labels,
        "value_formatter": formatter,
        "js": [],  # pygal's default loads its tooltips script from a remote host
        "disable_xml_declaration": True,
        "width": WIDTH,
        "height": HEIGHT,
        "explicit_size": True,
        "style": STYLE,
        "legend_at_bottom": True,
        "print_values": False,
        "show_y_guides": True,
        "x_label_rotation": 0,
        "truncate_label": 28,
        "no_data_text": "No data in this range",
        "min_scale": 1,
        "include_x_axis": True,
    }


def _clean(svg: str, nonce: str, title: str) -> SafeString:
    svg = _SCRIPT.sub("", svg)
    svg = _COMMENT.sub("", svg)
    svg = svg.replace('style="opacity: 0"', 'visibility="hidden"')
    svg = svg.replace("<style ", f'<style nonce="{nonce}" ', 1)
    # One labelled image to a screen reader, named by the chart's title; the table beside it holds the figures.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    return mark_safe(svg)


def _day_labels(days: list[datetime.date]) -> list[str]:
    """ "24 Nov", with the year ("24 Nov 25") when the range spans two years: a year's range has "24 Nov" at both
    ends (new-user review)."""
    spans_years = len({day.year for day in days}) > 1
    return [day.strftime("%d %b %y" if spans_years else "%d %b") for day in days]


# Day labels shown at most on an axis (about 70 px each on the 720 px chart); the rest are left unprinted.
MOST_DAY_LABELS = 8


def _thin_day_labels(chart, labels: list[str]) -> None:
    """Label every n-th day, counted back from the last, so the last day is labelled and the gaps are equal (pygal
    draws only the "major" labels when minor ones are off)."""
    if len(labels) > MOST_DAY_LABELS:
        step = math.ceil(len(labels) / MOST_DAY_LABELS)
        chart.x_labels_major = labels[::-1][::step][::-1]
        chart.show_minor_x_labels = False


def _whole_numbers(series: dict[str, list[float]]) -> list[int]:
    """Y axis ticks for counts: whole numbers from 0, about eight of them. pygal's own ticks are fractions
    (0.2, 0.4 ...), which the whole-number formatter printed as 0, 0, 1, 1 ..."""
    top = max((value for values in series.values() for value in values), default=0)
    step = max(1, math.ceil(top / 8))
    return list(range(0, max(int(top), 1) + step, step))


def _day_bars(title: str, labels: list[str], series: dict[str, list[float]], nonce: str) -> SafeString:
    """One bar per day (per series), the day labels thinned."""
    chart = pygal.Bar(**_config(title, labels))
    chart.y_labels = _whole_numbers(series)
    _thin_day_labels(chart, labels)
    for name, values in series.items():
        chart.add(name, values)
    return _clean(chart.render(is_unicode=True), nonce, title)


def _named_bars(
    title: str, names: list[str], series: dict[str, list[float | None]], nonce: str, *, money: bool = False
) -> SafeString:
    """Bars for named things (courses, roles, moods) drawn across, the names down the left: course titles under
    upright bars ran into each other from five courses on (new-user review)."""
    options = {"formatter": lambda v: f"{v:,.2f}"} if money else {}
    config = _config(title, names, **options)
    config["height"] = max(HEIGHT, 90 + 34 * len(names) * max(len(series), 1))
    config["truncate_label"] = 40
    chart = pygal.HorizontalBar(**config)
    if not money:
        chart.y_labels = _whole_numbers({name: [v or 0 for v in values] for name, values in series.items()})
    for name, values in series.items():
        chart.add(name, values)
    return _clean(chart.render(is_unicode=True), nonce, title)


# Up to a month, one bar (or dot) per day; a longer range is drawn as lines without dots: a year of days as bars in
# four series was 1,464 shapes with a tooltip each (544 KB of SVG, most of a 0.4 s page: attack review).
MOST_DAY_BARS = MOST_DOTS = 31


def _daily(title: str, labels: list[str], series: dict[str, list[float]], nonce: str) -> SafeString:
    if len(labels) <= MOST_DAY_BARS:
        return _day_bars(title, labels, series, nonce)
    return _line(title, labels, series, nonce)


def _line(title: str, labels: list[str], series: dict[str, list[float]], nonce: str) -> SafeString:
    chart = pygal.Line(**_config(title, labels), dots_size=3, show_dots=len(labels) <= MOST_DOTS)
    chart.y_labels = _whole_numbers(series)
    _thin_day_labels(chart, labels)
    for name, values in series.items():
        chart.add(name, values)
    return _clean(chart.render(is_unicode=True), nonce, title)


def charts(figures: dict[str, list[dict]], nonce: str) -> dict[str, SafeString]:
    """One SVG per table of ``dashboard_range.range_figures``, keyed like the tables."""
    days = _day_labels([row["date"] for row in figures["sessions"]])
    # One series per currency (its name in the legend): amounts in two currencies are never one bar's scale.
    amounts = {(row["course__title"], row["currency"]): float(row["revenue"]) for row in figures["revenue"]}
    courses_paid = list(dict.fromkeys(title for title, _ in amounts))
    return {
        "sessions": _line(
            "Chat sessions started and unique users per day",
            days,
            {
                "Sessions": [row["session_count"] for row in figures["sessions"]],
                "Unique users": [row["unique_users"] for row in figures["sessions"]],
            },
            nonce,
        ),
        "roles": _named_bars(
            "Users by role",
            [row["role"] for row in figures["roles"]],
            {"Users": [row["users"] for row in figures["roles"]]},
            nonce,
        ),
        "courses": _named_bars(
            "Enrolments per course in the range",
            [row["title"] for row in figures["courses"]],
            {
                "Enrolments": [row["enrollments_in_range"] for row in figures["courses"]],
                "Paid": [row["paid_in_range"] for row in figures["courses"]],
            },
            nonce,
        ),
        "revenue": _named_bars(
            "Revenue per course in the range, by currency",
            courses_paid,
            {
                currency: [amounts.get((title, currency)) for title in courses_paid]
                for currency in sorted({currency for _, currency in amounts})
            },
            nonce,
            money=True,
        ),
        "curriculum": _daily(
            "Curriculum modules completed per day",
            days,
            {"Completions": [row["completions"] for row in figures["curriculum"]]},
            nonce,
        ),
        "wellbeing": _daily(
            "Wellbeing modules used per day",
            days,
            {label: [row[value] for row in figures["wellbeing"]] for value, label in WellbeingModule.choices},
            nonce,
        ),
        "moods": _named_bars(
            "Moods labelled in the range",
            [row["mood"] for row in figures["moods"]],
            {"Times": [row["times"] for row in figures["moods"]]},
            nonce,
        ),
        "quests": _daily(
            "Daily quests offered and completed per day",
            days,
            {
                "Offered": [row["offered"] for row in figures["quests"]],
                "Completed": [row["completed"] for row in figures["quests"]],
            },
            nonce,
        ),
        "insights": _named_bars(
            "Open urgent clinical insights (counts only)",
            [row["source"] for row in figures["insights"]],
            {"Open urgent": [row["open_urgent"] for row in figures["insights"]]},
            nonce,
        ),
    }
