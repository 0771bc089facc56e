"""``seed_data.py demo`` grows therapeutic quests written for the project: valid graphs through the
quest service, across modules and ages, reviews (approved, rejected with concerns, waiting), ratings
from players, a psychologist, and a parent with a consenting and a non-consenting child."""

import pytest

import seed_data
from myApp.accounts.models import ChildPrivacySettings, Role, User
from myApp.quests import graph
from myApp.quests.models import ModerationStatus, PsychologistReview, Quest, QuestProgress, QuestRating
from myApp.quests.selectors import marketplace_quests

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(monkeypatch):
    for name in ("SEED_STAFF_USERNAME", "SEED_STAFF_EMAIL", "SEED_STAFF_PASSWORD", "SEED_DEMO_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    assert seed_data.main(["demo"]) == 0


def _state() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Quest, PsychologistReview, QuestRating, QuestProgress, ChildPrivacySettings)
    }


def test_it_seeds_valid_quests_across_modules_and_ages(demo):
    quests = list(Quest.objects.filter(creator__username="demo_parent"))

    assert len(quests) >= 9
    assert len({quest.psychological_module for quest in quests}) >= 6
    assert len({quest.age_range for quest in quests}) >= 4
    for quest in quests:
        assert graph.validate(quest.graph_structure) == quest.graph_structure
        assert graph.yaml_to_graph(quest.quest_yaml) == quest.graph_structure
        endings = [node for node in quest.graph_structure["nodes"] if node["type"] == "ending"]
        assert endings and all(node["reveal"].strip() for node in endings)
    assert marketplace_quests().count() >= 6


def test_it_seeds_reviews_of_every_kind(demo):
    psychologist = User.objects.get(username="demo_psychologist")
    assert psychologist.role == Role.PSYCHOLOGIST
    statuses = list(Quest.objects.values_list("moderation_status", flat=True))
    assert statuses.count(ModerationStatus.APPROVED) >= 6
    assert statuses.count(ModerationStatus.REJECTED) == 1
    assert statuses.count(ModerationStatus.PENDING_REVIEW) == 2  # one reviewed, awaiting the decision
    rejected = PsychologistReview.objects.get(is_approved=False)
    assert rejected.concerns and rejected.reviewer == psychologist
    pending = PsychologistReview.objects.get(is_approved__isnull=True)
    assert pending.quest.moderation_status == ModerationStatus.PENDING_REVIEW


def test_it_seeds_ratings_from_players_only(demo):
    ratings = QuestRating.objects.select_related("quest")
    assert ratings.count() >= 5
    for rating in ratings:
        assert QuestProgress.objects.filter(user=rating.user, quest=rating.quest, completed=True).exists()
        assert rating.quest.rating is not None


def test_it_links_a_consenting_and_a_non_consenting_child(demo):
    links = {
        link.child.username: link.share_quest_progress
        for link in ChildPrivacySettings.objects.filter(parent__username="demo_parent").select_related("child")
    }
    assert links == {"demo_child": True, "demo_child_quiet": False}


def test_a_second_run_adds_nothing(demo):
    before = _state()

    assert seed_data.main(["demo"]) == 0

    assert _state() == before
