"""The learner report's charts: server-side SVG drawn by pygal, readable without JavaScript.

pygal links its tooltip script from a remote host by default; ``js=[]`` leaves it out, and the inline config
script it still writes is removed, so the SVG is self-contained and script-free (nothing is fetched or run).
Pages show each chart as an ``<img>`` with the SVG in a ``data:`` URI: the site's Content-Security-Policy
(``style-src 'self'``) would block the ``<style>`` pygal puts inside an inline ``<svg>``, while an image keeps
its own styles. WeasyPrint draws the same images into the PDF (its fetcher accepts only ``data:`` URIs).
Each chart goes beside a table of the same figures, for screen readers and for print.
"""

import base64
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

import pygal
from django.utils.timezone import localtime
from pygal.style import Style

# The site's palette (static/css), so charts read as part of the page.
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#9aa5b1",
    opacity=".85",
    opacity_hover=".95",
    colors=("#2f6f8f", "#c2410c", "#4d7c0f", "#7c3aed"),
    font_family="DejaVu Sans, Arial, sans-serif",
    title_font_size=15,
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=12,
    value_font_size=11,
)

COMMON = {
    "js": [],  # no <script> from a remote host: the charts are read, not hovered
    "disable_xml_declaration": True,  # inline in HTML
    "style": STYLE,
    "width": 640,
    "height": 300,
    "explicit_size": True,
    "margin": 16,
    "show_legend": False,
    "print_values": False,
    "x_label_rotation": 30,
    "truncate_label": -1,
}


@dataclass(frozen=True)
class Chart:
    svg: str  # the drawing, without any script
    title: str  # what it shows, the image's alternative text (the table beside it has the figures)

    @property
    def src(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")


def _render(chart: Any) -> Chart:
    tree = chart.render_tree()
    for parent in tree.iter():
        for child in list(parent):
            # The config script, the tooltips' texts it would read (a <desc> per point: half the drawing, and
            # the table beside the chart has the figures), and the generator's comments (links to its home page).
            if child.tag is ElementTree.Comment or str(child.tag).rpartition("}")[2] in ("script", "desc"):
                parent.remove(child)
    return Chart(svg=ElementTree.tostring(tree, encoding="unicode"), title=chart.config.title)


def _few_labels(labels: list[str], most: int = 10) -> dict[str, Any]:
    """Every label while they fit; a major one every few otherwise (the table lists them all)."""
    if len(labels) <= most:
        return {"x_labels": labels}
    return {"x_labels": labels, "show_minor_x_labels": False, "x_labels_major_count": most}


def xp_chart(rows: list[dict[str, Any]]) -> Chart | None:
    if not rows:
        return None
    labels = [row["date"].strftime("%-d %b %Y") for row in rows]
    chart = pygal.Line(
        title="XP over time (running total)", fill=True, include_x_axis=True, **_few_labels(labels), **COMMON
    )
    chart.add("Total XP", [row["total"] for row in rows])
    return _render(chart)


def mood_chart(tally: list[dict[str, Any]]) -> Chart | None:
    if not tally:
        return None
    most = max(row["count"] for row in tally)
    step = max(1, -(-most // 8))  # whole check-ins on the axis, at most about eight marks
    chart = pygal.HorizontalBar(
        title="Moods in recent check-ins",
        y_labels=list(range(0, most + step, step)),
        **{**COMMON, "x_label_rotation": 0},
    )
    chart.x_labels = [row["mood"] for row in tally]
    chart.add("Check-ins", [row["count"] for row in tally])
    return _render(chart)


def breathing_chart(recent: list[dict[str, Any]]) -> Chart | None:
    points = [row for row in recent if row["intensity"] is not None]
    if not points:
        return None
    labels = [localtime(row["completed_at"]).strftime("%-d %b") for row in points]
    chart = pygal.Line(
        title="Intensity at the end of each breathing exercise",
        range=(0, 100),
        **_few_labels(labels),
        **COMMON,
    )
    chart.add("Intensity (0-100)", [row["intensity"] for row in points])
    return _render(chart)


def self_check_chart(recent: list[dict[str, Any]]) -> Chart | None:
    if not recent:
        return None
    labels = [localtime(row["completed_at"]).strftime("%-d %b") for row in recent]
    chart = pygal.Bar(
        title="Self-check totals", **_few_labels(labels), **{**COMMON, "show_legend": True, "legend_at_bottom": True}
    )
    chart.add("Total", [row["total"] for row in recent])
    chart.add("Most possible", [row["possible"] for row in recent])
    return _render(chart)


def report_charts(report: dict[str, Any]) -> dict[str, Chart | None]:
    """Every chart of ``learner_report``'s data (None where there is nothing to draw yet)."""
    wellbeing = report["wellbeing"]
    return {
        "xp": xp_chart(report["learning"]["xp_over_time"]),
        "moods": mood_chart(wellbeing["moods"]["tally"]),
        "breathing": breathing_chart(wellbeing["breathing"]["recent"]),
        "self_checks": self_check_chart(wellbeing["self_checks"]["recent"]),
    }
