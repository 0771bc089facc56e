"""The psychologists' review queue (/quests/reviews/): only psychologists (anyone else 403, whatever the
id); each waiting quest's graph laid out; the four scales, the written review and the decision."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myApp.quests import services
from myApp.quests.models import ModerationStatus, PsychologistReview
from tests.factories import ParentFactory
from tests.quest_helpers import psychologist_create, quest_draft, quest_reviewed

pytestmark = pytest.mark.django_db

QUEUE = reverse("quests:reviews")
SCORES = {
    "emotional_safety_score": "5",
    "therapeutic_correctness_score": "4",
    "age_appropriateness_score": "5",
    "reveal_timing_score": "3",
}


@pytest.fixture
def author():
    return ParentFactory(username="author")


@pytest.fixture
def psychologist():
    return psychologist_create("shrink")


@pytest.fixture
def waiting(author):
    return services.quest_submit_for_review(quest=quest_draft(author, title="Waiting quest"), by=author)


def test_it_lists_the_waiting_quests_for_psychologists(client, psychologist, waiting, author):
    quest_draft(author, title="Still a draft")
    client.force_login(psychologist)

    response = client.get(QUEUE)

    assert response.status_code == 200
    assert [quest.title for quest in response.context["quests"]] == ["Waiting quest"]


def test_everyone_else_gets_403_and_anonymous_a_login(client, waiting, author, owner, staff, member):
    for user in (author, owner, staff, member):
        client.force_login(user)
        assert client.get(QUEUE).status_code == 403
        assert client.get(reverse("quests:review", args=[waiting.pk])).status_code == 403
        assert client.get(reverse("quests:review", args=[999999])).status_code == 403
        assert client.post(reverse("quests:review", args=[waiting.pk]), SCORES).status_code == 403
    client.logout()
    assert client.get(QUEUE).status_code == 302
    assert not PsychologistReview.objects.exists()


def test_the_review_page_lays_out_the_graph_and_labels_the_scales(client, psychologist, waiting):
    client.force_login(psychologist)

    response = client.get(reverse("quests:review", args=[waiting.pk]))

    content = response.content.decode()
    assert [step.node["id"] for step in response.context["outline"]] == ["start", "brave", "hide", "end"]
    assert "Your dad wrote this quest for you." in content  # the reveal, readable
    assert "“Be brave” →" in content
    for label in ("Emotional safety", "Therapeutic correctness", "Age appropriateness", "Reveal timing"):
        assert f"<legend>{label}</legend>" in content
    assert content.count('type="radio" name="reveal_timing_score"') == 5
    assert "5: excellent" in content


def test_approving_lists_the_quest(client, psychologist, waiting):
    client.force_login(psychologist)

    response = client.post(
        reverse("quests:review", args=[waiting.pk]), {**SCORES, "strengths": "Gentle", "decision": "approve"}
    )

    assert response.status_code == 302 and response.url == QUEUE
    waiting.refresh_from_db()
    assert waiting.moderation_status == ModerationStatus.APPROVED and waiting.psychologist_reviewed
    review = waiting.psychologist_review
    assert (review.is_approved, review.reveal_timing_score, review.strengths) == (True, 3, "Gentle")
    assert client.get(QUEUE).context["quests"] == []


def test_rejecting_keeps_the_concerns(client, psychologist, waiting):
    client.force_login(psychologist)

    client.post(reverse("quests:review", args=[waiting.pk]), {**SCORES, "concerns": "Too dark", "decision": "reject"})

    waiting.refresh_from_db()
    assert waiting.moderation_status == ModerationStatus.REJECTED
    assert waiting.psychologist_review.concerns == "Too dark"


def test_a_bad_form_keeps_the_input_and_names_the_fields(client, psychologist, waiting):
    client.force_login(psychologist)

    response = client.post(
        reverse("quests:review", args=[waiting.pk]),
        {**SCORES, "emotional_safety_score": "9", "strengths": "Warm and clear"},
    )

    assert response.status_code == 400
    assert {"emotional_safety_score", "decision"} <= set(response.context["form"].errors)
    assert "Warm and clear" in response.content.decode()
    assert not PsychologistReview.objects.exists()


def test_a_psychologist_cannot_review_their_own_quest(client, psychologist):
    own = services.quest_submit_for_review(quest=quest_draft(psychologist), by=psychologist)
    client.force_login(psychologist)

    response = client.post(reverse("quests:review", args=[own.pk]), {**SCORES, "decision": "approve"})

    assert response.status_code == 403
    assert not PsychologistReview.objects.exists()


def test_a_quest_no_longer_waiting_is_404_for_psychologists(client, psychologist, author):
    client.force_login(psychologist)
    assert client.get(reverse("quests:review", args=[quest_draft(author).pk])).status_code == 404


def test_a_review_submitted_elsewhere_is_shown_and_only_decided(client, psychologist, waiting):
    other = psychologist_create("colleague")
    services.review_submit(
        quest=waiting, reviewer=other, scores={key: int(value) for key, value in SCORES.items()}, concerns="Pacing"
    )
    client.force_login(psychologist)
    url = reverse("quests:review", args=[waiting.pk])

    page = client.get(url)
    assert 'data-testid="awaiting-review"' in page.content.decode() and "Pacing" in page.content.decode()
    assert "emotional_safety_score" not in page.context["form"].fields

    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"decision": "reject"}).status_code == 302

    waiting.refresh_from_db()
    assert waiting.moderation_status == ModerationStatus.REJECTED
    assert PsychologistReview.objects.get().decided_by == psychologist


def test_the_queue_costs_the_same_however_many_quests_wait(client, psychologist, author):
    services.quest_submit_for_review(quest=quest_draft(author, title="First"), by=author)
    client.force_login(psychologist)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as one:
        client.get(QUEUE)
    for number in range(6):
        other = ParentFactory(username=f"author{number}")
        services.quest_submit_for_review(quest=quest_draft(other, title=f"Q{number}"), by=other)
    with CaptureQueriesContext(connection) as seven:
        assert len(client.get(QUEUE).context["quests"]) == 7

    assert len(seven) == len(one)


def test_only_psychologists_see_the_review_links(client, psychologist, author):
    client.force_login(psychologist)
    page = client.get(reverse("quests:tracks")).content.decode()
    assert page.count(f'href="{QUEUE}"') == 2  # the site navigation and the quests' own

    client.force_login(author)
    assert f'href="{QUEUE}"' not in client.get(reverse("quests:tracks")).content.decode()


# --- Decided: the queue's history ------------------------------------------------------------------


def _decided(n: int, *, start: int = 0) -> list[PsychologistReview]:
    """``n`` decided reviews (approved, rejected, ...) by different psychologists of different authors, in
    decision order."""
    decided = []
    for number in range(start, start + n):
        writer, reader = ParentFactory(username=f"writer{number}"), psychologist_create(f"reader{number}")
        quest = quest_reviewed(quest_draft(writer, title=f"Decided {number}"), reader, approve=number % 2 == 0)
        decided.append(quest.psychologist_review)
    return decided


def test_decided_lists_every_psychologists_decisions_latest_first(client, psychologist, waiting):
    first, second, third = _decided(3)
    client.force_login(psychologist)

    response = client.get(QUEUE)

    assert [review.pk for review in response.context["decided"]] == [third.pk, second.pk, first.pk]
    page = response.content.decode()
    assert page.index("Decided 2") < page.index("Decided 1") < page.index("Decided 0")
    section = page[page.index('id="decided-title"') :]
    assert f'data-testid="awaiting-{waiting.pk}"' in page and "Waiting quest" not in section
    row = page[page.index(f'data-testid="decided-{second.pk}"') :]
    assert "Rejected" in row[: row.index("</tr>")] and "reader1" in row[: row.index("</tr>")]


def test_decided_is_paginated(client, psychologist, monkeypatch):
    from myApp.quests.views import reviews

    monkeypatch.setattr(reviews, "DECIDED_PAGE_SIZE", 2)
    oldest, *_ = _decided(3)
    client.force_login(psychologist)

    first_page = client.get(QUEUE).context["decided"]
    second_page = client.get(QUEUE, {"decided": 2})

    assert len(first_page) == 2 and first_page.paginator.num_pages == 2
    assert [review.pk for review in second_page.context["decided"]] == [oldest.pk]
    assert "Page 2 of 2" in second_page.content.decode()
    assert client.get(QUEUE, {"decided": "nonsense"}).status_code == 200  # the first page, not a 500


def test_decided_costs_the_same_however_many_reviews_were_decided(client, psychologist):
    _decided(1)
    client.force_login(psychologist)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as one:
        client.get(QUEUE)
    _decided(6, start=1)
    with CaptureQueriesContext(connection) as seven:
        page = client.get(QUEUE)
    assert len(page.context["decided"]) == 7
    assert page.content.decode().count('data-testid="decided-') == 7  # a row each
    assert len(seven) == len(one)


def test_decided_is_for_psychologists_only(client, author, staff):
    _decided(1)
    for user in (author, staff):
        client.force_login(user)
        assert client.get(QUEUE, {"decided": 1}).status_code == 403


def test_a_missing_score_or_decision_says_what_to_choose(client, psychologist, waiting):
    """'This field is required.' under each scale did not say what to do; the messages name the choice."""
    client.force_login(psychologist)

    response = client.post(reverse("quests:review", args=[waiting.pk]), {"strengths": "Warm"})

    errors = response.context["form"].errors
    assert errors["emotional_safety_score"] == ["Choose a score from 1 to 5."]
    assert errors["decision"] == ["Choose whether to approve the quest or send it back."]


def test_a_decided_review_opens_read_only_from_the_decided_history(client, psychologist, author, staff):
    """The Decided list named quests a psychologist could not open (the review page and the marketplace both
    answered 404 for a rejected quest)."""
    _approved, rejected = _decided(2)
    client.force_login(psychologist)
    queue = client.get(QUEUE).content.decode()
    link = reverse("quests:review", args=[rejected.quest_id])
    assert f'href="{link}"' in queue

    page = client.get(link)

    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="review-decided"' in text
    assert 'name="decision"' not in text and 'name="emotional_safety_score"' not in text  # no form: a record
    assert [review.pk for review in page.context["history"]] == [rejected.pk]
    assert client.post(link, {"decision": "approve", **SCORES}).status_code == 404
    assert PsychologistReview.objects.get(pk=rejected.pk).is_approved is False
    # a quest never sent for review stays out of reach, and only psychologists read the record
    assert client.get(reverse("quests:review", args=[quest_draft(author).pk])).status_code == 404
    for other in (author, staff):
        client.force_login(other)
        assert client.get(link).status_code == 403
