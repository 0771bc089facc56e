"""The level's reward is paid once however reviews and the analysis race to decide a milestone attempt.

Real threads on PostgreSQL, each with its own connection, started together at a barrier (tests.concurrency).
"""

import pytest

from myApp.accounts.models import Profile
from myApp.curriculum import services
from myApp.curriculum.models import MilestoneAttempt
from myApp.curriculum.models.speech import MilestoneReview
from tests.concurrency import race
from tests.milestone_review_helpers import (
    GOOD_ACOUSTIC,
    attach_recording,
    complete_analysis,
    linked_attempt,
    ready_for_milestone,
    teacher_of,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ALL_HIGH = {"clarity": 95, "structure": 95, "pacing": 95, "confidence": 95, "engagement": 95}


def xp(user) -> int:
    return Profile.objects.get(user=user).xp


def test_it_pays_once_when_two_reviews_lift_an_attempt_to_a_pass_together(owner, curriculum, complete_lesson):
    ready_for_milestone(owner, curriculum, complete_lesson)
    first, second = teacher_of(owner, username="teacher1"), teacher_of(owner, username="teacher2")
    attempt = linked_attempt(owner, curriculum.level, score=30)
    assert not attempt.pass_bool
    xp_before = xp(owner)

    def review(teacher):
        return lambda: services.milestone_review_create(
            reviewer=teacher, attempt_id=attempt.pk, comments="Well done.", scores=ALL_HIGH
        )

    race(review(first), review(second), review(first), review(second))
    attempt.refresh_from_db()
    assert (attempt.pass_bool, attempt.rewarded) == (True, True)
    assert MilestoneReview.objects.filter(attempt=attempt).count() == 4
    assert xp(owner) == xp_before + curriculum.level.milestone_xp_reward


def test_it_pays_once_when_the_analysis_and_a_review_decide_together(owner, curriculum, complete_lesson):
    ready_for_milestone(owner, curriculum, complete_lesson)
    teacher = teacher_of(owner, username="teacher")
    attempt = linked_attempt(owner, curriculum.level, score=50)
    MilestoneAttempt.objects.filter(pk=attempt.pk).update(pass_bool=False, rewarded=False)
    recording = attach_recording(attempt)
    xp_before = xp(owner)

    def analysis_finishes():  # what the analysis task does at its end
        complete_analysis(recording, GOOD_ACOUSTIC)
        return services.milestone_decide(attempt_id=attempt.pk)

    def review():
        return services.milestone_review_create(
            reviewer=teacher, attempt_id=attempt.pk, comments="Good pace.", scores=ALL_HIGH
        )

    race(analysis_finishes, review, review)
    attempt.refresh_from_db()
    assert (attempt.pass_bool, attempt.rewarded) == (True, True)
    assert attempt.score == round((95 + 100) / 2)
    assert xp(owner) == xp_before + curriculum.level.milestone_xp_reward


def test_it_pays_once_per_level_when_two_attempts_pass_by_review_together(owner, curriculum, complete_lesson):
    ready_for_milestone(owner, curriculum, complete_lesson)
    teacher = teacher_of(owner, username="teacher")
    attempts = [linked_attempt(owner, curriculum.level, score=30) for _ in range(3)]
    xp_before = xp(owner)
    race(
        *[
            (
                lambda attempt=attempt: services.milestone_review_create(
                    reviewer=teacher, attempt_id=attempt.pk, comments="Yes.", scores=ALL_HIGH
                )
            )
            for attempt in attempts
        ]
    )
    assert MilestoneAttempt.objects.filter(user=owner, pass_bool=True).count() == 3
    assert MilestoneAttempt.objects.filter(user=owner, rewarded=True).count() == 1
    assert xp(owner) == xp_before + curriculum.level.milestone_xp_reward
