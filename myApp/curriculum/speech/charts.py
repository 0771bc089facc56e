"""Charts of speech practice, drawn on the server as inline SVG: one recording's timeline and the progress charts.

The site's Content-Security-Policy allows no inline styles nor scripts, so the drawings use presentation
attributes (``fill``, ``stroke``) and classes styled from site.css, never a ``style`` attribute or element. Every
text that reaches a drawing is escaped here; the result is marked safe only after that. Each chart carries a
``<title>`` and ``<desc>``; the pages put a table with the same figures beside it.
"""

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from myApp.curriculum.speech import targets

SPEECH_COLOUR = "#2f6f8f"
PAUSE_COLOUR = "#cbd2d9"
LONG_PAUSE_COLOUR = "#c2410c"
FILLER_COLOUR = "#7c3aed"
BAND_COLOUR = "#d9f2e3"
LINE_COLOUR = "#2f6f8f"
TEXT_COLOUR = "#3e4c59"
NICE_STEPS = (1, 2, 5, 10, 15, 20, 30, 60, 120)


def _n(value: float) -> str:
    """A coordinate, short and locale-free."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _tick_step(span: float, most: int = 10) -> int:
    for step in NICE_STEPS:
        if span / step <= most:
            return step
    return NICE_STEPS[-1]


def _num(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _svg(width: int, height: int, title: str, desc: str, body: list[str], testid: str) -> SafeString:
    ident = f"chart-{testid}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="speech-chart" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'data-testid="{escape(testid)}">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # every text above was escaped


def timeline(acoustic: dict | None, filler_times: Sequence[float] = ()) -> SafeString:
    """Speech stretches and pauses as bars across the recording, with second ticks; pauses longer than
    ``targets.LONG_PAUSE_SECONDS`` in a warning colour; filler words as marks above the bar when their times are
    known."""
    acoustic = acoustic or {}
    duration = _num(acoustic.get("duration_seconds")) or 0.0
    width, height, left, right, top, bar = 640, 96, 12, 16, 22, 34
    plot = width - left - right
    if duration <= 0:
        body = [f'<text x="{width / 2}" y="50" text-anchor="middle" fill="{TEXT_COLOUR}">Not analysed yet</text>']
        return _svg(width, height, "Timeline of speech and pauses", "No measures yet.", body, "timeline")

    def x(seconds: float) -> float:
        return left + plot * min(max(seconds, 0.0), duration) / duration

    body = [f'<rect x="{left}" y="{top}" width="{plot}" height="{bar}" fill="#f5f7fa" stroke="#9aa5b1"/>']
    segments = [seg for seg in acoustic.get("segments") or [] if isinstance(seg, list | tuple) and len(seg) == 2]
    for start, end in segments:
        start, end = _num(start), _num(end)
        if start is None or end is None or end <= start:
            continue
        body.append(
            f'<rect class="speech" x="{_n(x(start))}" y="{top}" width="{_n(max(x(end) - x(start), 0.5))}" '
            f'height="{bar}" fill="{SPEECH_COLOUR}"><title>Speech {_n(start)}-{_n(end)} s</title></rect>'
        )
    long_pauses = 0
    for pause in acoustic.get("pauses") or []:
        if not isinstance(pause, dict):
            continue
        start, end, seconds = _num(pause.get("start")), _num(pause.get("end")), _num(pause.get("seconds"))
        if start is None or end is None or seconds is None:
            continue
        is_long = seconds > targets.LONG_PAUSE_SECONDS
        long_pauses += is_long
        colour, kind = (LONG_PAUSE_COLOUR, "long pause") if is_long else (PAUSE_COLOUR, "pause")
        body.append(
            f'<rect class="{"pause-long" if is_long else "pause"}" x="{_n(x(start))}" y="{top}" '
            f'width="{_n(max(x(end) - x(start), 0.5))}" height="{bar}" fill="{colour}">'
            f"<title>{_n(seconds)} s {kind} at {_n(start)} s</title></rect>"
        )
    fillers = [t for t in (_num(t) for t in filler_times) if t is not None and 0 <= t <= duration]
    for moment in fillers:
        px = x(moment)
        body.append(
            f'<path class="filler" d="M{_n(px - 5)} 4 L{_n(px + 5)} 4 L{_n(px)} {top - 2} Z" fill="{FILLER_COLOUR}">'
            f"<title>Filler word at {_n(moment)} s</title></path>"
        )
    step = _tick_step(duration)
    tick = 0
    while tick <= duration + 1e-9:
        px = x(tick)
        body.append(f'<line x1="{_n(px)}" y1="{top + bar}" x2="{_n(px)}" y2="{top + bar + 5}" stroke="#52606d"/>')
        body.append(
            f'<text x="{_n(px)}" y="{top + bar + 20}" font-size="14" text-anchor="middle" fill="{TEXT_COLOUR}">'
            f"{tick}s</text>"
        )
        tick += step
    desc = (
        f"{_n(duration)} seconds: {len(segments)} stretches of speech, {len(acoustic.get('pauses') or [])} pauses "
        f"({long_pauses} longer than {_n(targets.LONG_PAUSE_SECONDS)} seconds)"
        + (f", {len(fillers)} filler words marked." if fillers else ".")
    )
    return _svg(width, height, "Timeline of speech and pauses", desc, body, "timeline")


@dataclass(frozen=True)
class ProgressPoint:
    when: datetime.datetime
    value: float | None


def _axis_max(values: list[float], band: targets.Band) -> float:
    top = max([*values, band.low or 0, band.high or 0, 1.0])
    magnitude = 10 ** math.floor(math.log10(top))
    for factor in (1, 2, 4, 6, 8, 10):  # quarters of these read as round numbers
        if top * 1.1 <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def progress(band: targets.Band, points: Sequence[ProgressPoint], *, testid: str) -> SafeString:
    """One measure across attempts (oldest left, evenly spaced), the target band shaded behind the line.
    Readable from one attempt (a single dot) to a hundred (a line with small dots, dates on the first and last)."""
    width, height, left, right, top, bottom = 640, 230, 52, 20, 14, 38
    plot_w, plot_h = width - left - right, height - top - bottom
    measured = [(i, p) for i, p in enumerate(points) if _num(p.value) is not None]
    title = f"{band.label} across your attempts"
    if not measured:
        body = [
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="{TEXT_COLOUR}">'
            f"No attempt has this measure yet</text>"
        ]
        return _svg(width, height, title, f"Target: {band.describe()}. No measured attempts.", body, testid)
    values = [float(p.value) for _, p in measured]
    y_max = _axis_max(values, band)

    def y(value: float) -> float:
        return top + plot_h * (1 - min(max(value, 0.0), y_max) / y_max)

    count = len(points)

    def x(index: int) -> float:
        return left + (plot_w / 2 if count == 1 else plot_w * index / (count - 1))

    low = band.low if band.low is not None else 0.0
    high = band.high if band.high is not None else y_max
    body = [
        f'<rect class="band" x="{left}" y="{_n(y(high))}" width="{plot_w}" height="{_n(y(low) - y(high))}" '
        f'fill="{BAND_COLOUR}"><title>Target {escape(band.describe())}</title></rect>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#52606d"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#52606d"/>',
    ]
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        value = y_max * fraction
        body.append(
            f'<text x="{left - 6}" y="{_n(y(value) + 4)}" font-size="13" text-anchor="end" fill="{TEXT_COLOUR}">'
            f"{_n(value)}</text>"
        )
    path = " ".join(f"{'M' if n == 0 else 'L'}{_n(x(i))} {_n(y(float(p.value)))}" for n, (i, p) in enumerate(measured))
    if len(measured) > 1:
        body.append(f'<path class="line" d="{path}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2"/>')
    radius = 4 if count <= 30 else 2.5
    first, last = points[0].when, points[-1].when
    # Attempts all from one day would read as one date at both ends: their times tell them apart.
    stamp = "%-d %b %Y, %H:%M" if first.date() == last.date() else "%-d %b %Y"
    for i, point in measured:
        label = f"{point.when:{stamp}}: {_n(float(point.value))} {band.unit}"
        body.append(
            f'<circle cx="{_n(x(i))}" cy="{_n(y(float(point.value)))}" r="{radius}" fill="{LINE_COLOUR}">'
            f"<title>{escape(label)}</title></circle>"
        )
    body.append(
        f'<text x="{left}" y="{height - 10}" font-size="13" fill="{TEXT_COLOUR}">{escape(f"{first:{stamp}}")}</text>'
    )
    if count > 1:
        body.append(
            f'<text x="{left + plot_w}" y="{height - 10}" font-size="13" text-anchor="end" fill="{TEXT_COLOUR}">'
            f"{escape(f'{last:{stamp}}')}</text>"
        )
    inside = sum(1 for v in values if band.contains(v))
    desc = (
        f"{len(values)} measured attempts from {first:{stamp}} to {last:{stamp}}; latest "
        f"{_n(values[-1])} {band.unit}; {inside} within the target {band.describe()}."
    )
    return _svg(width, height, title, desc, body, testid)
