"""Derive, don't store: what is open to a learner follows module progress, whatever content is added later.

Each test changes the content *after* the learner progressed (a venue added to a module they
already have, a locked venue added to a district they had fully open) and reads the state back
through the pages and the API, as a learner would.
"""

import re

import pytest
from django.urls import reverse

from myApp.accounts.services import profile_adjust_balance
from myApp.curriculum import services
from myApp.curriculum.models import UserProgress
from tests.factories import ModuleFactory, VenueFactory

V1 = "/api/v1"
HOME_URL = reverse("accounts:home")
MAP_URL = reverse("curriculum:district_map")


@pytest.fixture
def learner(owner, curriculum):
    """The owner with module A open (its progress row written) and module B still locked."""
    services.curriculum_start(user=owner)
    return owner


def _venue_flags(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-testid="venue-([\w-]+)" data-unlocked="(true|false)"', html))


def _district_open(html: str, slug: str) -> bool:
    return f'id="district-{slug}-title">' in html and bool(
        re.search(rf'id="district-{slug}-title">[^<]*<span class="status status-completed">Fully open', html)
    )


def _api_venues(client) -> dict[str, bool]:
    return {
        venue["slug"]: venue["unlocked"]
        for district in client.get(f"{V1}/districts/").json()["results"]
        for venue in district["venues"]
    }


def test_it_opens_a_venue_added_later_to_a_module_the_learner_has(client, api_as, learner, curriculum):
    client.force_login(learner)
    assert _venue_flags(client.get(MAP_URL).content.decode())["cafe"] == "true"

    late = VenueFactory(district=curriculum.district, module=curriculum.module_a, slug="late-cafe", ticket_cost=1)
    profile_adjust_balance(user=learner, tickets=1)  # so the page offers its Enter button

    assert _venue_flags(client.get(MAP_URL).content.decode())["late-cafe"] == "true"
    assert _venue_flags(client.get(HOME_URL).content.decode())["late-cafe"] == "true"
    venue_page = client.get(reverse("curriculum:venue", args=[late.slug])).content.decode()
    assert 'data-testid="locked-reason"' not in venue_page and 'data-testid="enter"' in venue_page
    api = api_as(learner)
    assert _api_venues(api)["late-cafe"] is True
    assert api.get(f"{V1}/venues/{late.pk}/").json()["unlocked"] is True
    assert api.post(f"{V1}/venues/{late.pk}/enter/").status_code == 201


def test_it_keeps_a_venue_added_later_to_a_locked_module_locked(client, api_as, learner, curriculum):
    late = VenueFactory(district=curriculum.district, module=curriculum.module_b, slug="late-hall")
    client.force_login(learner)

    assert _venue_flags(client.get(MAP_URL).content.decode())["late-hall"] == "false"
    api = api_as(learner)
    assert _api_venues(api)["late-hall"] is False
    profile_adjust_balance(user=learner, tickets=5)
    refused = api.post(f"{V1}/venues/{late.pk}/enter/")
    assert refused.status_code == 409 and "locked" in refused.json()["detail"]


def test_it_takes_full_access_away_when_a_district_gains_a_locked_venue(
    client, api_as, learner, curriculum, complete_lesson
):
    for lesson in curriculum.lessons_a:  # completes A, opens B: both venues of Old Town are open
        complete_lesson(learner, lesson)
    client.force_login(learner)
    api = api_as(learner)
    assert _district_open(client.get(MAP_URL).content.decode(), "old-town")
    assert _district_open(client.get(HOME_URL).content.decode(), "old-town")
    assert api.get(f"{V1}/me/").json()["profile"]["district_full_access"] == {"old-town": True}
    assert api.get(f"{V1}/districts/{curriculum.district.pk}/").json()["full_access"] is True

    module_c = ModuleFactory(level=curriculum.level, code="C", order=3)
    VenueFactory(district=curriculum.district, module=module_c, slug="opera-house")

    assert not _district_open(client.get(MAP_URL).content.decode(), "old-town")
    assert not _district_open(client.get(HOME_URL).content.decode(), "old-town")
    assert api.get(f"{V1}/me/").json()["profile"]["district_full_access"] == {}
    assert api.get(f"{V1}/districts/{curriculum.district.pk}/").json()["full_access"] is False

    for lesson in curriculum.lessons_b:  # completes B, opens C: the district is whole again
        complete_lesson(learner, lesson)
    assert _district_open(client.get(MAP_URL).content.decode(), "old-town")
    assert api.get(f"{V1}/me/").json()["profile"]["district_full_access"] == {"old-town": True}


def test_it_opens_a_district_added_later_in_a_module_the_learner_has(client, learner, curriculum):
    VenueFactory(district__slug="harbour", district__name="Harbour", module=curriculum.module_a, slug="pier")
    client.force_login(learner)

    html = client.get(MAP_URL).content.decode()

    assert _venue_flags(html)["pier"] == "true"
    assert _district_open(html, "harbour")
    assert not _district_open(html, "old-town")  # the town hall (module B) is still locked


def test_it_derives_module_status_from_progress_and_submissions(api_as, learner, curriculum, complete_lesson):
    api = api_as(learner)

    def statuses() -> dict[str, str]:
        return {row["code"]: row["status"] for row in api.get(f"{V1}/progress/modules/").json()}

    assert statuses() == {"A": "unlocked", "B": "locked"}
    session, _ = services.lesson_session_start(user=learner, lesson=curriculum.lessons_a[0])
    assert statuses() == {"A": "unlocked", "B": "locked"}  # started, nothing answered yet
    for value in ("An answer", "A question", 4):
        session = services.lesson_session_answer(session=session, user=learner, value=value)
        assert statuses() == {"A": "in_progress", "B": "locked"}
    services.lesson_session_finish(session=session, user=learner)
    complete_lesson(learner, curriculum.lessons_a[1])
    assert statuses() == {"A": "completed", "B": "unlocked"}
    progress = UserProgress.objects.get(user=learner, module=curriculum.module_a)
    assert progress.completed_at is not None
    assert [row["completed_at"] is not None for row in api.get(f"{V1}/progress/").json()["results"]] == [True, False]
