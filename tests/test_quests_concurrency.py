"""Counters and averages stay exact when players race: real threads on PostgreSQL, each with its own connection."""

from statistics import mean

import pytest

from myApp.lib.exceptions import Conflict
from myApp.quests import services
from myApp.quests.models import ModerationStatus, Quest, QuestProgress, UserQuestLibrary, UserTrack
from tests.concurrency import race
from tests.factories import UserFactory
from tests.quest_helpers import quest_draft, quest_finish, quest_listed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 8


@pytest.fixture
def quest(author, psychologist) -> Quest:
    return quest_listed(author, psychologist)


@pytest.fixture
def players(db):
    return [UserFactory(username=f"racer{index}") for index in range(RACERS)]


def test_it_keeps_the_rating_the_exact_average_when_ratings_race(quest, players):
    for player in players:
        services.quest_play_start(user=player, quest=quest)
    scores = [1, 5, 4, 2, 5, 3, 5, 4]

    race(
        *[
            lambda player=player, score=score: services.quest_rate(user=player, quest=quest, rating=score)
            for player, score in zip(players, scores, strict=True)
        ]
    )

    quest.refresh_from_db()
    assert quest.rating == pytest.approx(mean(scores))


def test_it_keeps_the_average_exact_when_re_ratings_race_new_ones(quest, players):
    for player in players:
        services.quest_play_start(user=player, quest=quest)
        services.quest_rate(user=player, quest=quest, rating=1)

    race(*[lambda player=player: services.quest_rate(user=player, quest=quest, rating=5) for player in players[:4]])

    quest.refresh_from_db()
    assert quest.rating == pytest.approx(3)


def test_it_counts_every_play_when_starts_race(quest, players):
    race(*[lambda player=player: services.quest_play_start(user=player, quest=quest) for player in players])

    quest.refresh_from_db()
    assert quest.plays_count == RACERS
    assert QuestProgress.objects.filter(quest=quest).count() == RACERS


def test_it_counts_one_play_when_one_players_starts_race(quest, owner):
    race(*[lambda: services.quest_play_start(user=owner, quest=quest)] * 6)

    quest.refresh_from_db()
    assert quest.plays_count == 1
    assert QuestProgress.objects.get(user=owner, quest=quest).session_count == 6


def test_it_counts_every_reveal_view_when_views_race(quest, players):
    for player in players:
        quest_finish(player, quest)

    race(*[lambda player=player: services.quest_reveal_view(user=player, quest=quest) for player in players])

    quest.refresh_from_db()
    assert quest.reveal_count == RACERS and quest.last_reveal_at is not None


def test_it_moves_one_step_when_one_players_advances_race(quest, owner):
    services.quest_play_start(user=owner, quest=quest)

    results = race(*[lambda: services.quest_play_advance(user=owner, quest=quest, edge_id="e1")] * 4)

    assert sum(isinstance(result, QuestProgress) for result in results) == 1  # the others: 409
    assert QuestProgress.objects.get(user=owner, quest=quest).current_step == 1


def test_it_counts_every_activity_when_activities_race(author):
    """Each racer writes a quest and recounts the track; the last to take the track's lock counts all (written
    by hand and not yet approved: under way, none done)."""
    race(*[lambda: quest_draft(author)] * RACERS)

    track = UserTrack.objects.get(user=author, track_type="self_work")
    assert (track.total_activities, track.completed_activities, track.completion_percentage) == (8, 0, 0)
    assert track.current_phase == "awareness"


def test_racing_submissions_leave_at_most_the_cap_awaiting_review(author):
    """Submissions are counted under a lock on their writer, so racing ones cannot all pass the count."""
    drafts = [quest_draft(author, title=f"Draft {number}") for number in range(RACERS)]
    outcomes = race(*[lambda draft=draft: _submit_or_conflict(draft, author) for draft in drafts])

    waiting = Quest.objects.filter(creator=author, moderation_status=ModerationStatus.PENDING_REVIEW).count()
    assert waiting == services.MAX_AWAITING_REVIEW
    assert (
        sorted(outcomes)
        == ["conflict"] * (RACERS - services.MAX_AWAITING_REVIEW) + ["submitted"] * services.MAX_AWAITING_REVIEW
    )


def _submit_or_conflict(draft, author) -> str:
    try:
        services.quest_submit_for_review(quest=draft, by=author)
    except Conflict:
        return "conflict"
    return "submitted"


def test_it_adds_to_the_library_once_when_adds_race(quest, owner):
    race(*[lambda: services.library_add(user=owner, quest=quest)] * 6)

    assert UserQuestLibrary.objects.filter(user=owner, quest=quest).count() == 1


def test_it_counts_no_new_play_when_a_finished_players_replays_race(quest, owner, players):
    """A play is a player: replays after finishing, racing each other and new players' first starts,
    add only the new players."""
    quest_finish(owner, quest)
    newcomers = players[:3]

    race(
        *[lambda: services.quest_play_start(user=owner, quest=quest)] * 4,
        *[lambda player=player: services.quest_play_start(user=player, quest=quest) for player in newcomers],
    )

    quest.refresh_from_db()
    assert quest.plays_count == 1 + len(newcomers)
    assert QuestProgress.objects.get(user=owner, quest=quest).session_count == 1 + 4
