"""The quests admin: every page loads cheaply, the graph reads as nodes and edges, and approving or
rejecting goes through the review services (so only psychologists can)."""

import pytest
from django.test import Client
from django.urls import reverse

from myApp.accounts.models import Role
from myApp.quests import services
from myApp.quests.models import (
    ModerationStatus,
    PsychologistReview,
    Quest,
    QuestBuilderSession,
    QuestProgress,
    QuestRating,
    UserQuestLibrary,
    UserTrack,
)
from tests.factories import UserFactory
from tests.quest_helpers import GOOD_SCORES, quest_draft, quest_rows

pytestmark = pytest.mark.django_db

QUEST_MODELS = [Quest, PsychologistReview, UserQuestLibrary, QuestRating, QuestProgress, UserTrack, QuestBuilderSession]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:quests_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def psychologist_client(db):
    """A psychologist who also works in the admin (staff, with the model permissions)."""
    user = UserFactory(username="staff_psychologist", role=Role.PSYCHOLOGIST, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pending_review(author, psychologist):
    quest = quest_draft(author)
    services.quest_submit_for_review(quest=quest, by=author)
    return services.review_submit(quest=quest, reviewer=psychologist, scores=GOOD_SCORES)


@pytest.mark.parametrize("model", QUEST_MODELS, ids=lambda model: model.__name__)
def test_it_loads_every_changelist_search_and_change_page(staff_client, owner, model):
    quest_rows(owner)
    row = model._default_manager.order_by("pk").first()

    assert staff_client.get(_url(model, "changelist")).status_code == 200
    assert staff_client.get(_url(model, "changelist"), {"q": "forest"}).status_code == 200
    assert staff_client.get(_url(model, "change", row.pk)).status_code == 200


def test_it_shows_the_graph_as_nodes_and_edges(staff_client, author):
    quest = quest_draft(author)

    page = staff_client.get(_url(Quest, "change", quest.pk)).content.decode()

    assert "<code>start</code> → <code>brave</code>" in page
    assert "Your dad wrote this quest for you." in page
    assert "version: 1" in page  # the generated YAML


def test_it_lists_quests_with_a_bounded_number_of_queries(staff_client, author, django_assert_max_num_queries):
    for index in range(6):
        quest_draft(author, title=f"Quest {index}")
    staff_client.get(_url(Quest, "changelist"))  # warm the session

    with django_assert_max_num_queries(8):
        assert staff_client.get(_url(Quest, "changelist")).status_code == 200


@pytest.mark.parametrize(
    ("model", "action", "status"),
    [
        (Quest, "approve_current_review", ModerationStatus.APPROVED),
        (Quest, "reject_current_review", ModerationStatus.REJECTED),
        (PsychologistReview, "approve", ModerationStatus.APPROVED),
        (PsychologistReview, "reject", ModerationStatus.REJECTED),
    ],
)
def test_it_lets_a_psychologist_decide_reviews_from_the_admin(
    psychologist_client, pending_review, model, action, status
):
    selected = pending_review.quest_id if model is Quest else pending_review.pk

    response = psychologist_client.post(_url(model, "changelist"), {"action": action, "_selected_action": [selected]})

    assert response.status_code == 302
    pending_review.quest.refresh_from_db()
    assert pending_review.quest.moderation_status == status
    pending_review.refresh_from_db()
    assert pending_review.decided_at is not None


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_it_refuses_staff_who_are_not_psychologists(staff_client, pending_review, action):
    response = staff_client.post(
        _url(PsychologistReview, "changelist"), {"action": action, "_selected_action": [pending_review.pk]}, follow=True
    )

    assert "Only psychologists review quests." in response.content.decode()
    pending_review.refresh_from_db()
    assert pending_review.is_approved is None
    assert pending_review.quest.moderation_status == ModerationStatus.PENDING_REVIEW


def test_it_reports_a_quest_without_a_review_instead_of_failing(psychologist_client, author):
    quest = quest_draft(author)

    response = psychologist_client.post(
        _url(Quest, "changelist"), {"action": "approve_current_review", "_selected_action": [quest.pk]}, follow=True
    )

    assert "a quest without a submitted review" in response.content.decode()
    quest.refresh_from_db()
    assert quest.moderation_status == ModerationStatus.DRAFT


def test_it_never_lets_staff_add_or_edit_quests_by_hand(staff_client, author):
    quest = quest_draft(author)

    assert staff_client.get(_url(Quest, "add")).status_code == 403
    staff_client.post(_url(Quest, "change", quest.pk), {"title": "Hacked"})
    quest.refresh_from_db()
    assert quest.title == "The dark forest"
