"""A creator's own quests (/quests/mine/): where each stands in review, what the psychologist wrote, and
sending a draft for review (the step after the builder's finish); nobody else's quests, ever."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myApp.quests.models import ModerationStatus, Quest
from tests.factories import ParentFactory, UserFactory
from tests.quest_helpers import psychologist_create, quest_draft, quest_reviewed

pytestmark = pytest.mark.django_db

MINE = reverse("quests:mine")


@pytest.fixture
def author():
    return ParentFactory(username="author")


def submit_url(quest) -> str:
    return reverse("quests:submit", args=[quest.pk])


def test_it_sends_a_draft_for_review_and_the_psychologist_sees_it(client, author):
    draft = quest_draft(author, title="Our brave walk")
    client.force_login(author)
    page = client.get(MINE).content.decode()
    assert "Our brave walk" in page and "Send for review" in page

    response = client.post(submit_url(draft), follow=True)

    assert response.redirect_chain == [(MINE, 302)]
    assert "is sent for review" in response.content.decode()
    assert Quest.objects.get(pk=draft.pk).moderation_status == ModerationStatus.PENDING_REVIEW
    assert "Send for review" not in response.content.decode()  # pending: nothing more to send
    client.force_login(psychologist_create("reader"))
    assert "Our brave walk" in client.get(reverse("quests:reviews")).content.decode()


def test_it_shows_the_reviewers_concerns_on_a_rejected_quest(client, author):
    rejected = quest_reviewed(quest_draft(author, title="Too scary"), psychologist_create("critic"), approve=False)
    client.force_login(author)

    page = client.get(MINE).content.decode()

    assert "Not approved on" in page and "Too scary" in page
    assert "<strong>Strengths:</strong> Gentle" in page  # what the reviewer wrote
    assert client.post(submit_url(rejected)).status_code == 409  # revise it first (the service says so)


def test_it_shows_nobody_else_s_quests_and_refuses_their_ids(client, author):
    theirs = quest_draft(author, title="Not yours")
    outsider = ParentFactory(username="outsider")
    client.force_login(outsider)

    assert "Not yours" not in client.get(MINE).content.decode()
    assert client.post(submit_url(theirs)).status_code == 404
    assert Quest.objects.get(pk=theirs.pk).moderation_status == ModerationStatus.DRAFT
    assert client.get(submit_url(theirs)).status_code == 405


def test_it_sends_visitors_to_log_in(client, author):
    assert client.get(MINE)["Location"].startswith(reverse("accounts:login"))


def test_it_reads_the_page_in_queries_that_do_not_grow_with_the_quests(client, author):
    quest_draft(author, title="One")
    client.force_login(author)
    with CaptureQueriesContext(connection) as one:
        client.get(MINE)
    for n in range(4):
        quest_reviewed(quest_draft(author, title=f"More {n}"), psychologist_create(f"p{n}"), approve=n % 2 == 0)
    with CaptureQueriesContext(connection) as five:
        assert client.get(MINE).content.decode().count('data-testid="own-quest-') == 5
    assert len(five) == len(one)


@pytest.mark.parametrize("who", ["learner", "teacher"])
def test_someone_the_builder_is_not_for_is_not_sent_to_it(client, who):
    """With no quests of their own, a learner or a teacher is not pointed at the builder, which would only
    refuse them: the page says who writes quests and where to find them."""
    client.force_login(UserFactory(username=who, role=who))

    page = client.get(MINE).content.decode()

    assert reverse("quest_builder:list") not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'data-testid="mine-empty"' in page and reverse("quests:marketplace") in page


def test_a_parent_without_quests_is_sent_to_the_builder(client, author):
    client.force_login(author)

    page = client.get(MINE).content.decode()

    assert f'href="{reverse("quest_builder:list")}">Build one with the quest builder' in page
