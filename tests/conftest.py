"""Shared fixtures: an owner, a member (the owner's parent) and an outsider, API clients, markers."""

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient

from myApp.accounts import services
from tests.factories import PASSWORD, ParentFactory, StaffFactory, UserFactory

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
    """Throttle counters and cached rows must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


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
    link = services.child_link_create(parent=parent, child_username=owner.username)
    services.child_consent_set(link=link, by=owner, share=True)
    return parent


@pytest.fixture
def outsider(db):
    """A user with no relation to the owner."""
    return UserFactory(username="outsider")


@pytest.fixture
def staff(db):
    return StaffFactory(username="staffer")


@pytest.fixture
def anon_api() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as():
    """``api_as(user)`` returns an API client authenticated with the user's real token."""

    def make(user) -> APIClient:
        client = APIClient()
        token = services.auth_token_issue(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
