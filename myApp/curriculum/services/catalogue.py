"""The course catalogue: enrolling and purchasing, both idempotent per learner and course."""

from django.db import transaction

from myApp.accounts.models import User
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.curriculum.models import Course, Enrollment, Purchase
from myApp.lib.exceptions import ServiceError


@transaction.atomic
def course_enroll(*, user: User, course: Course) -> tuple[Enrollment, bool]:
    """Enroll in a course (a free course counts as paid). Returns (enrollment, created).

    Atomic: the enrollment and its analytics event are written together or not at all."""
    enrollment, created = Enrollment.objects.get_or_create(
        user=user, course=course, defaults={"is_paid": course.is_free}
    )
    if created:
        track(event_type=events.COURSE_ENROLLED, user=user, data={"course_id": course.pk})
    return enrollment, created


@transaction.atomic
def course_purchase(*, user: User, course: Course) -> tuple[Purchase, bool]:
    """Record a purchase at the course's price and mark the enrollment paid.

    The amount comes from the catalogue, never from the client. Payment capture is
    outside this system: this records a completed payment. Returns (purchase, created).
    """
    if course.is_free:
        raise ServiceError("This course is free.", errors={"course": ["Enroll instead; nothing to buy."]})
    purchase, created = Purchase.objects.get_or_create(
        user=user, course=course, defaults={"amount": course.price, "currency": course.currency}
    )
    enrollment, _ = course_enroll(user=user, course=course)
    if not enrollment.is_paid:
        Enrollment.objects.filter(pk=enrollment.pk).update(is_paid=True)
    if created:
        track(
            event_type=events.COURSE_PURCHASED,
            user=user,
            data={"course_id": course.pk, "amount": str(purchase.amount), "currency": purchase.currency},
        )
    return purchase, created
