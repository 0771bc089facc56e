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
from django.db.models import Count, Sum
from django.utils import timezone

from myApp.accounts.models import User
from myApp.analytics import dashboard_range
from myApp.curriculum.models import Course, Purchase
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
    users = dashboard_range.role_counts()
    courses = list(
        Course.objects.annotate(
            enrollment_count=dashboard_range.enrollments_of_course(),
            paid_enrollment_count=dashboard_range.enrollments_of_course(is_paid=True),
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


def _money(amount: Decimal | None) -> float:
    return float(amount or 0)


def _session_activity(now: datetime.datetime) -> list[dict]:
    """The last ``ACTIVITY_DAYS`` days, today included, every day present (the page's selector)."""
    today = timezone.localdate(now)
    days = dashboard_range.DayRange(today - datetime.timedelta(days=ACTIVITY_DAYS - 1), today)
    return [{**row, "date": row["date"].isoformat()} for row in dashboard_range.session_activity(days)]
