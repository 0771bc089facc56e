"""Recovery tracks count distinct activities derived from their sources (quests, builder sessions,
reviews), never how often an activity was reported."""

import pytest

from myApp.quests import selectors, services
from myApp.quests.models import TrackPhase, TrackType, UserTrack
from myApp.quests.services.tracks import Activity
from tests.quest_builder_helpers import builder_ready
from tests.quest_helpers import GOOD_SCORES, psychologist_create, quest_draft, quest_finish, quest_listed

pytestmark = pytest.mark.django_db


def _tracks(user) -> dict[str, tuple[int, int]]:
    return {
        track.track_type: (track.total_activities, track.completed_activities)
        for track in selectors.tracks_owned_by(user=user)
    }


def test_it_counts_distinct_quests_finished_not_finishes(owner, author, psychologist):
    first, second = quest_listed(author, psychologist), quest_listed(author, psychologist, title="Second")
    for _ in range(3):
        quest_finish(owner, first)
    assert _tracks(owner) == {TrackType.CHILD_CONNECTION: (1, 1)}

    services.quest_play_start(user=owner, quest=second)
    assert _tracks(owner) == {TrackType.CHILD_CONNECTION: (2, 1)}
    quest_finish(owner, second)
    assert _tracks(owner) == {TrackType.CHILD_CONNECTION: (2, 2)}


def test_it_changes_nothing_when_an_activity_is_reported_again(owner, author, psychologist):
    quest_finish(owner, quest_listed(author, psychologist))
    for _ in range(10):
        track = services.track_activity_record(user=owner, activity=Activity.QUEST_COMPLETED)

    assert (track.total_activities, track.completed_activities, track.current_phase) == (1, 1, TrackPhase.AWARENESS)


def test_it_advances_the_child_connection_track_when_a_builder_session_makes_a_quest(author):
    session = builder_ready(author)
    services.builder_finish(session=session, by=author)

    assert _tracks(author) == {TrackType.CHILD_CONNECTION: (1, 1), TrackType.SELF_WORK: (0, 0)}
    quest_draft(author)  # one written by hand is self work under way, done once a psychologist approves it
    assert _tracks(author) == {TrackType.CHILD_CONNECTION: (1, 1), TrackType.SELF_WORK: (1, 0)}


def test_it_advances_the_community_track_per_review_received_and_per_quest_approved(author, psychologist):
    quest = quest_draft(author)
    services.quest_submit_for_review(quest=quest, by=author)
    rejected = services.review_submit(quest=quest, reviewer=psychologist, scores=GOOD_SCORES)
    assert _tracks(author)[TrackType.COMMUNITY] == (1, 0)
    services.review_reject(review=rejected, by=psychologist)
    services.quest_update(quest=quest, by=author, title="Revised")
    services.quest_submit_for_review(quest=quest, by=author)
    approved = services.review_submit(quest=quest, reviewer=psychologist, scores=GOOD_SCORES)
    services.review_approve(review=approved, by=psychologist)
    assert _tracks(author)[TrackType.COMMUNITY] == (2, 1)

    # Approved again after another revision: a third review, still one quest approved.
    services.quest_update(quest=quest, by=author, title="Revised again")
    services.quest_submit_for_review(quest=quest, by=author)
    colleague = psychologist_create("colleague")
    services.review_submit_and_decide(quest=quest, reviewer=colleague, scores=GOOD_SCORES, approve=True)
    assert _tracks(author)[TrackType.COMMUNITY] == (3, 1)


def test_it_keeps_the_first_finish_across_replays(owner, author, psychologist):
    quest = quest_listed(author, psychologist)
    first = quest_finish(owner, quest).first_completed_at
    progress = services.quest_play_start(user=owner, quest=quest)
    assert (progress.completed, progress.completed_at, progress.first_completed_at) == (False, None, first)
    assert quest_finish(owner, quest).first_completed_at == first
    assert UserTrack.objects.get(user=owner).completed_activities == 1


def test_an_approved_quest_changed_back_to_a_draft_is_no_longer_self_work_done(author, psychologist):
    quest = quest_listed(author, psychologist)
    assert _tracks(author)[TrackType.SELF_WORK] == (1, 1)

    services.quest_update(quest=quest, by=author, title="A new version")

    assert _tracks(author)[TrackType.SELF_WORK] == (1, 0)


def test_it_advances_negotiation_when_a_rejected_quest_is_revised_sent_again_and_approved(author, psychologist):
    """The negotiation track had no source: nothing moved it. It is a reviewer's concerns worked into a quest."""
    quest = quest_draft(author)
    services.quest_submit_for_review(quest=quest, by=author)
    first = services.review_submit(quest=quest, reviewer=psychologist, scores=GOOD_SCORES)
    assert _tracks(author)[TrackType.NEGOTIATION] == (0, 0)  # a first review is no negotiation yet
    services.review_reject(review=first, by=psychologist)
    assert _tracks(author)[TrackType.NEGOTIATION] == (0, 0)  # turned down, not yet answered

    services.quest_update(quest=quest, by=author, title="Revised with the concerns in mind")
    services.quest_submit_for_review(quest=quest, by=author)
    assert _tracks(author)[TrackType.NEGOTIATION] == (1, 0)  # sent again: under way
    second = services.review_submit(quest=quest, reviewer=psychologist, scores=GOOD_SCORES)
    services.review_reject(review=second, by=psychologist)
    assert _tracks(author)[TrackType.NEGOTIATION] == (1, 0)  # turned down again: still one quest under way

    services.quest_update(quest=quest, by=author, title="Revised twice")
    services.quest_submit_for_review(quest=quest, by=author)
    third = services.review_submit(quest=quest, reviewer=psychologist, scores=GOOD_SCORES)
    services.review_approve(review=third, by=psychologist)
    track = UserTrack.objects.get(user=author, track_type=TrackType.NEGOTIATION)
    assert (track.total_activities, track.completed_activities, track.completion_percentage) == (1, 1, 10)


def test_a_quest_approved_at_once_or_never_sent_again_is_no_negotiation(author, psychologist):
    quest_listed(author, psychologist)  # approved on its first review
    rejected = quest_draft(author, title="Turned down")
    sent = services.quest_submit_for_review(quest=rejected, by=author)
    review = services.review_submit(quest=sent, reviewer=psychologist, scores=GOOD_SCORES)
    services.review_reject(review=review, by=psychologist)
    other = quest_draft(psychologist_create("someone"), title="Someone else's")
    services.quest_submit_for_review(quest=other, by=other.creator)

    assert _tracks(author)[TrackType.NEGOTIATION] == (0, 0)
