"""Seed 004's staff dashboard figures (``GET /api/admin/dashboard``), computed with SQL aggregates in a constant
number of queries (eight, whatever the number of users, courses or messages) and cached briefly.

Days are calendar days in the site's time zone (``settings.TIME_ZONE``); the last ``ACTIVITY_DAYS`` days, today
included, are all present, a day without sessions with zeros. A session counts on the day it started. The cache
holds the figures for ``CACHE_SECONDS``; with Redis down the cache answers misses (``lib.redis_cache``'s breaker)
and the figures are computed each time, never an error.
"""

import datetime
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from myApp.accounts.models import Role, User
from myApp.curriculum.models import Course, Enrollment, Purchase
from myApp.sessions.models import Conversation, Message

ACTIVITY_DAYS = 7
RECENT_USERS = 10
CACHE_KEY = "analytics:dashboard:v2"
CACHE_SECONDS = 30


def dashboard(*, now: datetime.datetime | None = None, cached: bool = True) -> tuple[datetime.datetime, dict]:
    """When the figures were computed, and the figures: from the cache when it holds them (at most
    ``CACHE_SECONDS`` old). The time goes out as the API's ``timestamp``, so cached figures never claim to be
    newer than they are (new-user review)."""
    if cached:
        found = cache.get(CACHE_KEY)
        if found is not None:
            return found
    now = now or timezone.now()
    computed = (now, dashboard_figures(now=now))
    if cached:
        cache.set(CACHE_KEY, computed, CACHE_SECONDS)
    return computed


def dashboard_figures(*, now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    # Grouped by role, PostgreSQL counts from the role index alone (21 ms at 100k users, against 29 for one
    # FILTER per role over the table).
    by_role = dict(User.objects.order_by().values_list("role").annotate(n=Count("*")))
    users = {role: by_role.get(role, 0) for role in Role.values}
    courses = list(
        Course.objects.annotate(
            enrollment_count=_enrollments_of_course(),
            paid_enrollment_count=_enrollments_of_course(is_paid=True),
        )
        .order_by("course_order", "id")
        .values("id", "title", "country", "level", "enrollment_count", "paid_enrollment_count")
    )
    purchases = Purchase.objects.aggregate(total=Count("pk"), revenue=Sum("amount"))
    by_currency = {
        row["currency"]: _money(row["revenue"])
        for row in Purchase.objects.values("currency").annotate(revenue=Sum("amount")).order_by("currency")
    }
    recent = [
        {"id": pk, "username": username, "email": email, "role": role, "created_at": joined.isoformat()}
        for pk, username, email, role, joined in User.objects.order_by("-date_joined", "-id").values_list(
            "id", "username", "email", "role", "date_joined"
        )[:RECENT_USERS]
    ]
    return {
        "total_courses": len(courses),
        "total_users": sum(users.values()),
        "users_by_role": users,
        "active_sessions_24h": Conversation.objects.filter(
            last_activity_at__gte=now - datetime.timedelta(days=1)
        ).count(),
        "total_messages": Message.objects.count(),
        "total_enrollments": sum(course["enrollment_count"] for course in courses),
        "paid_enrollments": sum(course["paid_enrollment_count"] for course in courses),
        "total_purchases": purchases["total"],
        "total_revenue": _money(purchases["revenue"]),
        "revenue_by_currency": by_currency,
        "courses": courses,
        "recent_users": recent,
        "session_activity_7d": _session_activity(now),
    }


def _enrollments_of_course(**filters) -> Coalesce:
    """A course's enrolments as a correlated COUNT(*): PostgreSQL counts them from the (course, is_paid) index
    alone, where a join grouped by course read and hashed every enrolment row (41 ms at 100k, against 26)."""
    counted = (
        Enrollment.objects.filter(course=OuterRef("pk"), **filters)
        .order_by()
        .values("course")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def _money(amount: Decimal | None) -> float:
    return float(amount or 0)


def _session_activity(now: datetime.datetime) -> list[dict]:
    today = timezone.localdate(now)
    first = today - datetime.timedelta(days=ACTIVITY_DAYS - 1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    rows = {
        row["day"]: row
        for row in Conversation.objects.filter(started_at__gte=start, started_at__lte=now)
        .annotate(day=TruncDate("started_at"))
        .values("day")
        .annotate(session_count=Count("pk"), unique_users=Count("user", distinct=True))
        .order_by("day")
    }
    days = [first + datetime.timedelta(days=offset) for offset in range(ACTIVITY_DAYS)]
    return [
        {
            "date": day.isoformat(),
            "session_count": rows[day]["session_count"] if day in rows else 0,
            "unique_users": rows[day]["unique_users"] if day in rows else 0,
        }
        for day in days
    ]
