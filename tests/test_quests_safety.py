"""Quests written through /api/v1/quests/ (and every other way in) pass the builder's safety screen: a
title, location or graph text that shows risk is refused with 400 naming the field, and nothing is kept."""

import pytest

from myApp.lib.exceptions import ServiceError
from myApp.quests import services
from myApp.quests.models import Quest
from tests.quest_graphs import small_graph
from tests.quest_helpers import quest_draft

pytestmark = pytest.mark.django_db

QUESTS = "/api/v1/quests/"
RISK = "I want to kill myself"


def _body(**changes) -> dict:
    body = {"title": "Fine", "graph_structure": small_graph(), "psychological_module": "IFS", "age_range": "7-9"}
    return {**body, **changes}


def _risky_graph() -> dict:
    document = small_graph()
    document["edges"][0]["label"] = RISK
    return document


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": RISK}, "title"),
        ({"location": RISK}, "location"),
        ({"graph_structure": _risky_graph()}, "graph_structure.edges.e1.label"),
    ],
)
def test_it_refuses_risk_text_in_a_new_quest_with_400_naming_the_field(api_as, author, changes, field):
    response = api_as(author).post(QUESTS, _body(**changes), format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Quest.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"title": RISK}, "title"), ({"graph_structure": _risky_graph()}, "graph_structure.edges.e1.label")],
)
def test_it_refuses_risk_text_in_a_revision_and_keeps_the_quest(api_as, author, changes, field):
    quest = quest_draft(author)

    response = api_as(author).patch(f"{QUESTS}{quest.pk}/", changes, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    quest.refresh_from_db()
    assert quest.title == "The dark forest" and RISK not in quest.quest_yaml


def test_it_screens_a_node_text_written_through_the_service(author):
    document = small_graph()
    document["nodes"][3]["reveal"] = RISK
    with pytest.raises(ServiceError) as refused:
        services.quest_create(
            creator=author, title="Fine", graph_structure=document, psychological_module="IFS", age_range="7-9"
        )
    assert "graph_structure.nodes.end.reveal" in refused.value.errors


def test_it_lets_feelings_through(api_as, author):
    """Feelings are a therapeutic quest's matter: only risk is refused."""
    response = api_as(author).post(QUESTS, _body(title="When I feel sad and scared"), format="json")
    assert response.status_code == 201, response.content
