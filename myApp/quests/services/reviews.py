"""Psychologist review: a psychologist submits a review of a quest awaiting one, then approves or
rejects it. Every review is kept; the quest points at its current one."""

from django.db import transaction
from django.utils import timezone

from myApp.accounts.services import is_psychologist
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.lib.exceptions import Conflict, NotAllowed
from myApp.quests import selectors
from myApp.quests.models import SCORE_FIELDS, ModerationStatus, PsychologistReview, Quest
from myApp.quests.services.tracks import Activity, track_activity_record


def _require_psychologist(user) -> None:
    if not is_psychologist(user):
        raise NotAllowed("Only psychologists review quests.")


def _require_independent(*, quest: Quest, reviewer) -> None:
    """A quest's review comes from outside its creator's family: not the creator, and not someone linked
    to them as parent or child (a psychologist whose parent wrote the quest, or whose child did). The same
    rule as ratings (``selectors.family_linked``), for the decision that lists a quest."""
    if quest.creator_id == reviewer.pk:
        raise NotAllowed("A psychologist cannot review their own quest.")
    if selectors.family_linked(user=reviewer, other_id=quest.creator_id):
        raise NotAllowed("A psychologist cannot review a quest written by their own family.")


@transaction.atomic
def review_submit(
    *,
    quest: Quest,
    reviewer,
    scores: dict[str, int],
    strengths: str = "",
    concerns: str = "",
    recommendations: str = "",
) -> PsychologistReview:
    """A psychologist's review of a quest awaiting review (not their own); scores are 1-5 (400 otherwise).
    It becomes the quest's current review, awaiting approval or rejection."""
    _require_psychologist(reviewer)
    _require_independent(quest=quest, reviewer=reviewer)
    quest = Quest.objects.select_for_update().get(pk=quest.pk)
    if quest.moderation_status != ModerationStatus.PENDING_REVIEW:
        raise Conflict("Only a quest submitted for review can be reviewed.")
    current = quest.psychologist_review
    if current is not None and current.is_approved is None:
        raise Conflict("This quest already has a review awaiting a decision.")
    unknown = sorted(set(scores) - set(SCORE_FIELDS))
    if unknown:
        raise ValueError(f"Unknown scores: {', '.join(unknown)}")
    review = PsychologistReview(
        quest=quest,
        reviewer=reviewer,
        strengths=strengths,
        concerns=concerns,
        recommendations=recommendations,
        reviewed_at=timezone.now(),
        **{field: scores.get(field) for field in SCORE_FIELDS},
    )
    review.full_clean(exclude=["quest", "reviewer"])  # scores 1-5 (the database checks them too)
    review.save()
    quest.psychologist_review = review
    quest.save(update_fields=["psychologist_review", "updated_at"])
    track_activity_record(user=quest.creator, activity=Activity.REVIEW_RECEIVED)
    track(event_type=events.QUEST_REVIEWED, user=reviewer, data={"quest_id": quest.pk, "review_id": review.pk})
    return review


def _decide(*, review: PsychologistReview, by, approve: bool) -> PsychologistReview:
    _require_psychologist(by)
    quest = Quest.objects.select_for_update().get(pk=review.quest_id)
    if quest.creator_id == by.pk:
        raise NotAllowed("A psychologist cannot decide the review of their own quest.")
    if selectors.family_linked(user=by, other_id=quest.creator_id):
        raise NotAllowed("A psychologist cannot decide the review of a quest written by their own family.")
    review = PsychologistReview.objects.select_for_update().get(pk=review.pk)
    if review.is_approved is not None:
        raise Conflict("This review has already been decided.")
    if quest.psychologist_review_id != review.pk or quest.moderation_status != ModerationStatus.PENDING_REVIEW:
        raise Conflict("This review is not the quest's current one.")
    now = timezone.now()
    review.is_approved = approve
    review.decided_by = by
    review.decided_at = now
    review.save(update_fields=["is_approved", "decided_by", "decided_at"])
    quest.moderation_status = ModerationStatus.APPROVED if approve else ModerationStatus.REJECTED
    quest.psychologist_reviewed = approve
    quest.reviewed_at = now
    quest.save(update_fields=["moderation_status", "psychologist_reviewed", "reviewed_at", "updated_at"])
    if approve:
        track_activity_record(user=quest.creator, activity=Activity.QUEST_APPROVED)
    track(
        event_type=events.QUEST_APPROVED if approve else events.QUEST_REJECTED,
        user=by,
        data={"quest_id": quest.pk, "review_id": review.pk},
    )
    return review


@transaction.atomic
def review_approve(*, review: PsychologistReview, by) -> PsychologistReview:
    """A psychologist approves the quest's current review: the quest is reviewed (listed if public)."""
    return _decide(review=review, by=by, approve=True)


@transaction.atomic
def review_reject(*, review: PsychologistReview, by) -> PsychologistReview:
    """A psychologist rejects it: the quest is unlisted until revised, resubmitted and approved."""
    return _decide(review=review, by=by, approve=False)


@transaction.atomic
def review_submit_and_decide(
    *,
    quest: Quest,
    reviewer,
    scores: dict[str, int],
    approve: bool,
    strengths: str = "",
    concerns: str = "",
    recommendations: str = "",
) -> PsychologistReview:
    """A review and its decision at once (the review page's one form): ``review_submit`` then approve
    or reject, both or neither."""
    review = review_submit(
        quest=quest,
        reviewer=reviewer,
        scores=scores,
        strengths=strengths,
        concerns=concerns,
        recommendations=recommendations,
    )
    return _decide(review=review, by=reviewer, approve=approve)
