"""Revising one's quest (/quests/mine/<id>/edit/): a draft or a rejected quest, its graph as YAML, through
``services.quest_revise`` (which goes through ``quest_update``, the API's PATCH rule); a rejected quest
revised and sent goes back to pending; every review shown, oldest first; nobody else's quest, ever."""

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myApp.lib.exceptions import Conflict
from myApp.quests import graph, services
from myApp.quests.models import ModerationStatus, PsychologistReview, Quest
from tests.factories import ParentFactory
from tests.quest_graphs import small_graph
from tests.quest_helpers import GOOD_SCORES, psychologist_create, quest_draft, quest_reviewed

pytestmark = pytest.mark.django_db

MINE = reverse("quests:mine")
RISK = "I want to kill myself"


@pytest.fixture
def author():
    return ParentFactory(username="author")


@pytest.fixture
def rejected(author):
    return quest_reviewed(quest_draft(author, title="Too scary"), psychologist_create("critic"), approve=False)


def edit_url(quest) -> str:
    return reverse("quests:revise", args=[quest.pk])


def fields_of(quest: Quest, **changes) -> dict:
    data = {
        "title": quest.title,
        "psychological_module": quest.psychological_module,
        "age_range": quest.age_range,
        "location": quest.location,
        "quest_yaml": quest.quest_yaml,
        "action": "save",
    }
    if quest.is_public:
        data["is_public"] = "on"
    data.update(changes)
    return data


def yaml_with(change) -> str:
    document = small_graph()
    change(document)
    return graph.graph_to_yaml(graph.validate(document))


def raw_yaml(change) -> str:
    """YAML of a graph that need not be valid (``graph_to_yaml`` writes only valid ones)."""
    document = small_graph()
    change(document)
    return yaml.safe_dump({"version": 1, **document}, sort_keys=False)


def softer(document):
    document["nodes"][2]["text"] = "You sit with a friendly owl."


def test_it_shows_a_rejected_quest_prefilled_with_its_reviews_and_a_preview(client, author, rejected):
    client.force_login(author)

    response = client.get(edit_url(rejected))

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"]["quest_yaml"].value() == rejected.quest_yaml
    assert 'value="Too scary"' in page
    assert 'data-testid="revise-preview"><svg' in page and "The dark forest" in page
    assert page.count('data-testid="history-review"') == 1
    assert "Not approved" in page and "<strong>Strengths:</strong> Gentle" in page and "5 of 5" in page


def test_the_concerns_to_work_on_come_before_the_form(client, author):
    """A parent revising a rejected quest found what the psychologist asked for only below the form, under the
    review history (new-user review)."""
    from myApp.quests import services

    quest = quest_draft(author, title="The owl")
    services.quest_submit_for_review(quest=quest, by=author)
    critic = psychologist_create("critic")
    review = services.review_submit(
        quest=quest,
        reviewer=critic,
        scores=GOOD_SCORES,
        concerns="The dark wood is too scary at 7.",
        recommendations="Let the owl light the way.",
    )
    services.review_reject(review=review, by=critic)
    client.force_login(author)

    page = client.get(edit_url(quest)).content.decode()

    asked = page.index('data-testid="asked-to-change"')
    assert asked < page.index('data-testid="revise-form"')
    assert "The dark wood is too scary at 7." in page[asked : page.index('data-testid="revise-form"')]
    assert "Let the owl light the way." in page[asked : page.index('data-testid="revise-form"')]


def test_your_quests_counts_reviews_in_words_that_fit_one(client, author, rejected):
    client.force_login(author)
    page = client.get(reverse("quests:mine")).content.decode()
    assert "its review</summary>" in page and "1 review, oldest first" not in page


def test_a_quest_never_rejected_asks_nothing_before_the_form(client, author):
    client.force_login(author)
    assert 'data-testid="asked-to-change"' not in client.get(edit_url(quest_draft(author))).content.decode()


def test_it_revises_a_rejected_quest_and_sends_it_back_for_review(client, author, rejected):
    client.force_login(author)
    new_yaml = yaml_with(softer)

    response = client.post(
        edit_url(rejected), fields_of(rejected, title="Gentler forest", quest_yaml=new_yaml, action="submit")
    )

    assert response.status_code == 302 and response["Location"] == MINE
    quest = Quest.objects.get(pk=rejected.pk)
    assert quest.moderation_status == ModerationStatus.PENDING_REVIEW
    assert quest.title == "Gentler forest" and quest.quest_yaml == new_yaml
    assert graph.node(quest.graph_structure, "hide")["text"] == "You sit with a friendly owl."
    assert quest.reviews.count() == 1  # the history is kept
    client.force_login(psychologist_create("reader"))
    assert "Gentler forest" in client.get(reverse("quests:reviews")).content.decode()


