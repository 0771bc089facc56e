"""A quest graph drawn as SVG on the server (the builder page's live preview, no JavaScript needed).

Nodes sit in columns by their distance from the start node and are joined by arrows labelled with the
edge's choice. Every text is escaped; colours are presentation attributes (no inline style, for the CSP)."""

import textwrap
from collections import deque

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Sizes in SVG pixels; the page shows the drawing at its own size (scrolling sideways when wide), so these
# are the sizes people read: 15 px titles and 12 px labels, never smaller.
NODE_WIDTH, NODE_HEIGHT = 200, 76
COLUMN_GAP, ROW_GAP, MARGIN = 150, 32, 16
TITLE_SIZE, TYPE_SIZE, LABEL_SIZE = 15, 12, 12
LINE_HEIGHT = 18
# Characters per line that fit (about 0.55 em a character), and how many lines a text may take.
TITLE_CHARS, TITLE_LINES = 20, 2
LABEL_CHARS, LABEL_LINES = 22, 2
COLOURS = {  # fill, stroke per node type
    "start": ("#e6f4ea", "#2e7d32"),
    "scene": ("#eef2fb", "#3f51b5"),
    "choice": ("#fff4e0", "#e08a00"),
    "ending": ("#fce8ef", "#ad1457"),
}


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrap(text: str, width: int, lines: int) -> list[str]:
    """``text`` in at most ``lines`` lines of ``width`` characters, the last one cut with "…" when the rest
    does not fit (the full text is in the element's ``<title>`` tooltip)."""
    wrapped = textwrap.wrap(" ".join(text.split()), width, break_long_words=True) or [""]
    if len(wrapped) <= lines:
        return wrapped
    kept = wrapped[:lines]
    last = kept[-1]
    kept[-1] = (last[: width - 1].rstrip() if len(last) >= width else last) + "…"
    return kept


def _text_lines(lines: list[str], *, x: int, top: int, size: int, attributes: str) -> SafeString:
    """Lines of text centred on ``x``, the first baseline at ``top``: one ``<text>`` with a ``<tspan>`` each."""
    spans = format_html_join(
        "",
        '<tspan x="{}" y="{}">{}</tspan>',
        ((x, top + index * LINE_HEIGHT, line) for index, line in enumerate(lines)),
    )
    return format_html('<text font-size="{}" text-anchor="middle" {}>{}</text>', size, mark_safe(attributes), spans)


def layout(graph: dict) -> dict[str, tuple[int, int]]:
    """Each node's (column, row): the column is its distance from the start (unreached nodes last)."""
    nodes = graph.get("nodes") or []
    ids = [node["id"] for node in nodes]
    outgoing: dict[str, list[str]] = {node_id: [] for node_id in ids}
    for edge in graph.get("edges") or []:
        if edge["source"] in outgoing and edge["target"] in outgoing:
            outgoing[edge["source"]].append(edge["target"])
    start = next((node["id"] for node in nodes if node["type"] == "start"), ids[0] if ids else None)
    depth: dict[str, int] = {}
    if start is not None:
        depth[start] = 0
        queue = deque([start])
        while queue:
            current = queue.popleft()
            for target in outgoing[current]:
                if target not in depth:
                    depth[target] = depth[current] + 1
                    queue.append(target)
    last = max(depth.values(), default=-1) + 1
    rows: dict[int, int] = {}
    places = {}
    for node_id in ids:
        column = depth.get(node_id, last)
        places[node_id] = (column, rows.get(column, 0))
        rows[column] = rows.get(column, 0) + 1
    return places


def _point(place: tuple[int, int]) -> tuple[int, int]:
    column, row = place
    return MARGIN + column * (NODE_WIDTH + COLUMN_GAP), MARGIN + row * (NODE_HEIGHT + ROW_GAP)


def graph_svg(graph: dict) -> SafeString:
    """The graph as an ``<svg>`` element ("" for an empty graph)."""
    nodes = (graph or {}).get("nodes") or []
    if not nodes:
        return mark_safe("")
    places = layout(graph)
    columns = max(column for column, _ in places.values()) + 1
    rows = max(row for _, row in places.values()) + 1
    width = 2 * MARGIN + columns * NODE_WIDTH + (columns - 1) * COLUMN_GAP
    height = 2 * MARGIN + rows * NODE_HEIGHT + (rows - 1) * ROW_GAP

    edges = []
    for edge in graph.get("edges") or []:
        if edge["source"] not in places or edge["target"] not in places:
            continue
        sx, sy = _point(places[edge["source"]])
        tx, ty = _point(places[edge["target"]])
        x1, y1, x2, y2 = sx + NODE_WIDTH, sy + NODE_HEIGHT // 2, tx, ty + NODE_HEIGHT // 2
        label = edge.get("label") or ""
        lines = wrap(label, LABEL_CHARS, LABEL_LINES) if label else []
        edges.append(
            format_html(
                '<g class="quest-edge" data-edge="{}"><title>{}</title>'
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#667" stroke-width="1.5" marker-end="url(#arrow)"/>'
                "{}</g>",
                edge["id"],
                label or edge["id"],
                x1,
                y1,
                x2,
                y2,
                _text_lines(
                    lines,
                    x=(x1 + x2) // 2,
                    top=(y1 + y2) // 2 - 6 - (len(lines) - 1) * LINE_HEIGHT,
                    size=LABEL_SIZE,
                    attributes='class="quest-edge-label" fill="#223"',
                )
                if lines
                else "",
            )
        )
    boxes = []
    for node in nodes:
        x, y = _point(places[node["id"]])
        fill, stroke = COLOURS.get(node["type"], COLOURS["scene"])
        title_lines = wrap(node["title"], TITLE_CHARS, TITLE_LINES)
        centre = x + NODE_WIDTH // 2
        title_top = y + (24 if len(title_lines) > 1 else 32)
        boxes.append(
            format_html(
                '<g class="quest-node quest-node-{}" data-node="{}"><title>{}: {}</title>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="8" fill="{}" stroke="{}" stroke-width="2"/>'
                "{}"
                '<text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="#444">{}</text></g>',
                node["type"],
                node["id"],
                node["type"],
                node["title"],
                x,
                y,
                NODE_WIDTH,
                NODE_HEIGHT,
                fill,
                stroke,
                _text_lines(
                    title_lines,
                    x=centre,
                    top=title_top,
                    size=TITLE_SIZE,
                    attributes='class="quest-node-title" font-weight="bold" fill="#222"',
                ),
                centre,
                y + NODE_HEIGHT - 12,
                TYPE_SIZE,
                node["type"],
            )
        )
    summary = f"Quest map: {len(nodes)} steps and {len(graph.get('edges') or [])} choices"
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="quest-graph" role="img" aria-label="{}" '
        'viewBox="0 0 {} {}" width="{}" height="{}">'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#667"/></marker></defs>'
        "{}{}</svg>",
        summary,
        width,
        height,
        width,
        height,
        format_html_join("", "{}", ((item,) for item in edges)),
        format_html_join("", "{}", ((item,) for item in boxes)),
    )


__all__ = ["escape", "graph_svg", "layout", "wrap"]
