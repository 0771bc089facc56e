"""Playing a quest through the pages: one node at a time, one button per edge leaving it, a refused
move shown as a message (409), and the reveal at the end counted by the service. Also a seeded quest
played from the marketplace to its reveal."""

import re

import pytest
from django.urls import reverse

import seed_data
from myApp.accounts.models import User
from myApp.quests.models import Quest, QuestProgress
from myApp.quests.selectors import NEUTRAL_REVEAL
from tests.factories import ParentFactory
from tests.quest_helpers import psychologist_create, quest_draft, quest_listed

pytestmark = pytest.mark.django_db


@pytest.fixture
def quest():
    return quest_listed(ParentFactory(username="author"), psychologist_create("shrink"))


def _edges(response) -> list[str]:
    return re.findall(r'data-testid="edge-([\w-]+)"', response.content.decode())


def test_it_walks_the_graph_one_node_at_a_time_to_the_reveal(client, owner, quest):
    client.force_login(owner)
    play = reverse("quests:play", args=[quest.pk])

    before = client.get(play)
    assert before.status_code == 200 and 'data-testid="start"' in before.content.decode()

    assert client.post(reverse("quests:play_start", args=[quest.pk])).url == play
    at_start = client.get(play)
    assert "A path splits in two." in at_start.content.decode()
    assert _edges(at_start) == ["e1", "e2"]
    assert "Be brave" in at_start.content.decode()

    client.post(reverse("quests:play_advance", args=[quest.pk]), {"edge_id": "e1"})
    assert _edges(client.get(play)) == ["e3"]
    client.post(reverse("quests:play_advance", args=[quest.pk]), {"edge_id": "e3"})

    end = client.get(play)
    assert 'data-testid="reveal"' in end.content.decode()
    # owner is not the author's child: the neutral reveal
    assert NEUTRAL_REVEAL in end.content.decode() and "Your dad" not in end.content.decode()
    client.get(play)
    quest.refresh_from_db()
    assert quest.reveal_count == 2  # each view counts
    assert quest.plays_count == 1
    assert QuestProgress.objects.get(user=owner, quest=quest).completed


def test_an_edge_that_does_not_leave_the_node_is_a_409_message(client, owner, quest):
    client.force_login(owner)
    client.post(reverse("quests:play_start", args=[quest.pk]))

    response = client.post(reverse("quests:play_advance", args=[quest.pk]), {"edge_id": "e3"})

    assert response.status_code == 409
    # In people's words (a second window or the Back button sends a choice from a step already left), not the
    # graph's: "Edge 'e3' does not leave node 'start'." is for API clients.
    page = response.content.decode()
    assert "a step you have already left" in page and "does not leave node" not in page
    assert QuestProgress.objects.get(user=owner, quest=quest).current_node == "start"


def test_moving_before_starting_or_without_an_edge_is_refused(client, owner, quest):
    client.force_login(owner)
    assert client.post(reverse("quests:play_advance", args=[quest.pk]), {"edge_id": "e1"}).status_code == 409
    assert client.post(reverse("quests:play_advance", args=[quest.pk]), {}).status_code == 400


def test_a_draft_is_played_by_its_creator_only(client, owner, outsider, staff, member, quests_by_anyone):
    draft = quest_draft(owner, is_public=False)
    for other in (outsider, staff, member):
        client.force_login(other)
        assert client.get(reverse("quests:play", args=[draft.pk])).status_code == 404
        assert client.post(reverse("quests:play_start", args=[draft.pk])).status_code == 404
        assert client.post(reverse("quests:play_advance", args=[draft.pk]), {"edge_id": "e1"}).status_code == 404
    assert not QuestProgress.objects.exists()


def test_anonymous_players_are_sent_to_log_in(client, quest):
    response = client.post(reverse("quests:play_start", args=[quest.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_a_seeded_quest_plays_from_the_marketplace_to_its_reveal(client, monkeypatch):
    for name in ("SEED_STAFF_USERNAME", "SEED_STAFF_EMAIL", "SEED_STAFF_PASSWORD", "SEED_DEMO_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    assert seed_data.main(["demo"]) == 0
    player = User.objects.get(username="demo_learner")
    client.force_login(player)

    market = client.get(reverse("quests:marketplace"), {"search": "storm cloud"})
    (row,) = market.context["rows"]
    quest = row["quest"]
    play = reverse("quests:play", args=[quest.pk])
    client.post(reverse("quests:play_start", args=[quest.pk]))
    for _ in range(10):
        page = client.get(play)
        edges = _edges(page)
        if not edges:
            break
        client.post(reverse("quests:play_advance", args=[quest.pk]), {"edge_id": edges[0]})

    content = page.content.decode()
    # demo_learner is not demo_parent's child: the neutral reveal, not "Your dad wrote this story"
    assert "other families can play it too" in content and "Your dad wrote" not in content
    assert Quest.objects.get(pk=quest.pk).reveal_count == 1

    child = User.objects.get(username="demo_child")  # demo_parent's child sees their dad's message
    client.force_login(child)
    client.post(reverse("quests:play_start", args=[quest.pk]))
    for _ in range(10):
        edges = _edges(client.get(play))
        if not edges:
            break
        client.post(reverse("quests:play_advance", args=[quest.pk]), {"edge_id": edges[0]})
    content = client.get(play).content.decode()
    assert "Your dad wrote this story" in content and "A message for you" in content
