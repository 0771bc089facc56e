"""The curriculum's relationship (see ``myApp.lib.access``): a teacher with the learners of their courses.

A teacher (role TEACHER, active) of a course a learner is enrolled in may see the milestone attempts that learner
shared for review (``MilestoneAttempt.review_requested_at``), listen to them and review them. The relationship is
read afresh on every request: leaving the course, a teacher losing the role or being deactivated ends it.
Which attempts are shared is a row rule the review selectors apply on top (``myApp.curriculum.review_selectors``).
"""

from myApp.accounts.models import Role
from myApp.curriculum.models import Enrollment
from myApp.lib import access

TEACHER_OF_COURSE = "teacher_of_course"


def _is_teacher(viewer) -> bool:
    return bool(viewer is not None and viewer.is_authenticated and viewer.is_active and viewer.role == Role.TEACHER)


def teacher_of_course_holds(*, viewer, subject_id: int) -> bool:
    if not _is_teacher(viewer):
        return False
    return Enrollment.objects.filter(user_id=subject_id, user__is_active=True, course__teacher=viewer).exists()


def teacher_of_course_holding(*, viewer, subject_ids: list[int]) -> set[int]:
    if not _is_teacher(viewer):
        return set()
    return set(
        Enrollment.objects.filter(user_id__in=subject_ids, user__is_active=True, course__teacher=viewer).values_list(
            "user_id", flat=True
        )
    )


def register() -> None:
    access.register_relationship(
        TEACHER_OF_COURSE,
        grants={access.MILESTONE_REVIEW},
        holds=teacher_of_course_holds,
        holds_many=teacher_of_course_holding,
    )
