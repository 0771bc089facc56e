"""The home page points each role at its quest pages: a psychologist at the review queue (with how many quests
wait), a parent at their own quests and their children's. Before, a psychologist's home was only the learner's
dashboard, and a parent reached Your quests and Your children's quests only through the marketplace's breadcrumbs."""

import pytest
from django.urls import reverse

from myApp.quests import services
from tests.factories import ParentFactory
from tests.quest_helpers import psychologist_create, quest_draft

pytestmark = pytest.mark.django_db

HOME = reverse("accounts:home")
QUEUE = reverse("quests:reviews")


def quests_block(page: str) -> str:
    return page.split('data-testid="home-quests"', 1)[1].split("</section>", 1)[0] if "home-quests" in page else ""


def test_a_psychologist_sees_how_many_quests_wait_and_where(client):
    author = ParentFactory(username="author")
    for title in ("One", "Two"):
        services.quest_submit_for_review(quest=quest_draft(author, title=title), by=author)
    quest_draft(author, title="A draft, not sent")
    client.force_login(psychologist_create("reader"))

    block = quests_block(client.get(HOME).content.decode())

    assert "2 quests wait for your review" in block and f'href="{QUEUE}"' in block


def test_an_empty_queue_says_so(client):
    client.force_login(psychologist_create("reader"))

    assert "No quest is waiting for your review" in quests_block(client.get(HOME).content.decode())


def test_a_parent_is_pointed_at_their_quests_and_their_childrens(client):
    client.force_login(ParentFactory(username="parent"))

    block = quests_block(client.get(HOME).content.decode())

    assert f'href="{reverse("quests:mine")}"' in block and f'href="{reverse("quests:family")}"' in block
    assert QUEUE not in block


def test_a_learner_has_no_such_block(client, owner):
    client.force_login(owner)

    assert 'data-testid="home-quests"' not in client.get(HOME).content.decode()
