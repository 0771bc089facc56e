"""Shared fixtures: an owner, a member (the owner's parent, with consent), a parent without consent, staff
and an outsider (together: ``personas``), API clients, markers."""

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient

from myApp.accounts import services
from myApp.accounts.models import Role
from myApp.lib.redis_cache import cache_breaker
from tests.factories import PASSWORD, ParentFactory, StaffFactory, UserFactory, link_parent_and_child

pytest_plugins = ["tests.browser", "tests.local_postgres"]

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    if ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (real row locks / PostgreSQL-only SQL); this run is on SQLite")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached rows must not leak between tests, nor an open circuit breaker: one slow
    Redis answer on a loaded machine opens it for its whole window, and every later test would read misses."""
    breaker = cache_breaker(cache)
    if breaker is not None:
        breaker.reset()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_daily_quests_offered(request, monkeypatch):
    """Daily quests pay on top of the lesson, venue, amphitheatre and chat rewards, for whichever three types
    a learner's day offers (chosen per learner and date). Tests of those rewards and of their statement
    budgets would then count them on some dates and not on others, so they run with no quest offered. The
    daily quest tests (``test_daily_quests_*.py``) get the real offers, and a test may patch its own."""
    if request.module.__name__.rpartition(".")[2].startswith("test_daily_quests"):
        return
    from myApp.quests import daily_rules

    monkeypatch.setattr(daily_rules, "offered_types", lambda *, user_id, day: [])


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def owner(db):
    """A learner who owns the rows under test."""
    return UserFactory(username="owner")


@pytest.fixture
def member(owner):
    """The owner's parent: linked to the owner, with the owner's consent."""
    parent = ParentFactory(username="member")
    link_parent_and_child(parent=parent, child=owner, share=True)
    return parent


@pytest.fixture
def unconsented_parent(owner):
    """Another parent of the owner: linked, but the owner granted sharing and then revoked it."""
    parent = ParentFactory(username="unconsented")
    link = link_parent_and_child(parent=parent, child=owner, share=True)
    services.child_consent_set(link=link, by=owner, share=False)
    return parent


@pytest.fixture
def personas(owner, member, unconsented_parent, staff, outsider):
    """Everyone who may ask for the owner's data, by the name access tests use for them."""
    return {
        "owner": owner,
        "parent_with_consent": member,
        "parent_without_consent": unconsented_parent,
        "staff": staff,
        "outsider": outsider,
    }


@pytest.fixture
def outsider(db):
    """A user with no relation to the owner."""
    return UserFactory(username="outsider")


@pytest.fixture
def staff(db):
    return StaffFactory(username="staffer")


@pytest.fixture
def staff_client(client, staff):
    """Django's test client logged in as staff (the admin and staff-only pages)."""
    client.force_login(staff)
    return client


@pytest.fixture
def anon_api() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as():
    """``api_as(user)`` returns an API client signed in as a new device of the user (a real token)."""

    def make(user) -> APIClient:
        client = APIClient()
        _, key = services.device_token_create(user=user, name="Test client")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture
def curriculum(db):
    """Level 1 with modules A and B (two 3-step lessons each), a district with one venue per module."""
    from types import SimpleNamespace

    from tests.factories import DistrictFactory, LessonFactory, LevelFactory, ModuleFactory, VenueFactory

    level = LevelFactory(number=1, title="Foundations")
    module_a = ModuleFactory(level=level, code="A", order=1, title="Presence")
    module_b = ModuleFactory(level=level, code="B", order=2, title="Structure")
    lessons_a = [LessonFactory(module=module_a, order=n) for n in (1, 2)]
    lessons_b = [LessonFactory(module=module_b, order=n) for n in (1, 2)]
    district = DistrictFactory(slug="old-town", name="Old Town")
    venue_a = VenueFactory(district=district, module=module_a, slug="cafe", ticket_cost=1)
    venue_b = VenueFactory(district=district, module=module_b, slug="town-hall", ticket_cost=2)
    return SimpleNamespace(
        level=level,
        module_a=module_a,
        module_b=module_b,
        lessons_a=lessons_a,
        lessons_b=lessons_b,
        district=district,
        venue_a=venue_a,
        venue_b=venue_b,
    )


STEP_ANSWERS = ["Open with a question", "A question", 4]


@pytest.fixture
def complete_lesson():
    """``complete_lesson(user, lesson)`` runs a lesson start to finish through the services."""
    from myApp.curriculum import services as curriculum_services

    def run(user, lesson):
        session, _ = curriculum_services.lesson_session_start(user=user, lesson=lesson)
        for answer in STEP_ANSWERS[: len(lesson.steps)]:
            session = curriculum_services.lesson_session_answer(session=session, user=user, value=answer)
        return curriculum_services.lesson_session_finish(session=session, user=user).session

    return run


@pytest.fixture
def psychologist(db):
    """A psychologist, who reviews quests."""
    return UserFactory(username="psychologist", role=Role.PSYCHOLOGIST)


@pytest.fixture
def author(db):
    """A parent who writes quests."""
    return ParentFactory(username="author")


@pytest.fixture
def quests_by_anyone(monkeypatch):
    """Lift the rule that only parents and psychologists write quests (``quest_writing_refused_for``), for
    tests about quests a learner or child holds: written before that rule, they still exist."""
    from myApp.quests.services import quests

    monkeypatch.setattr(quests, "quest_writing_refused_for", lambda user: None)
