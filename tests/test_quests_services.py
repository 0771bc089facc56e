"""Writing and reviewing quests through the services: the graph and its YAML, the review flow, tracks."""

import pytest
from django.core.exceptions import ValidationError

from myApp.accounts.models import Role
from myApp.lib.exceptions import Conflict, NotAllowed
from myApp.quests import graph, selectors, services
from myApp.quests.graph import GraphError
from myApp.quests.models import ModerationStatus, PsychologistReview, TrackPhase, UserTrack
from tests.factories import StaffFactory, UserFactory
from tests.quest_graphs import small_graph
from tests.quest_helpers import (
    GOOD_SCORES,
    psychologist_create,
    quest_draft,
    quest_listed,
    quest_reviewed,
)

pytestmark = pytest.mark.django_db


def _listed_ids() -> set[int]:
    return set(selectors.marketplace_quests().values_list("pk", flat=True))


def test_it_creates_a_draft_with_the_graph_normalised_and_its_yaml(author):
    quest = quest_draft(author)

    assert quest.moderation_status == ModerationStatus.DRAFT
    assert quest.quest_id.startswith("q_")
    assert quest.graph_structure == graph.validate(small_graph())
    assert graph.yaml_to_graph(quest.quest_yaml) == quest.graph_structure


def test_it_refuses_an_invalid_graph_naming_the_node(author):
    document = small_graph()
    document["edges"].pop(1)  # nothing leads to "hide" any more

    with pytest.raises(GraphError) as caught:
        quest_draft(author, graph_structure=document)
    assert caught.value.errors == {"graph_structure": ["node 'hide': cannot be reached from the start node."]}
    assert caught.value.status_code == 400


def test_it_refuses_unknown_module_and_age_range(author):
    with pytest.raises(ValidationError) as caught:
        quest_draft(author, psychological_module="ASTROLOGY", age_range="99")
    assert {"psychological_module", "age_range"} <= caught.value.message_dict.keys()


def test_it_regenerates_the_yaml_when_the_graph_changes(author):
    quest = quest_draft(author)
    document = small_graph()
    document["nodes"][1]["title"] = "Walk on, singing"

    quest = services.quest_update(quest=quest, by=author, graph_structure=document)

    assert "Walk on, singing" in quest.quest_yaml
    assert graph.yaml_to_graph(quest.quest_yaml) == quest.graph_structure


def test_it_lets_only_the_creator_change_a_quest(author, outsider):
    quest = quest_draft(author)

    with pytest.raises(NotAllowed):
        services.quest_update(quest=quest, by=outsider, title="Mine now")


def test_it_lists_a_quest_only_once_approved(author, psychologist):
    quest = quest_draft(author)
    assert quest.pk not in _listed_ids()
    services.quest_submit_for_review(quest=quest, by=author)
    review = services.review_submit(quest=quest, reviewer=psychologist, scores=GOOD_SCORES)
    assert quest.pk not in _listed_ids()

    services.review_approve(review=review, by=psychologist)

    quest.refresh_from_db()
    assert quest.psychologist_reviewed and quest.reviewed_at is not None
    assert quest.psychologist_review == review
    assert quest.pk in _listed_ids()


def test_it_never_lists_a_private_or_rejected_quest(author, psychologist):
    private = quest_reviewed(quest_draft(author, is_public=False), psychologist)
    rejected = quest_reviewed(quest_draft(author), psychologist, approve=False)

    assert rejected.moderation_status == ModerationStatus.REJECTED and not rejected.psychologist_reviewed
    assert _listed_ids().isdisjoint({private.pk, rejected.pk})


@pytest.mark.parametrize("role", [Role.LEARNER, Role.PARENT, Role.TEACHER, Role.STAFF])
def test_it_lets_only_psychologists_review(author, role):
    quest = quest_draft(author)
    services.quest_submit_for_review(quest=quest, by=author)
    someone = StaffFactory(username="boss") if role == Role.STAFF else UserFactory(username="someone", role=role)

    with pytest.raises(NotAllowed):
        services.review_submit(quest=quest, reviewer=someone, scores=GOOD_SCORES)
    assert not PsychologistReview.objects.exists()


def test_it_lets_only_psychologists_decide(author, psychologist, outsider):
    quest = quest_draft(author)
    services.quest_submit_for_review(quest=quest, by=author)
    review = services.review_submit(quest=quest, reviewer=psychologist, scores=GOOD_SCORES)

    for decide in (services.review_approve, services.review_reject):
        with pytest.raises(NotAllowed):
            decide(review=review, by=outsider)
    review.refresh_from_db()
    assert review.is_approved is None


