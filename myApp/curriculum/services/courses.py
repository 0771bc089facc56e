"""Managing the course catalogue: teachers run their own courses, staff run every course."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from myApp.accounts.models import User
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.curriculum import selectors
from myApp.curriculum.models import Course
from myApp.lib import access
from myApp.lib.exceptions import Conflict, NotAllowed, ServiceError

# What a course's manager may set; ``teacher`` and ``created_by`` follow the rules below.
COURSE_EDITABLE_FIELDS = (
    "title",
    "description",
    "level",
    "course_order",
    "course_number",
    "country",
    "file_metadata",
    "price",
    "currency",
)


def _may_teach(user: User) -> bool:
    """The one rule of who teaches (``selectors.course_teachers``): the caller who runs courses and the
    teacher a course names both follow it."""
    return selectors.course_teachers().filter(pk=user.pk).exists()


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - set(COURSE_EDITABLE_FIELDS))
    if unknown:
        raise ServiceError("Unknown course fields.", errors={name: ["This field cannot be set."] for name in unknown})


def _check_teacher(teacher: User | None) -> None:
    if teacher is not None and not _may_teach(teacher):
        raise ServiceError("Invalid teacher.", errors={"teacher": ["This user is not a teacher."]})


def _save(course: Course, *, update_fields: list[str] | None = None) -> None:
    try:
        course.full_clean()
    except ValidationError as exc:
        raise ServiceError("Invalid course.", errors=exc.message_dict) from None
    try:
        with transaction.atomic():
            course.save(update_fields=update_fields)
    except IntegrityError:  # a concurrent write took the course number between the check and the save
        raise Conflict(
            "Course number taken.", errors={"course_number": ["A course with this number exists."]}
        ) from None


def course_create(*, by: User, teacher: User | None = None, **fields: Any) -> Course:
    """Create a course. Staff may assign any teacher; a teacher always creates their own course."""
    if not _may_teach(by):
        raise NotAllowed("Only teachers and staff create courses.")
    _check_fields(fields)
    if not access.is_staff_operator(by):
        if teacher is not None and teacher.pk != by.pk:
            raise NotAllowed("Teachers create their own courses.", errors={"teacher": ["Only staff assign teachers."]})
        teacher = by
    _check_teacher(teacher)
    course = Course(teacher=teacher, created_by=by, **fields)
    _save(course)
    track(event_type=events.COURSE_CREATED, user=by, data={"course_id": course.pk})
    return course


def course_update(*, by: User, course: Course, **fields: Any) -> Course:
    """Change a course: staff any course and its teacher, a teacher only their own course's content."""
    teacher_given = "teacher" in fields
    teacher = fields.pop("teacher", None)
    if not (access.is_staff_operator(by) or (course.teacher_id == by.pk and _may_teach(by))):
        raise NotAllowed("Only the course's teacher or staff change a course.")
    if teacher_given and not access.is_staff_operator(by) and (teacher is None or teacher.pk != by.pk):
        raise NotAllowed("Only staff reassign a course.", errors={"teacher": ["Only staff assign teachers."]})
    _check_fields(fields)
    if teacher_given:
        _check_teacher(teacher)
        course.teacher = teacher
    for name, value in fields.items():
        setattr(course, name, value)
    changed = [*fields, *(["teacher"] if teacher_given else [])]
    if not changed:
        return course
    _save(course, update_fields=[*changed, "updated_at"])
    track(event_type=events.COURSE_UPDATED, user=by, data={"course_id": course.pk, "fields": sorted(changed)})
    return course


def may_assign_teachers(user: User) -> bool:
    """Naming a course's teacher (another user) is a staff operation; a teacher only ever names themselves."""
    return access.is_staff_operator(user)


def course_manage_check(*, by: User, course: Course | None = None) -> None:
    """Refuse (403) a caller who may not create courses (``course`` None) or change ``course``, before
    their input is validated, so the answer to a refused caller never depends on what they sent (an
    unknown teacher id, a taken course number). ``course_create``/``course_update`` check again."""
    if course is None:
        if not _may_teach(by):
            raise NotAllowed("Only teachers and staff create courses.")
    elif not (access.is_staff_operator(by) or (course.teacher_id == by.pk and _may_teach(by))):
        raise NotAllowed("Only the course's teacher or staff change a course.")
