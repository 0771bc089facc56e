"""Quest graphs for tests: a small valid one, and a hypothesis strategy for valid graphs of any shape."""

from hypothesis import strategies as st

from myApp.quests.graph import MAX_TEXT_LENGTHS


def small_graph() -> dict:
    """start → (brave | hide) → ending: two paths to one ending with a reveal."""
    return {
        "nodes": [
            {"id": "start", "type": "start", "title": "The dark forest", "text": "A path splits in two."},
            {"id": "brave", "type": "choice", "title": "Walk on", "text": "You hum a song."},
            {"id": "hide", "type": "scene", "title": "Hide", "text": "You wait behind a tree."},
            {"id": "end", "type": "ending", "title": "Home", "reveal": "Your dad wrote this quest for you."},
        ],
        "edges": [
            {"id": "e1", "source": "start", "target": "brave", "label": "Be brave"},
            {"id": "e2", "source": "start", "target": "hide", "label": "Hide"},
            {"id": "e3", "source": "brave", "target": "end", "label": "Go home"},
            {"id": "e4", "source": "hide", "target": "end"},
        ],
    }


# Any text the schema allows: no surrogates, no control characters but newline and tab; YAML's other
# line breaks (U+2028, U+2029) drawn often on purpose.
_TEXT_ALPHABET = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc")),
    st.sampled_from("\n\t\u2028\u2029 #:-'\"|>"),
)


def _text(limit: int, *, min_size: int = 0):
    return st.text(_TEXT_ALPHABET, min_size=min_size, max_size=min(limit, 60))


@st.composite
def valid_graphs(draw) -> dict:
    """A normal, valid graph: a spine start → … → ending (so every node is reachable and none is a dead
    end), plus extra forward and backward edges between non-start, non-ending nodes."""
    size = draw(st.integers(min_value=2, max_value=12))
    ids = draw(
        st.lists(
            st.text("abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=10),
            min_size=size,
            max_size=size,
            unique=True,
        )
    )
    endings = draw(st.integers(min_value=1, max_value=max(1, size - 1)))
    types = ["start"] + [draw(st.sampled_from(["scene", "choice"])) for _ in range(size - 1 - endings)]
    types += ["ending"] * endings
    nodes = [
        {
            "id": node_id,
            "type": node_type,
            "title": draw(_text(MAX_TEXT_LENGTHS["title"], min_size=1).filter(str.strip)),
            "text": draw(_text(MAX_TEXT_LENGTHS["text"])),
            "reveal": draw(_text(MAX_TEXT_LENGTHS["reveal"])) if node_type == "ending" else "",
        }
        for node_id, node_type in zip(ids, types, strict=True)
    ]
    walkers = [node for node in nodes if node["type"] != "ending"]
    edges = []
    # Every non-start node is entered from an earlier non-ending node; every non-ending node has a way on.
    for index, node in enumerate(nodes[1:], start=1):
        source = (
            walkers[min(index - 1, len(walkers) - 1)] if node["type"] != "ending" else draw(st.sampled_from(walkers))
        )
        edges.append((source["id"], node["id"]))
    for walker in walkers:
        if not any(source == walker["id"] for source, _ in edges):
            edges.append((walker["id"], nodes[-1]["id"]))
    targets = [node["id"] for node in nodes if node["type"] != "start"]
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        edges.append((draw(st.sampled_from(walkers))["id"], draw(st.sampled_from(targets))))
    return {
        "nodes": nodes,
        "edges": [
            {"id": f"e{index}", "source": source, "target": target, "label": draw(_text(MAX_TEXT_LENGTHS["label"]))}
            for index, (source, target) in enumerate(draw(st.permutations(edges)))
        ],
    }
