"""A teacher's review of a milestone attempt the learner shared: comments and optional scores on the assessed
criteria, after which the attempt is decided again (``milestone_decide``: a review can lift it to a pass)."""

from django.db import transaction
from django.http import Http404

from myApp.accounts.models import User
from myApp.curriculum import review_selectors
from myApp.curriculum.models import MilestoneAttempt
from myApp.curriculum.models.speech import MilestoneReview
from myApp.curriculum.services.milestones import milestone_decide, validate_scores
from myApp.lib.exceptions import ServiceError

MAX_COMMENTS = 4000


def _clean_comments(comments: object) -> str:
    if not isinstance(comments, str) or not comments.strip():
        raise ServiceError("Invalid review.", errors={"comments": ["Write your comments for the learner."]})
    if "\x00" in comments:
        raise ServiceError("Invalid review.", errors={"comments": ["Comments cannot contain NUL characters."]})
    comments = comments.strip()
    if len(comments) > MAX_COMMENTS:
        raise ServiceError("Invalid review.", errors={"comments": [f"At most {MAX_COMMENTS} characters."]})
    return comments


@transaction.atomic
def milestone_review_create(
    *, reviewer: User, attempt_id: int, comments: str, scores: dict | None = None, where: str = ""
) -> MilestoneReview:
    """Add ``reviewer``'s review to a shared attempt they may review (404 otherwise, revealing nothing), then
    decide the attempt again with the reviews' scores."""
    comments = _clean_comments(comments)
    scores = validate_scores(scores or {}, field="scores", required=False)
    attempt = review_selectors.milestone_attempt_for_reviewer(viewer=reviewer, pk=attempt_id, where=where)
    # The learner may withdraw the request concurrently: the lock orders the two, and a withdrawn one is gone.
    locked = MilestoneAttempt.objects.select_for_update().filter(pk=attempt.pk, review_requested_at__isnull=False)
    if locked.first() is None:
        raise Http404("No such attempt for you.")
    review = MilestoneReview.objects.create(attempt=attempt, reviewer=reviewer, comments=comments, scores=scores)
    milestone_decide(attempt_id=attempt.pk)
    return review
