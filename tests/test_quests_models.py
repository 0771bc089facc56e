"""The database holds the quests' invariants, whatever code writes the rows."""

import pytest
from django.db import IntegrityError, transaction

from myApp.quests.models import PsychologistReview, QuestProgress, QuestRating, UserQuestLibrary, UserTrack
from tests.quest_helpers import GOOD_SCORES, quest_draft

pytestmark = pytest.mark.django_db


def _refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.parametrize("field", list(GOOD_SCORES))
@pytest.mark.parametrize("score", [0, 6])
def test_it_keeps_every_review_score_between_1_and_5(author, psychologist, field, score):
    quest = quest_draft(author)
    scores = {**GOOD_SCORES, field: score}

    _refused(
        lambda: PsychologistReview.objects.create(
            quest=quest, reviewer=psychologist, reviewed_at=quest.created_at, **scores
        )
    )


def test_it_keeps_one_rating_per_person_and_quest_between_1_and_5(author, owner):
    quest = quest_draft(author)
    _refused(lambda: QuestRating.objects.create(user=owner, quest=quest, rating=6))
    QuestRating.objects.create(user=owner, quest=quest, rating=5)
    _refused(lambda: QuestRating.objects.create(user=owner, quest=quest, rating=4))


def test_it_keeps_library_entries_and_progress_unique(author, owner):
    quest = quest_draft(author)
    UserQuestLibrary.objects.create(user=owner, quest=quest)
    _refused(lambda: UserQuestLibrary.objects.create(user=owner, quest=quest))
    QuestProgress.objects.create(user=owner, quest=quest, current_node="start")
    _refused(lambda: QuestProgress.objects.create(user=owner, quest=quest, current_node="start"))


@pytest.mark.parametrize(
    "values", [{"completion_percentage": 101}, {"track_type": "hobbies"}, {"current_phase": "done"}]
)
def test_it_keeps_tracks_valid(owner, values):
    _refused(lambda: UserTrack.objects.create(user=owner, **{"track_type": "self_work", **values}))


def test_it_keeps_one_track_of_each_type(owner):
    UserTrack.objects.create(user=owner, track_type="self_work")
    _refused(lambda: UserTrack.objects.create(user=owner, track_type="self_work"))


def test_it_refuses_a_reviewed_quest_that_is_not_approved(author):
    quest = quest_draft(author)
    quest.psychologist_reviewed = True
    _refused(lambda: quest.save())


def test_it_refuses_a_cached_rating_outside_1_to_5(author):
    quest = quest_draft(author)
    quest.rating = 5.5
    _refused(lambda: quest.save())
