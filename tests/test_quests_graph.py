"""Quest graphs: the declared schema, validation errors that name the node or edge, and the exact YAML round trip."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myApp.quests import graph
from myApp.quests.graph import GraphError
from tests.quest_graphs import small_graph, valid_graphs


def _error(document) -> GraphError:
    with pytest.raises(GraphError) as caught:
        graph.validate(document)
    return caught.value


def test_it_accepts_a_valid_graph_and_fills_the_optional_fields():
    normal = graph.validate(small_graph())

    assert normal["nodes"][0] == {
        "id": "start",
        "type": "start",
        "title": "The dark forest",
        "text": "A path splits in two.",
        "reveal": "",
    }
    assert normal["edges"][3] == {"id": "e4", "source": "hide", "target": "end", "label": ""}
    assert graph.validate(normal) == normal


def test_it_refuses_a_graph_without_a_start_node():
    document = small_graph()
    document["nodes"][0]["type"] = "scene"

    assert "exactly one start node; this one has 0" in _error(document).detail


def test_it_refuses_two_start_nodes_and_names_them():
    document = small_graph()
    document["nodes"][1]["type"] = "start"

    error = _error(document)
    assert "'start'" in error.detail and "'brave'" in error.detail


def test_it_refuses_an_edge_to_a_missing_node_and_names_the_edge():
    document = small_graph()
    document["edges"][2]["target"] = "nowhere"

    error = _error(document)
    assert error.where == "edge 'e3'"
    assert "'nowhere' is not a node" in error.errors["graph_structure"][0]


def test_it_refuses_an_unreachable_node_and_names_it():
    document = small_graph()
    document["nodes"].append({"id": "island", "type": "ending", "title": "Alone"})

    error = _error(document)
    assert error.where == "node 'island'"
    assert "cannot be reached" in error.detail


def test_it_refuses_a_graph_without_an_ending():
    document = small_graph()
    document["nodes"][3]["type"] = "scene"
    document["nodes"][3]["reveal"] = ""

    assert "at least one ending" in _error(document).detail


def test_it_refuses_a_dead_end_and_names_the_node():
    document = small_graph()
    document["edges"] = [edge for edge in document["edges"] if edge["source"] != "hide"]

    assert _error(document).where == "node 'hide'"


def test_it_refuses_an_edge_leaving_an_ending():
    document = small_graph()
    document["edges"].append({"id": "loop", "source": "end", "target": "hide"})

    assert _error(document).where == "edge 'loop'"


@pytest.mark.parametrize("kind", ["nodes", "edges"])
def test_it_refuses_duplicate_ids(kind):
    document = small_graph()
    document[kind].append(copy.deepcopy(document[kind][-1]))

    error = _error(document)
    assert "two" in error.detail and error.where.startswith(kind[:-1])


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (lambda doc: doc["nodes"][1].update(title="x" * 201), "node 'brave'", "longer than 200"),
        (lambda doc: doc["nodes"][1].update(text="x" * 4001), "node 'brave'", "longer than 4000"),
        (lambda doc: doc["edges"][0].update(label="x" * 201), "edge 'e1'", "longer than 200"),
        (lambda doc: doc["nodes"][1].update(title="  "), "node 'brave'", "must not be empty"),
        (lambda doc: doc["nodes"][1].update(colour="red"), "node 'brave'", "unknown field(s) 'colour'"),
        (lambda doc: doc["nodes"][1].pop("title"), "node 'brave'", "missing field(s) 'title'"),
        (lambda doc: doc["nodes"][1].update(type="boss"), "node 'brave'", "'type' must be one of"),
        (lambda doc: doc["nodes"][1].update(reveal="Surprise"), "node 'brave'", "only an ending node"),
        (lambda doc: doc["nodes"][1].update(text="bell\x07"), "node 'brave'", "control characters"),
        (lambda doc: doc["nodes"][1].update(text="next\x85line"), "node 'brave'", "control characters"),
        (lambda doc: doc["nodes"][1].update(id="has space"), "node 'has space'", "letters, digits"),
        (lambda doc: doc["edges"][0].update(source=7), "edge 'e1'", "non-empty id"),
    ],
)
def test_it_refuses_bad_fields_and_names_where(change, where, message):
    document = small_graph()
    change(document)

    error = _error(document)
    assert error.where == where
    assert message in error.detail


def test_it_refuses_too_many_nodes():
    document = small_graph()
    document["nodes"] += [{"id": f"n{i}", "type": "scene", "title": "x"} for i in range(graph.MAX_NODES)]

    assert f"At most {graph.MAX_NODES} nodes" in _error(document).detail


def test_it_refuses_deeply_nested_json_without_recursing():
    deep: list = []
    for _ in range(10_000):
        deep = [deep]
    document = small_graph()
    document["nodes"][1]["text"] = deep

    assert "nested too deeply" in _error(document).detail


def test_it_refuses_a_huge_graph():
    document = small_graph()
    document["nodes"] += [
        {"id": f"n{i}", "type": "scene", "title": "x", "text": "y" * 4000} for i in range(graph.MAX_NODES - 4)
    ]

    assert "larger than" in _error(document).detail


@pytest.mark.parametrize("document", [None, [], "graph", {"nodes": {}, "edges": []}, {"nodes": [], "extra": 1}])
def test_it_refuses_documents_that_are_not_graphs(document):
    _error(document)


def test_it_writes_readable_yaml():
    text = graph.graph_to_yaml(graph.validate(small_graph()))

    assert text.startswith("version: 1\nnodes:\n- id: start\n  type: start\n")


def test_it_refuses_yaml_that_is_not_a_quest():
    for text in ("nodes: [", "- 1", "version: 2\nnodes: []\nedges: []"):
        with pytest.raises(GraphError) as caught:
            graph.yaml_to_graph(text)
        assert "quest_yaml" in caught.value.errors


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_graphs())
def test_it_round_trips_every_valid_graph_through_yaml_exactly(document):
    normal = graph.validate(document)
    assert normal == document

    assert graph.yaml_to_graph(graph.graph_to_yaml(normal)) == normal


@settings(max_examples=100, deadline=None)
@given(valid_graphs())
def test_it_names_the_node_it_cuts_off(document):
    """Removing every edge into a non-start node makes exactly that node (or one behind it) unreachable."""
    victim = document["nodes"][-1]["id"]
    document["edges"] = [edge for edge in document["edges"] if edge["target"] != victim]
    error = _error(document)
    assert error.where.startswith("node ")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)
_NODEISH = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["a", "b", "c"]),
        "type": st.sampled_from([*graph.NODE_TYPES, "x"]),
        "title": st.text(max_size=4),
    },
    optional={"text": _JSON, "reveal": st.text(max_size=4)},
)
_EDGEISH = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["e1", "e2", "e3"]),
        "source": st.sampled_from(["a", "b", "c", "z"]),
        "target": st.sampled_from(["a", "b", "c"]),
    },
    optional={"label": _JSON},
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        _JSON, st.fixed_dictionaries({"nodes": st.lists(_NODEISH, max_size=4), "edges": st.lists(_EDGEISH, max_size=5)})
    )
)
def test_it_answers_any_document_with_a_normal_graph_or_a_graph_error(document):
    try:
        normal = graph.validate(document)
    except GraphError as error:
        assert error.errors and error.status_code == 400
    else:
        assert graph.yaml_to_graph(graph.graph_to_yaml(normal)) == normal


def test_it_bounds_the_texts_of_a_graph_together():
    """Each text is bounded, and so are all of them together (every write screens them for risk)."""
    count = 8
    nodes = [
        {"id": f"n{i}", "type": "start" if i == 0 else "ending" if i == count - 1 else "scene", "title": f"Step {i}"}
        for i in range(count)
    ]
    for node in nodes:
        node["text"] = "A quiet walk by the sea. " * 120  # 3,000 characters each, within the 4,000 of one text
    edges = [{"id": f"e{i}", "source": f"n{i}", "target": f"n{i + 1}"} for i in range(count - 1)]
    with pytest.raises(graph.GraphError) as refused:
        graph.validate({"nodes": nodes, "edges": edges})
    assert "add up to" in str(refused.value) and f"{graph.MAX_TOTAL_TEXT:,}" in str(refused.value)

    for node in nodes[:2]:
        node["text"] = ""  # 18,000 characters and the titles: within the bound
    assert graph.validate({"nodes": nodes, "edges": edges})["nodes"][2]["text"].startswith("A quiet walk")
