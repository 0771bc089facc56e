"""A quest's graph: its declared schema, validation, and the YAML generated from it.

A graph is ``{"nodes": [...], "edges": [...]}``:

- a node is ``{"id", "type", "title", "text", "reveal"}``; ``type`` is ``start`` (exactly one),
  ``scene``, ``choice`` or ``ending`` (at least one); ``reveal`` is the message shown to a player who
  reached that ending, and is empty on every other node;
- an edge is ``{"id", "source", "target", "label"}``, from one existing node to another; ``label`` is
  what the player picks to follow it.

Every node is reachable from the start node, every node other than an ending has a way on, and an
ending has none. ``validate`` returns the graph in its normal form (every declared key, in the
declared order; optional keys filled with ""), which is what a quest stores; ``graph_to_yaml`` and
``yaml_to_graph`` turn a normal graph into YAML and back exactly. Errors name the node or edge.
"""

import unicodedata
from collections import deque
from typing import Any

import yaml

from myApp.lib import json_input
from myApp.lib.exceptions import ServiceError

NODE_TYPES = ("start", "scene", "choice", "ending")
NODE_FIELDS = ("id", "type", "title", "text", "reveal")
EDGE_FIELDS = ("id", "source", "target", "label")
REQUIRED_NODE_FIELDS = frozenset({"id", "type", "title"})
REQUIRED_EDGE_FIELDS = frozenset({"id", "source", "target"})

MAX_NODES = 200
MAX_EDGES = 600
MAX_ID_LENGTH = 64
MAX_TEXT_LENGTHS = {"title": 200, "text": 4000, "reveal": 4000, "label": 200}
# A graph is an object of lists of objects of strings: three levels, and one to spare.
MAX_DEPTH = 4
MAX_BYTES = 512 * 1024
# All of a graph's titles, texts, reveals and labels together. Every quest write screens each text for risk,
# which costs time in proportion to the text (a crafted maximal graph took 21 s of CPU); a long quest for a
# child is a few thousand words.
MAX_TOTAL_TEXT = 20_000
YAML_VERSION = 1
ID_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


class GraphError(ServiceError):
    """An invalid graph (400). ``errors`` carries the message under ``graph_structure``; ``where`` names
    the node or edge (``node 'n1'``, ``edge 'e2'``) when one is to blame."""

    def __init__(self, message: str, *, where: str = "", field: str = "graph_structure"):
        self.where = where
        text = f"{where}: {message}" if where else message
        super().__init__(f"Invalid quest graph. {text}", errors={field: [text]})


def _text(value: Any, *, where: str, key: str, limit: int, allow_empty: bool) -> str:
    if not isinstance(value, str):
        raise GraphError(f"'{key}' must be text.", where=where)
    if not allow_empty and not value.strip():
        raise GraphError(f"'{key}' must not be empty.", where=where)
    if len(value) > limit:
        raise GraphError(f"'{key}' is longer than {limit} characters.", where=where)
    problem = json_input.text_problem(value)
    if problem:
        raise GraphError(f"'{key}': {problem}", where=where)
    if any(unicodedata.category(char) == "Cc" and char not in "\n\t" for char in value):
        raise GraphError(f"'{key}' must not contain control characters.", where=where)
    return value


def _identifier(value: Any, *, where: str, key: str) -> str:
    if not isinstance(value, str) or not value:
        raise GraphError(f"'{key}' must be a non-empty id.", where=where)
    if len(value) > MAX_ID_LENGTH or not set(value) <= ID_CHARACTERS:
        raise GraphError(f"'{key}' must be at most {MAX_ID_LENGTH} letters, digits, '_' or '-'.", where=where)
    return value


def _entries(graph: dict, name: str, limit: int) -> list:
    entries = graph.get(name)
    if not isinstance(entries, list):
        raise GraphError(f"'{name}' must be a list.")
    if len(entries) > limit:
        raise GraphError(f"At most {limit} {name} (this graph has {len(entries)}).")
    return entries


def _keys(item: Any, *, where: str, allowed: tuple[str, ...], required: frozenset[str]) -> dict:
    if not isinstance(item, dict):
        raise GraphError("must be an object.", where=where)
    unknown = sorted(str(key) for key in item if key not in allowed)
    if unknown:
        raise GraphError(f"unknown field(s) {', '.join(repr(key) for key in unknown)}.", where=where)
    missing = sorted(required - item.keys())
    if missing:
        raise GraphError(f"missing field(s) {', '.join(repr(key) for key in missing)}.", where=where)
    return item


