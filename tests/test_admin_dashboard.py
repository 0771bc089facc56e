"""Seed 004's staff dashboard (``GET /api/admin/dashboard``, issue 12): every figure against a hand-built dataset,
empty days included; a constant number of queries; staff only (404 for everyone else); cached briefly, and
correct when Redis is down."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from myApp.analytics import dashboard
from myApp.curriculum.models import Enrollment, Purchase
from myApp.lib.redis_cache import cache_breaker
from myApp.sessions.models import Conversation, Message
from tests.factories import CourseFactory, StaffFactory, UserFactory
from tests.outages import DOWN_REDIS

URL = "/api/admin/dashboard"
NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 15, 0))


def _conversation(user, *, days_ago: int, messages: int = 0, active_hours_ago: float | None = None):
    started = NOW - datetime.timedelta(days=days_ago)
    conversation = Conversation.objects.create(user=user, ended_at=started)
    Conversation.objects.filter(pk=conversation.pk).update(
        started_at=started,
        last_activity_at=NOW - datetime.timedelta(hours=active_hours_ago if active_hours_ago is not None else 48),
    )
    Message.objects.bulk_create(
        Message(user=user, conversation=conversation, role="user", content=f"m{n}") for n in range(messages)
    )
    return conversation


@pytest.fixture
def world(db):
    learners = [UserFactory(username=f"learner{n}") for n in range(3)]
    teacher = UserFactory(username="teach", role="teacher")
    staff = StaffFactory(username="ops")
    first, second = CourseFactory(title="Speaking 101", level="Beginner"), CourseFactory(title="Debate", country="")
    for learner, paid in zip(learners, (True, False, True), strict=True):
        Enrollment.objects.create(user=learner, course=first, is_paid=paid)
    Enrollment.objects.create(user=learners[0], course=second)
    Purchase.objects.create(user=learners[0], course=first, amount=Decimal("49.50"), currency="USD")
    Purchase.objects.create(user=learners[2], course=first, amount=Decimal("10.00"), currency="EUR")
    # Today: two sessions of one learner and one of another; two days ago: one; six days ago: one; eight: outside.
    _conversation(learners[0], days_ago=0, messages=2, active_hours_ago=1)
    _conversation(learners[0], days_ago=0, messages=1, active_hours_ago=30)
    _conversation(learners[1], days_ago=0, active_hours_ago=2)
    _conversation(learners[1], days_ago=2, messages=3)
    _conversation(learners[2], days_ago=6)
    _conversation(learners[2], days_ago=8, messages=4)
    return {"learners": learners, "teacher": teacher, "staff": staff, "courses": (first, second)}


def test_every_figure_matches_the_hand_built_data_empty_days_included(world):
    figures = dashboard.dashboard_figures(now=NOW)

    assert figures["total_users"] == 5
    assert figures["users_by_role"] == {"learner": 3, "parent": 0, "teacher": 1, "psychologist": 0, "staff": 1}
    assert (figures["total_courses"], figures["total_enrollments"], figures["paid_enrollments"]) == (2, 4, 2)
    first, second = world["courses"]
    assert figures["courses"] == [
        {
            "id": first.pk,
            "title": "Speaking 101",
            "country": "India",
            "level": "Beginner",
            "enrollment_count": 3,
            "paid_enrollment_count": 2,
        },
        {
            "id": second.pk,
            "title": "Debate",
            "country": "",
            "level": "Beginner",
            "enrollment_count": 1,
            "paid_enrollment_count": 0,
        },
    ]
    assert (figures["total_purchases"], figures["total_revenue"]) == (2, 59.5)
    assert figures["revenue_by_currency"] == {"EUR": 10.0, "USD": 49.5}
    assert figures["active_sessions_24h"] == 2  # active 1 and 2 hours ago; 30 and 48 hours ago are not
    assert figures["total_messages"] == 10
    assert [row["username"] for row in figures["recent_users"]] == ["ops", "teach", "learner2", "learner1", "learner0"]
    assert set(figures["recent_users"][0]) == {"id", "username", "email", "role", "created_at"}
    assert figures["session_activity_7d"] == [
        {"date": "2026-11-18", "session_count": 1, "unique_users": 1},
        {"date": "2026-11-19", "session_count": 0, "unique_users": 0},
        {"date": "2026-11-20", "session_count": 0, "unique_users": 0},
        {"date": "2026-11-21", "session_count": 0, "unique_users": 0},
        {"date": "2026-11-22", "session_count": 1, "unique_users": 1},
        {"date": "2026-11-23", "session_count": 0, "unique_users": 0},
        {"date": "2026-11-24", "session_count": 3, "unique_users": 2},
    ]


def test_an_empty_site_has_zeros_and_seven_days(db):
    figures = dashboard.dashboard_figures(now=NOW)
    assert figures["total_users"] == figures["total_messages"] == figures["total_revenue"] == 0
    assert [row["session_count"] for row in figures["session_activity_7d"]] == [0] * 7


def test_it_costs_the_same_queries_however_much_data_there_is(world):
    with CaptureQueriesContext(connection) as small:
        dashboard.dashboard_figures(now=NOW)
    for n in range(20):
        learner = UserFactory(username=f"more{n}")
        Enrollment.objects.create(user=learner, course=CourseFactory())
        _conversation(learner, days_ago=n % 7, messages=2, active_hours_ago=n)
    with CaptureQueriesContext(connection) as large:
        dashboard.dashboard_figures(now=NOW)
    assert len(small) == len(large) == 8


def test_staff_read_it_in_seed_004s_shape_and_everyone_else_gets_404(world, api_as, anon_api, client):
    answer = api_as(world["staff"]).get(URL)
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "success" and set(body) == {"status", "timestamp", "data"}
    assert body["data"]["total_users"] == 5
    for someone in (world["learners"][0], world["teacher"]):
        refused = api_as(someone).get(URL)
        assert refused.status_code == 404 and "total_users" not in refused.content.decode()
    assert anon_api.get(URL).status_code == 404
    client.force_login(world["learners"][0])
    assert client.get(URL).status_code == 404


def test_it_is_cached_briefly_and_answers_with_redis_down(world, api_as):
    staff_api = api_as(world["staff"])
    dashboard.cache.delete(dashboard.CACHE_KEY)
    assert staff_api.get(URL).json()["data"]["total_users"] == 5
    UserFactory(username="late")
    assert staff_api.get(URL).json()["data"]["total_users"] == 5  # the cached figures, at most 30 s old
    dashboard.cache.delete(dashboard.CACHE_KEY)
    assert staff_api.get(URL).json()["data"]["total_users"] == 6

    with override_settings(CACHES=DOWN_REDIS):
        cache_breaker(dashboard.cache).reset()
        try:
            answer = api_as(world["staff"]).get(URL)
        finally:
            cache_breaker(dashboard.cache).reset()
    assert answer.status_code == 200 and answer.json()["data"]["total_users"] == 6
