"""Reads for teachers reviewing milestone attempts: the queue and one attempt, through ``myApp.lib.access``.

A teacher sees an attempt when the learner shared it for review (``review_requested_at`` set) and the
``teacher_of_course`` relationship holds (``myApp.curriculum.relationships``); staff see any shared attempt as a
recorded staff operation. Every look is written to the audit log; anything else answers 404.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from myApp.accounts.models import Role, User
from myApp.curriculum.models import Enrollment, MilestoneAttempt
from myApp.curriculum.models.speech import MilestoneReview
from myApp.curriculum.relationships import TEACHER_OF_COURSE
from myApp.lib import access

QUEUE_SIZE = 100


def reviews_milestones(user) -> bool:
    """Whether ``user`` has a milestone review queue: an active teacher, or staff (no query)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.role == Role.TEACHER or access.is_staff_operator(user)


def _shared() -> QuerySet[MilestoneAttempt]:
    return MilestoneAttempt.objects.filter(review_requested_at__isnull=False)


def milestone_attempts_for_review_by(*, teacher: User) -> QuerySet[MilestoneAttempt]:
    """The shared attempts of the learners enrolled in ``teacher``'s courses (never their own), oldest request
    first, unreviewed before reviewed. Reads only: ``milestone_review_queue`` records the looks."""
    if not (teacher.is_authenticated and teacher.is_active and teacher.role == Role.TEACHER):
        return MilestoneAttempt.objects.none()
    taught = Enrollment.objects.filter(user=OuterRef("user"), user__is_active=True, course__teacher=teacher)
    return _queue(_shared().filter(Exists(taught)).exclude(user=teacher))


def _queue(queryset: QuerySet[MilestoneAttempt]) -> QuerySet[MilestoneAttempt]:
    return (
        queryset.select_related("user", "level", "recording")
        .annotate(review_count=Count("reviews"))
        .order_by("review_count", "review_requested_at", "pk")
    )


@dataclass(frozen=True)
class ReviewQueue:
    attempts: list[MilestoneAttempt]
    as_staff: bool


def milestone_review_queue(*, viewer: User, where: str = "", limit: int = QUEUE_SIZE) -> ReviewQueue:
    """What ``viewer`` may review: a teacher's learners' shared attempts, or, for staff, every shared attempt (a
    staff operation). Each learner shown is recorded in the audit log. Three queries: the attempts, the records'
    insert and nothing per row."""
    as_staff = access.is_staff_operator(viewer) and viewer.role != Role.TEACHER
    if as_staff:
        attempts = list(_queue(_shared().exclude(user=viewer))[:limit])
        through = access.STAFF_OPERATIONS
    else:
        attempts = list(milestone_attempts_for_review_by(teacher=viewer)[:limit])
        through = TEACHER_OF_COURSE
    subjects = {attempt.user_id: attempt.user for attempt in attempts}
    access.record_many(
        [access.Access(viewer=viewer, subject=subject, through=through) for subject in subjects.values()],
        what=access.MILESTONE_REVIEW,
        where=where,
    )
    return ReviewQueue(attempts=attempts, as_staff=as_staff)


def milestone_attempt_for_reviewer(*, viewer: User, pk: int, where: str = "") -> MilestoneAttempt:
    """One shared attempt for a teacher of the learner (or staff), recorded; 404 for anyone else, for an attempt
    not shared (or withdrawn) and for one's own attempt."""
    if not viewer.is_authenticated or not 0 < pk < 2**63:
        raise Http404("No such attempt for you.")
    attempt = (
        _shared()
        .select_related("user", "level", "recording")
        .prefetch_related(Prefetch("reviews", queryset=MilestoneReview.objects.select_related("reviewer")))
        .exclude(user=viewer)
        .filter(pk=pk)
        .first()
    )
    if attempt is None:
        raise Http404("No such attempt for you.")
    access.subject_visible_to(
        viewer=viewer, subject_id=attempt.user_id, what=access.MILESTONE_REVIEW, where=where, staff_operations=True
    )
    return attempt


def may_review(*, viewer: User, attempt: MilestoneAttempt) -> bool:
    """Whether ``viewer`` may review ``attempt`` now (reads only; the page's link, not the check)."""
    if attempt.review_requested_at is None or attempt.user_id == viewer.pk:
        return False
    if access.is_staff_operator(viewer):
        return True
    return (
        access.relationship_between(viewer=viewer, subject_id=attempt.user_id, what=access.MILESTONE_REVIEW) is not None
    )