def _node(item: Any, index: int) -> dict:
    where = (
        f"node {item.get('id')!r}" if isinstance(item, dict) and isinstance(item.get("id"), str) else f"node #{index}"
    )
    item = _keys(item, where=where, allowed=NODE_FIELDS, required=REQUIRED_NODE_FIELDS)
    node_id = _identifier(item["id"], where=where, key="id")
    if item["type"] not in NODE_TYPES:
        raise GraphError(f"'type' must be one of {', '.join(NODE_TYPES)}.", where=where)
    node = {
        "id": node_id,
        "type": item["type"],
        "title": _text(item["title"], where=where, key="title", limit=MAX_TEXT_LENGTHS["title"], allow_empty=False),
        "text": _text(item.get("text", ""), where=where, key="text", limit=MAX_TEXT_LENGTHS["text"], allow_empty=True),
        "reveal": _text(
            item.get("reveal", ""), where=where, key="reveal", limit=MAX_TEXT_LENGTHS["reveal"], allow_empty=True
        ),
    }
    if node["reveal"] and node["type"] != "ending":
        raise GraphError("only an ending node has a 'reveal' message.", where=where)
    return node


def _edge(item: Any, index: int) -> dict:
    where = (
        f"edge {item.get('id')!r}" if isinstance(item, dict) and isinstance(item.get("id"), str) else f"edge #{index}"
    )
    item = _keys(item, where=where, allowed=EDGE_FIELDS, required=REQUIRED_EDGE_FIELDS)
    return {
        "id": _identifier(item["id"], where=where, key="id"),
        "source": _identifier(item["source"], where=where, key="source"),
        "target": _identifier(item["target"], where=where, key="target"),
        "label": _text(
            item.get("label", ""), where=where, key="label", limit=MAX_TEXT_LENGTHS["label"], allow_empty=True
        ),
    }


def validate(graph: Any) -> dict:
    """The graph in normal form, or ``GraphError`` naming what is wrong (and where)."""
    if not isinstance(graph, dict):
        raise GraphError("The graph must be an object with 'nodes' and 'edges'.")
    try:
        json_input.check(graph, max_depth=MAX_DEPTH)
    except json_input.JSONInputError as error:
        raise GraphError(error.message, where=error.path) from None
    if json_input.encoded_size(graph) > MAX_BYTES:
        raise GraphError(f"The graph is larger than {MAX_BYTES // 1024} KB.")
    unknown = sorted(str(key) for key in graph if key not in ("nodes", "edges"))
    if unknown:
        raise GraphError(
            f"Unknown field(s) {', '.join(repr(key) for key in unknown)}; a graph has 'nodes' and 'edges'."
        )

    nodes = [_node(item, index) for index, item in enumerate(_entries(graph, "nodes", MAX_NODES))]
    edges = [_edge(item, index) for index, item in enumerate(_entries(graph, "edges", MAX_EDGES))]
    total = sum(len(node[key]) for node in nodes for key in ("title", "text", "reveal") if node.get(key))
    total += sum(len(edge["label"]) for edge in edges if edge.get("label"))
    if total > MAX_TOTAL_TEXT:
        raise GraphError(
            f"The graph's titles, texts, reveals and labels add up to {total:,} characters; "
            f"at most {MAX_TOTAL_TEXT:,} (a quest for a child is a few thousand words)."
        )

    by_id: dict[str, dict] = {}
    for node in nodes:
        if node["id"] in by_id:
            raise GraphError("two nodes have this id.", where=f"node {node['id']!r}")
        by_id[node["id"]] = node
    starts = [node["id"] for node in nodes if node["type"] == "start"]
    if len(starts) != 1:
        named = f" ({', '.join(repr(node_id) for node_id in starts)})" if starts else ""
        raise GraphError(f"A graph has exactly one start node; this one has {len(starts)}{named}.")
    if not any(node["type"] == "ending" for node in nodes):
        raise GraphError("A graph needs at least one ending node.")
    edge_ids: set[str] = set()
    outgoing: dict[str, list[str]] = {node_id: [] for node_id in by_id}
    for edge in edges:
        where = f"edge {edge['id']!r}"
        if edge["id"] in edge_ids:
            raise GraphError("two edges have this id.", where=where)
        edge_ids.add(edge["id"])
        for end in ("source", "target"):
            if edge[end] not in by_id:
                raise GraphError(f"its {end} {edge[end]!r} is not a node of this graph.", where=where)
        if by_id[edge["source"]]["type"] == "ending":
            raise GraphError(f"it leaves the ending node {edge['source']!r}; an ending has no way on.", where=where)
        if by_id[edge["target"]]["type"] == "start":
            raise GraphError(f"it leads back to the start node {edge['target']!r}.", where=where)
        outgoing[edge["source"]].append(edge["target"])

    for node in nodes:
        if node["type"] != "ending" and not outgoing[node["id"]]:
            raise GraphError(
                "a dead end: only an ending node may have no edge leaving it.", where=f"node {node['id']!r}"
            )

    reached = {starts[0]}
    queue = deque(reached)
    while queue:
        for target in outgoing[queue.popleft()]:
            if target not in reached:
                reached.add(target)
                queue.append(target)
    for node in nodes:
        if node["id"] not in reached:
            raise GraphError("cannot be reached from the start node.", where=f"node {node['id']!r}")
    normal = {"nodes": nodes, "edges": edges}
    # The bound holds for what is stored too: the normal form fills every optional key, so a graph sent just
    # under the bound without them would be stored over it, and its own YAML (or the graph read back from the
    # API) would then be refused on the next save.
    if json_input.encoded_size(normal) > MAX_BYTES:
        raise GraphError(f"The graph is larger than {MAX_BYTES // 1024} KB (with its empty texts and labels).")
    return normal