def test_it_saves_a_revision_as_a_draft_to_send_later(client, author, rejected):
    client.force_login(author)

    response = client.post(edit_url(rejected), fields_of(rejected, quest_yaml=yaml_with(softer)), follow=True)

    assert response.redirect_chain == [(edit_url(rejected), 302)]
    assert "is saved as a draft" in response.content.decode()
    assert Quest.objects.get(pk=rejected.pk).moderation_status == ModerationStatus.DRAFT
    assert "Send for review" in client.get(MINE).content.decode()


def test_it_does_not_resend_a_rejected_quest_unchanged(client, author, rejected):
    client.force_login(author)

    response = client.post(edit_url(rejected), fields_of(rejected, action="submit"))

    assert response.status_code == 409
    assert "Revise the rejected quest before submitting it again." in response.content.decode()
    assert Quest.objects.get(pk=rejected.pk).moderation_status == ModerationStatus.REJECTED


def test_it_sends_an_unchanged_draft_for_review(client, author):
    draft = quest_draft(author)
    client.force_login(author)

    assert client.post(edit_url(draft), fields_of(draft, action="submit")).status_code == 302
    assert Quest.objects.get(pk=draft.pk).moderation_status == ModerationStatus.PENDING_REVIEW


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("version: 1\nnodes: [", "Not valid YAML"),
        ("- just a list", "a mapping with 'version: 1'"),
        (raw_yaml(lambda d: d["edges"][0].update(target="nowhere")), "edge 'e1': its target 'nowhere'"),
        (raw_yaml(lambda d: d["nodes"][2].update(id="brave")), "node 'brave': two nodes have this id"),
        ("version: 1\nnodes: &n [a]\nedges: *n\n", "Anchors and aliases"),
        ("version: 1\nnodes:\n- {id: 2020-01-01, type: start, title: x}\nedges: []\n", "date is not allowed"),
        ("version: 1\nnodes:\n- {1: x}\nedges: []\n", "the key 1 must be text"),
    ],
)
def test_it_names_what_is_wrong_with_the_yaml_and_changes_nothing(client, author, rejected, text, named):
    client.force_login(author)

    response = client.post(edit_url(rejected), fields_of(rejected, quest_yaml=text, action="submit"))

    assert response.status_code == 400
    assert any(named in message for message in response.context["form"].errors["quest_yaml"])
    assert Quest.objects.get(pk=rejected.pk).quest_yaml == rejected.quest_yaml


def test_it_refuses_risk_text_naming_the_node_and_the_title(client, author, rejected):
    client.force_login(author)
    risky = yaml_with(lambda d: d["nodes"][1].update(text=RISK))

    response = client.post(edit_url(rejected), fields_of(rejected, title=RISK, quest_yaml=risky, action="submit"))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "title" in errors and any(message.startswith("node 'brave', text: ") for message in errors["quest_yaml"])
    quest = Quest.objects.get(pk=rejected.pk)
    assert quest.moderation_status == ModerationStatus.REJECTED and RISK not in quest.quest_yaml


def test_it_keeps_the_input_and_names_fields_on_bad_fields(client, author, rejected):
    client.force_login(author)

    response = client.post(edit_url(rejected), fields_of(rejected, title="", age_range="99", action="nonsense"))

    assert response.status_code == 400
    assert {"title", "age_range", "__all__"} <= response.context["form"].errors.keys()


def test_it_previews_the_typed_graph_without_saving(client, author, rejected):
    client.force_login(author)
    typed = yaml_with(lambda d: d["nodes"][3].update(title="A warm kitchen"))

    response = client.post(edit_url(rejected), fields_of(rejected, quest_yaml=typed, action="preview"))

    page = response.content.decode()
    assert response.status_code == 200 and "A warm kitchen" in page and "not saved yet" in page
    quest = Quest.objects.get(pk=rejected.pk)
    assert quest.moderation_status == ModerationStatus.REJECTED and "A warm kitchen" not in quest.quest_yaml


