"""/api/v1/ quests: writing a quest (400 naming the node), submitting, playing one edge at a time (409
off the graph), the reveal, a child's progress for the consenting parent, and list query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from myApp.quests import selectors, services
from myApp.quests.models import ModerationStatus, Quest
from tests.quest_graphs import small_graph
from tests.quest_helpers import quest_draft, quest_finish, quest_listed, quest_reviewed

pytestmark = pytest.mark.django_db

QUESTS = "/api/v1/quests/"
NEW_QUEST = {
    "title": "The dark forest",
    "graph_structure": small_graph(),
    "psychological_module": "CBT",
    "age_range": "10-12",
    "location": "Forest",
}


def _play(pk: int, step: str) -> str:
    return f"/api/v1/quest-plays/{pk}/{step}/"


def test_it_creates_a_quest_with_its_yaml(api_as, author):
    response = api_as(author).post(QUESTS, NEW_QUEST, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["moderation_status"] == "draft" and body["quest_yaml"].startswith("version: 1\n")
    assert Quest.objects.get(pk=body["id"]).creator == author


def test_it_answers_400_naming_the_unreachable_node(api_as, author):
    document = small_graph()
    document["edges"].pop(1)

    response = api_as(author).post(QUESTS, {**NEW_QUEST, "graph_structure": document}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"graph_structure": ["node 'hide': cannot be reached from the start node."]}


def test_it_answers_400_for_a_deeply_nested_graph(api_as, author):
    nested: dict = {"nodes": []}
    for _ in range(20):
        nested = {"nodes": [nested], "edges": []}

    response = api_as(author).post(QUESTS, {**NEW_QUEST, "graph_structure": nested}, format="json")

    assert response.status_code == 400
    assert "nested too deeply" in response.json()["errors"]["graph_structure"][0]


@pytest.mark.parametrize("field", ["rating", "plays_count", "moderation_status", "creator"])
def test_it_refuses_setting_derived_fields(api_as, author, field):
    response = api_as(author).post(QUESTS, {**NEW_QUEST, field: 5}, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_it_revises_submits_and_then_freezes_a_quest(api_as, author):
    client = api_as(author)
    quest = quest_draft(author)
    document = small_graph()
    document["nodes"][0]["title"] = "The bright forest"

    revised = client.patch(f"{QUESTS}{quest.pk}/", {"graph_structure": document}, format="json")
    submitted = client.post(f"{QUESTS}{quest.pk}/submit/")
    frozen = client.patch(f"{QUESTS}{quest.pk}/", {"title": "Late change"}, format="json")

    assert revised.status_code == 200 and "The bright forest" in revised.json()["quest_yaml"]
    assert submitted.status_code == 200 and submitted.json()["moderation_status"] == ModerationStatus.PENDING_REVIEW
    assert frozen.status_code == 409


def test_it_plays_through_the_graph_and_shows_the_reveal(api_as, owner, member, psychologist):
    client = api_as(owner)
    quest = quest_reviewed(quest_draft(member, is_public=False), psychologist)  # the child's parent wrote it

    started = client.post(_play(quest.pk, "start")).json()
    assert started["node"]["id"] == "start"
    assert [choice["edge_id"] for choice in started["choices"]] == ["e1", "e2"]
    assert client.post(_play(quest.pk, "reveal")).status_code == 409

    off_graph = client.post(_play(quest.pk, "advance"), {"edge_id": "e3"}, format="json")
    assert off_graph.status_code == 409
    assert client.post(_play(quest.pk, "advance"), {"edge_id": "e1"}, format="json").json()["node"]["id"] == "brave"
    finished = client.post(_play(quest.pk, "advance"), {"edge_id": "e3"}, format="json").json()
    assert finished["completed"] and finished["choices"] == []

    reveal = client.post(_play(quest.pk, "reveal"))
    assert reveal.status_code == 200
    assert reveal.json() == {"reveal": "Your dad wrote this quest for you.", "for_family": True}
    quest.refresh_from_db()
    assert (quest.plays_count, quest.reveal_count) == (1, 1)


def test_it_gives_a_stranger_the_neutral_reveal_of_a_public_quest(api_as, outsider, author, psychologist):
    quest = quest_listed(author, psychologist)
    client = api_as(outsider)
    client.post(_play(quest.pk, "start"))
    for edge in ("e1", "e3"):
        client.post(_play(quest.pk, "advance"), {"edge_id": edge}, format="json")

    reveal = client.post(_play(quest.pk, "reveal"))

    assert reveal.status_code == 200
    assert reveal.json() == {"reveal": selectors.NEUTRAL_REVEAL, "for_family": False}


def test_it_hides_a_quest_the_caller_may_not_play(api_as, outsider, author):
    quest = quest_draft(author, is_public=False)

    assert api_as(outsider).post(_play(quest.pk, "start")).status_code == 404


def test_it_shows_a_childs_progress_to_the_consenting_parent_only(
    api_as, owner, member, unconsented_parent, psychologist
):
    quest_finish(owner, quest_reviewed(quest_draft(member), psychologist))
    url = f"/api/v1/child-quest-progress/{owner.pk}/"

    seen = api_as(member).get(url)

    assert seen.status_code == 200
    assert [(row["quest_title"], row["completed"]) for row in seen.json()] == [("The dark forest", True)]
    assert api_as(unconsented_parent).get(url).status_code == 404


@pytest.mark.parametrize("url", [QUESTS, "/api/v1/quest-progress/", "/api/v1/quest-library/", "/api/v1/quest-reviews/"])
def test_it_lists_in_constant_queries(api_as, author, psychologist, url):
    client = api_as(author)
    client.get(url)  # warm up: the token's first use writes its last-seen time

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def one_more(title: str) -> None:
        quest = quest_listed(author, psychologist, title=title)
        quest_finish(author, quest)
        services.library_add(user=author, quest=quest)

    one_more("First")
    few = queries()
    for index in range(4):
        one_more(f"Quest {index}")
    assert queries() == few


@pytest.mark.parametrize("child_id", ["abc", "1.5", str(2**70)])
def test_it_answers_404_for_a_child_id_that_names_no_one(api_as, member, child_id):
    assert api_as(member).get(f"/api/v1/child-quest-progress/{child_id}/").status_code == 404