# --- Reading a (valid, normal) graph -------------------------------------------------------------


def start_node(graph: dict) -> dict:
    return next(node for node in graph["nodes"] if node["type"] == "start")


def node(graph: dict, node_id: str) -> dict | None:
    return next((item for item in graph["nodes"] if item["id"] == node_id), None)


def edges_from(graph: dict, node_id: str) -> list[dict]:
    return [edge for edge in graph["edges"] if edge["source"] == node_id]


# --- YAML ---------------------------------------------------------------------------------------


def texts(document: dict, *, field: str = "current_graph") -> dict[str, str]:
    """A normal graph's texts, each named by its node or edge under ``field`` (the input field holding the
    graph: ``current_graph.nodes.<id>.title``, ``graph_structure.edges.<id>.label``, ...). The ids are among
    them: a player's app receives them (the node it stands on, the targets of its choices), the YAML and
    the review outline show them, so ``kill-yourself`` as an id says what it would say as a title."""
    found: dict[str, str] = {}
    for node in document.get("nodes", []):
        for key in ("id", "title", "text", "reveal"):
            found[f"{field}.nodes.{node['id']}.{key}"] = node.get(key, "")
    for edge in document.get("edges", []):
        for key in ("id", "label"):
            found[f"{field}.edges.{edge['id']}.{key}"] = edge.get(key, "")
    found.update(_junctions(document, field=field))
    return found


# Words read on each side of a junction between two texts a player reads one after the other.
JUNCTION_WORDS = 8


def _junction(before: str, after: str) -> str:
    return " ".join([*before.split()[-JUNCTION_WORDS:], *after.split()[:JUNCTION_WORDS]])