@pytest.mark.parametrize("status", ["approved", "pending"])
def test_it_does_not_change_an_approved_or_pending_quest_and_says_why(client, author, status):
    quest = quest_draft(author)
    if status == "approved":
        quest = quest_reviewed(quest, psychologist_create("kind"))
        why = "approved and listed in the marketplace"
    else:
        quest = services.quest_submit_for_review(quest=quest, by=author)
        why = "under review"
    client.force_login(author)

    page = client.get(edit_url(quest))
    response = client.post(edit_url(quest), fields_of(quest, title="Changed", quest_yaml=yaml_with(softer)))

    assert page.status_code == 200 and why in page.content.decode() and page.context["form"] is None
    assert 'data-testid="revise-form"' not in page.content.decode()
    assert response.status_code == 409 and why in response.content.decode()
    assert Quest.objects.get(pk=quest.pk).title == quest.title
    assert 'data-testid="revise"' not in client.get(MINE).content.decode()


def test_nobody_else_reaches_the_page_staff_included(client, author, rejected, staff):
    for user in (ParentFactory(username="outsider"), staff):
        client.force_login(user)
        assert client.get(edit_url(rejected)).status_code == 404
        assert client.post(edit_url(rejected), fields_of(rejected, title="Mine now")).status_code == 404
    client.logout()
    assert client.get(edit_url(rejected))["Location"].startswith(reverse("accounts:login"))
    assert Quest.objects.get(pk=rejected.pk).title == "Too scary"


def test_it_lists_every_review_oldest_first_on_your_quests(client, author, rejected):
    client.force_login(author)
    client.post(edit_url(rejected), fields_of(rejected, quest_yaml=yaml_with(softer), action="submit"))
    review = services.review_submit(
        quest=rejected, reviewer=psychologist_create("second"), scores=GOOD_SCORES, concerns="Still dark"
    )
    services.review_approve(review=review, by=review.reviewer)

    page = client.get(MINE).content.decode()

    assert page.count('data-testid="history-review"') == 2
    assert page.index("<strong>Strengths:</strong> Gentle") < page.index("<strong>Concerns:</strong> Still dark")
    assert 'data-testid="revise"' not in page  # approved now


def test_your_quests_reads_in_queries_that_do_not_grow_with_quests_or_reviews(client, author, rejected):
    client.force_login(author)
    with CaptureQueriesContext(connection) as one:
        client.get(MINE)
    for n in range(3):
        quest = quest_reviewed(quest_draft(author, title=f"More {n}"), psychologist_create(f"p{n}"), approve=False)
        services.quest_update(quest=quest, by=author, title=f"More {n}, revised")
        quest_reviewed(quest, psychologist_create(f"q{n}"), approve=n % 2 == 0)
    with CaptureQueriesContext(connection) as more:
        page = client.get(MINE).content.decode()
    assert page.count('data-testid="history-review"') == 1 + 3 * 2
    assert len(more) == len(one)


# --- The one rule for changing a quest: the API's PATCH goes through the same service --------------


def test_the_api_patch_of_an_approved_quest_makes_it_a_draft_to_review_again(api_as, author):
    approved = quest_reviewed(quest_draft(author), psychologist_create("kind"))
    url = reverse("quest-detail", args=[approved.pk])

    same = api_as(author).patch(url, {"title": approved.title}, format="json")
    assert same.status_code == 200 and same.json()["moderation_status"] == "approved"  # nothing changed

    changed = api_as(author).patch(url, {"title": "A new version"}, format="json")
    assert changed.status_code == 200 and changed.json()["moderation_status"] == "draft"
    assert Quest.objects.get(pk=approved.pk).psychologist_reviewed is False


def test_the_api_refuses_risk_text_as_the_page_does(api_as, author, rejected):
    document = small_graph()
    document["edges"][0]["label"] = RISK
    url = reverse("quest-detail", args=[rejected.pk])

    response = api_as(author).patch(url, {"graph_structure": document}, format="json")

    assert response.status_code == 400
    assert "graph_structure.edges.e1.label" in response.json()["errors"]
    assert Quest.objects.get(pk=rejected.pk).moderation_status == ModerationStatus.REJECTED


def test_the_yaml_the_page_fills_in_reads_back_as_the_stored_graph(author):
    quest = quest_draft(author)
    assert graph.yaml_to_graph(quest.quest_yaml) == quest.graph_structure
    assert "&" not in quest.quest_yaml and yaml.safe_load(quest.quest_yaml)["version"] == 1
    assert not PsychologistReview.objects.exists()


def test_revise_and_send_is_both_or_neither(author, rejected):
    """Only the visibility changed: no new version to review, so the send is refused and the save undone."""
    with pytest.raises(Conflict):
        services.quest_revise(quest=rejected, by=author, submit=True, is_public=False)

    quest = Quest.objects.get(pk=rejected.pk)
    assert quest.is_public is True and quest.moderation_status == ModerationStatus.REJECTED
