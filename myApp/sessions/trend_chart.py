"""The geometry of the client page's trend chart, drawn as server-rendered SVG (no JavaScript): one line for
the client's mean sentiment per analysed session (-1 .. 1, zero marked), one line per emotion that shows at all
(0 .. 1). Plain numbers in, coordinates out; the template only draws them."""

from dataclasses import dataclass, field

from myApp.sessions.clinical.scales import EMOTIONS

WIDTH, HEIGHT = 640, 200
# RIGHT leaves room for half of the last date label, drawn centred on the last session ("17 Nov" at 11 px is
# about 40 px wide): with 16 it ran past the drawing's edge and was cut off.
LEFT, RIGHT, TOP, BOTTOM = 48, 32, 12, 28
COLOURS = {
    "joy": "#c98a00",
    "sadness": "#2c6fbb",
    "anger": "#c0392b",
    "fear": "#7d3c98",
    "surprise": "#16a085",
    "disgust": "#6e7b2f",
    "trust": "#1e8449",
    "anticipation": "#d35400",
}
SENTIMENT_COLOUR = "#222222"


@dataclass
class Line:
    name: str
    colour: str
    points: list[tuple[float, float, float]]  # x, y, the value

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in self.points)


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_x: int = WIDTH - RIGHT
    top: int = TOP
    bottom_y: int = HEIGHT - BOTTOM
    sentiment: Line | None = None
    zero_y: float = 0.0
    emotions: list[Line] = field(default_factory=list)
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    # The same numbers as a table: each point with the values of the emotions drawn, in ``emotions`` order.
    rows: list[tuple[dict, list[float]]] = field(default_factory=list)


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + span / 2 if count == 1 else LEFT + span * index / (count - 1)


def _y(value: float, low: float, high: float) -> float:
    span = HEIGHT - TOP - BOTTOM
    value = min(high, max(low, value))
    return TOP + span * (high - value) / (high - low)


def trend_chart(points: list[dict]) -> Chart | None:
    """``clinical_trends.emotion_trends`` points → the chart's lines (None without any analysed session)."""
    if not points:
        return None
    count = len(points)
    chart = Chart(zero_y=_y(0.0, -1.0, 1.0))
    chart.x_labels = [(_x(i, count), f"{point['date']:%d %b}") for i, point in enumerate(points)]
    chart.sentiment = Line(
        "sentiment",
        SENTIMENT_COLOUR,
        [
            (_x(i, count), _y(point["sentiment"], -1.0, 1.0), point["sentiment"])
            for i, point in enumerate(points)
            if point["sentiment"] is not None
        ],
    )
    for emotion in EMOTIONS:
        values = [point["emotions"].get(emotion) or 0.0 for point in points]
        if any(values):
            line_points = [(_x(i, count), _y(value, 0.0, 1.0), value) for i, value in enumerate(values)]
            chart.emotions.append(Line(emotion, COLOURS[emotion], line_points))
    chart.rows = [(point, [line.points[i][2] for line in chart.emotions]) for i, point in enumerate(points)]
    return chart