def _junctions(document: dict, *, field: str) -> dict[str, str]:
    """Where one text runs on into the next as a player reads them: a node's title into its text, its text
    into its reveal and into each choice leaving it, a choice into the title of the node it leads to.
    "I want to" as a title and "die" as its text say together what neither says alone, so the screen reads
    each junction too (a few words either side, so it costs little however long the texts are)."""
    nodes = {node["id"]: node for node in document.get("nodes", [])}
    found: dict[str, str] = {}
    for node in nodes.values():
        body = node.get("text") or node.get("title", "")
        where = f"{field}.nodes.{node['id']}"
        if node.get("text"):
            found[f"{where}.title+text"] = _junction(node.get("title", ""), node["text"])
        if node.get("reveal"):
            found[f"{where}.text+reveal"] = _junction(body, node["reveal"])
    for edge in document.get("edges", []):
        source, target = nodes.get(edge["source"]), nodes.get(edge["target"])
        if not edge.get("label") or source is None or target is None:
            continue
        where = f"{field}.edges.{edge['id']}"
        found[f"{where}.text+label"] = _junction(source.get("text") or source.get("title", ""), edge["label"])
        found[f"{where}.label+title"] = _junction(edge["label"], target.get("title", ""))
    return found


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the declared order; multi-line text as literal blocks where YAML allows it."""

    def ignore_aliases(self, data: Any) -> bool:  # a graph's YAML never uses anchors (``_Loader`` refuses them)
        return True


# The YAML document is a mapping holding the graph (one level above ``MAX_DEPTH``), and one to spare.
MAX_YAML_DEPTH = MAX_DEPTH + 2


class _Loader(yaml.SafeLoader):
    """YAML without anchors and aliases: a few lines of aliases can stand for billions of nodes (the
    "billion laughs"), which a graph never needs. Nesting is bounded while composing: PyYAML's composer
    recurses once per level, so a page of ``[[[[...`` would otherwise end in ``RecursionError`` (a 500)."""

    depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise GraphError(f"Anchors and aliases (*{event.anchor}) are not allowed.", field="quest_yaml")
        if self.depth >= MAX_YAML_DEPTH:
            mark = self.peek_event().start_mark
            raise GraphError(
                f"Nested too deeply (at most {MAX_YAML_DEPTH} levels), line {mark.line + 1}.", field="quest_yaml"
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_short_number(self, node):
        """A number as a graph could hold one: YAML 1.1 also reads ``1:59:59...`` as a base-60 integer,
        built digit by digit (a page of it costs time in the square of its length) and too long to print,
        and a 5,000-digit integer is past what Python converts. A graph has no use for either."""
        if len(node.value) > MAX_NUMBER_LENGTH:
            raise GraphError(
                f"A number of more than {MAX_NUMBER_LENGTH} characters; quote it as text.",
                where=f"line {node.start_mark.line + 1}",
                field="quest_yaml",
            )
        constructor = yaml.SafeLoader.yaml_constructors[node.tag]
        return constructor(self, node)


MAX_NUMBER_LENGTH = 32
for _tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
    _Loader.add_constructor(_tag, _Loader.construct_short_number)


def _plain_data(document: Any) -> None:
    """Only what JSON has: text keys, and text, numbers, booleans and nulls (no dates, binary or sets)."""
    stack = [(document, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise GraphError(f"the key {key!r} must be text.", where=path or "the document", field="quest_yaml")
                stack.append((item, f"{path}.{key}" if path else key))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{index}]") for index, item in enumerate(value))
        elif value is not None and not isinstance(value, str | int | float | bool):
            raise GraphError(
                f"{type(value).__name__} is not allowed; quote it as text.", where=path, field="quest_yaml"
            )


# YAML reads these as line breaks inside plain, quoted and block scalars; only its double-quoted
# style keeps them (as escapes).
_YAML_LINE_BREAKS = frozenset("\u2028\u2029")


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _YAML_LINE_BREAKS & set(value):
        style = '"'
    elif "\n" in value and value == value.strip() and "\t" not in value:
        style = "|"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def graph_to_yaml(graph: dict) -> str:
    """The YAML form of a normal graph (``validate``'s result); ``yaml_to_graph`` reads it back exactly."""
    document = {
        "version": YAML_VERSION,
        "nodes": [{key: item[key] for key in NODE_FIELDS} for item in graph["nodes"]],
        "edges": [{key: item[key] for key in EDGE_FIELDS} for item in graph["edges"]],
    }
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def yaml_to_graph(text: str) -> dict:
    """The graph a quest YAML describes, validated and in normal form; ``GraphError`` for anything else."""
    try:
        document = yaml.load(text, Loader=_Loader)  # a SafeLoader without aliases
    except yaml.YAMLError as error:
        raise GraphError(f"Not valid YAML: {error}", field="quest_yaml") from None
    except ValueError as error:  # a scalar YAML reads but Python cannot hold: a timestamp's offset of -99:00
        raise GraphError(f"Not a value a graph can hold: {error}", field="quest_yaml") from None
    if not isinstance(document, dict) or document.get("version") != YAML_VERSION:
        raise GraphError(f"A quest YAML is a mapping with 'version: {YAML_VERSION}'.", field="quest_yaml")
    _plain_data(document)
    return validate({key: value for key, value in document.items() if key != "version"})