def test_it_refuses_a_psychologist_reviewing_their_own_quest(psychologist):
    quest = quest_draft(psychologist)
    services.quest_submit_for_review(quest=quest, by=psychologist)

    with pytest.raises(NotAllowed):
        services.review_submit(quest=quest, reviewer=psychologist, scores=GOOD_SCORES)


@pytest.mark.parametrize("score", [0, 6, None, "high"])
def test_it_refuses_scores_outside_1_to_5(author, psychologist, score):
    quest = quest_draft(author)
    services.quest_submit_for_review(quest=quest, by=author)

    with pytest.raises(ValidationError) as caught:
        services.review_submit(quest=quest, reviewer=psychologist, scores={**GOOD_SCORES, "reveal_timing_score": score})
    assert "reveal_timing_score" in caught.value.message_dict


def test_it_refuses_reviewing_a_quest_not_submitted(author, psychologist):
    with pytest.raises(Conflict):
        services.review_submit(quest=quest_draft(author), reviewer=psychologist, scores=GOOD_SCORES)


def test_it_refuses_deciding_a_review_twice(author, psychologist):
    quest = quest_draft(author)
    services.quest_submit_for_review(quest=quest, by=author)
    review = services.review_submit(quest=quest, reviewer=psychologist, scores=GOOD_SCORES)
    services.review_reject(review=review, by=psychologist)

    with pytest.raises(Conflict):
        services.review_approve(review=review, by=psychologist)


def test_it_freezes_a_quest_under_review(author, psychologist):
    quest = quest_draft(author)
    services.quest_submit_for_review(quest=quest, by=author)

    with pytest.raises(Conflict):
        services.quest_update(quest=quest, by=author, title="Sneaky change")


def test_it_lets_a_rejected_quest_be_revised_resubmitted_and_keeps_the_history(author, psychologist):
    quest = quest_reviewed(quest_draft(author), psychologist, approve=False)
    with pytest.raises(Conflict):
        services.quest_submit_for_review(quest=quest, by=author)  # revise first

    services.quest_update(quest=quest, by=author, title="The forest, gentler")
    quest = quest_reviewed(quest, psychologist_create("second_opinion"))

    assert quest.moderation_status == ModerationStatus.APPROVED and quest.psychologist_reviewed
    history = list(selectors.review_history(quest=quest))
    assert [review.is_approved for review in history] == [True, False]
    assert quest.psychologist_review == history[0]


def test_it_unlists_an_approved_quest_whose_content_changes_but_not_when_only_visibility_does(author, psychologist):
    quest = quest_reviewed(quest_draft(author), psychologist)
    services.quest_update(quest=quest, by=author, is_public=False)
    quest.refresh_from_db()
    assert quest.moderation_status == ModerationStatus.APPROVED

    services.quest_update(quest=quest, by=author, is_public=True, title="New title")

    quest.refresh_from_db()
    assert quest.moderation_status == ModerationStatus.DRAFT and not quest.psychologist_reviewed
    assert quest.pk not in _listed_ids()


def test_it_advances_tracks_through_the_phases_one_quest_at_a_time(author, psychologist):
    phases = []
    for _ in range(9):
        quest_listed(author, psychologist)  # self work done: a quest written by hand and approved
        track = UserTrack.objects.get(user=author, track_type="self_work")
        phases.append((track.completed_activities, track.completion_percentage, track.current_phase))

    assert phases[0] == (1, 10, TrackPhase.AWARENESS)
    assert phases[2] == (3, 30, TrackPhase.EXPRESSION)
    assert phases[4] == (5, 50, TrackPhase.ACTION)
    assert phases[7] == (8, 80, TrackPhase.MASTERY)


def test_it_caps_a_track_at_100_percent(author, psychologist):
    for _ in range(12):
        quest_listed(author, psychologist)
    track = UserTrack.objects.get(user=author, track_type="self_work")
    assert (track.completed_activities, track.completion_percentage, track.current_phase) == (
        12,
        100,
        TrackPhase.MASTERY,
    )


def test_it_moves_the_creators_tracks_when_they_write_and_get_reviewed(author, psychologist):
    quest_reviewed(quest_draft(author), psychologist)

    tracks = {track.track_type: track for track in selectors.tracks_owned_by(user=author)}
    assert tracks["self_work"].completed_activities == 1
    # One review received, one quest approved.
    assert (tracks["community"].total_activities, tracks["community"].completed_activities) == (1, 1)
    assert not selectors.tracks_owned_by(user=psychologist).exists()
