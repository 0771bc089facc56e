"""Curriculum pages through real URLs: the district map, venues (tickets) and the amphitheatre."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from myApp.accounts.models import Profile
from myApp.accounts.services import profile_adjust_balance
from myApp.curriculum import selectors, services
from myApp.curriculum.models import AmphitheatreExerciseRecord, AmphitheatreSession, Venue, VenueEntry, VenueTaskSheet
from myApp.curriculum.services.milestones import RUBRIC_CRITERIA
from tests.factories import DistrictFactory, LevelFactory, ModuleFactory, VenueFactory

MAP_URL = reverse("curriculum:district_map")
HUB_URL = reverse("curriculum:amphitheatre")
HISTORY_URL = reverse("curriculum:amphitheatre_history")


def _balance(user) -> tuple[int, int, int]:
    profile = Profile.objects.get(user=user)
    return profile.xp, profile.coins, profile.tickets


def _venue_url(venue, action: str = "") -> str:
    return reverse(f"curriculum:venue{'_' + action if action else ''}", args=[venue.slug])


def _finish_url(entry) -> str:
    return reverse("curriculum:visit_finish", args=[entry.pk])


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- District map ------------------------------------------------------------------------


def test_it_shows_the_district_map_with_lock_state_and_tickets(client, owner, curriculum):
    services.curriculum_start(user=owner)
    profile_adjust_balance(user=owner, tickets=3)
    client.force_login(owner)

    response = client.get(MAP_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Old Town" in html
    assert '<strong data-testid="tickets">3</strong>' in html
    assert 'data-testid="venue-cafe" data-unlocked="true"' in html
    assert 'data-testid="venue-town-hall" data-unlocked="false"' in html
    assert "Locked until module 1B" in html
    assert f'href="{reverse("curriculum:district_map")}" aria-current="page"' in html


def _add_world(count: int, owner, *, level_number: int) -> None:
    """``count`` free venues over modules A-D of a new level and two venues per district;
    the learner has opened half of the modules."""
    level = LevelFactory(number=level_number)
    modules = [ModuleFactory(level=level, code=code, order=order) for order, code in enumerate("ABCD")]
    districts = [DistrictFactory() for _ in range((count + 1) // 2)]
    for index in range(count):
        VenueFactory(district=districts[index // 2], module=modules[index % 4], ticket_cost=0)
    for module in modules[: count // 2]:
        services.module_unlock(user=owner, module=module)


def test_it_renders_the_map_in_queries_that_do_not_grow_with_venues(client, owner, django_assert_max_num_queries):
    _add_world(2, owner, level_number=1)
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(MAP_URL).status_code == 200
    small = len(queries)

    _add_world(8, owner, level_number=2)
    for venue in Venue.objects.filter(pk__in=selectors.unlocked_venue_ids(user=owner)).order_by("pk")[:3]:
        services.venue_enter(user=owner, venue=venue)
    with django_assert_max_num_queries(small):
        html = client.get(MAP_URL).content.decode()
    assert html.count('data-testid="venue-') == 10
    assert "You are inside" in html


# --- Venues ------------------------------------------------------------------------------------


def test_it_shows_a_venue_with_task_sheets_and_the_entry_cost(client, owner, curriculum):
    venue = curriculum.venue_b
    venue.description = "A council chamber with an unforgiving echo."
    venue.save()
    VenueTaskSheet.objects.create(
        venue=venue,
        title="Public comment",
        order=1,
        exercises=[{"title": "Two-minute statement", "prompt": "Argue for a new bike lane."}, "Take one question"],
    )
    services.curriculum_start(user=owner)
    services.module_unlock(user=owner, module=curriculum.module_b)
    client.force_login(owner)

    response = client.get(_venue_url(venue))

    assert response.status_code == 200
    html = response.content.decode()
    assert "A council chamber with an unforgiving echo." in html
    assert "Public comment" in html
    assert "<strong>Two-minute statement</strong>: Argue for a new bike lane." in html
    assert "<strong>Take one question</strong>" in html
    assert "Enter for 2 tickets" in html
    assert 'data-testid="finish"' not in html


def test_it_explains_a_locked_venue(client, owner, curriculum):
    services.curriculum_start(user=owner)
    client.force_login(owner)

    html = client.get(_venue_url(curriculum.venue_b)).content.decode()

    assert 'data-testid="locked-reason"' in html
    assert 'data-testid="enter"' not in html
    response = client.post(_venue_url(curriculum.venue_b, "enter"))
    assert response.status_code == 409
    assert "This venue is locked." in response.content.decode()
    assert not VenueEntry.objects.filter(user=owner).exists()


def test_it_refuses_entry_without_tickets_and_keeps_the_balance(client, owner, curriculum):
    services.curriculum_start(user=owner)
    client.force_login(owner)
    before = _balance(owner)

    response = client.post(_venue_url(curriculum.venue_a, "enter"))

    assert response.status_code == 409
    assert "Cafe costs 1 ticket and you have 0." in response.content.decode()
    assert _balance(owner) == before == (0, 0, 0)
    assert not VenueEntry.objects.filter(user=owner).exists()


def test_it_says_before_entry_that_a_learner_cannot_pay_and_offers_no_live_enter_button(client, owner, curriculum):
    services.curriculum_start(user=owner)
    client.force_login(owner)

    page = client.get(_venue_url(curriculum.venue_a)).content.decode()

    assert "Cafe costs 1 ticket and you have 0. Complete modules or practise in the amphitheatre" in page
    assert 'data-testid="enter"' not in page
    profile_adjust_balance(user=owner, tickets=1)
    page = client.get(_venue_url(curriculum.venue_a)).content.decode()
    assert 'data-testid="enter"' in page and 'data-testid="tickets-short"' not in page


def test_it_enters_and_finishes_a_visit_paying_rewards_once(client, owner, curriculum):
    venue = curriculum.venue_a
    services.curriculum_start(user=owner)
    profile_adjust_balance(user=owner, tickets=3)
    client.force_login(owner)

    response = client.post(_venue_url(venue, "enter"), follow=True)

    assert response.status_code == 200
    assert "You entered Cafe for 1 ticket." in _messages(response)
    assert _balance(owner) == (0, 0, 2)
    entry = VenueEntry.objects.get(user=owner, venue=venue, finished_at__isnull=True)
    assert f'action="{_finish_url(entry)}"' in response.content.decode()

    again = client.post(_venue_url(venue, "enter"), follow=True)  # already inside: no second charge
    assert "no ticket was spent" in " ".join(_messages(again))
    assert _balance(owner) == (0, 0, 2)

    response = client.post(_finish_url(entry), follow=True)
    assert response.status_code == 200
    assert f"+{venue.xp_reward} XP" in " ".join(_messages(response))
    assert _balance(owner) == (venue.xp_reward, venue.coin_reward, 2)

    response = client.post(_finish_url(entry))
    assert response.status_code == 409
    assert _balance(owner) == (venue.xp_reward, venue.coin_reward, 2)
    assert 'data-testid="enter"' in client.get(_venue_url(venue)).content.decode()


def test_it_hides_a_learners_visit_from_an_outsider(client, owner, outsider, curriculum):
    services.curriculum_start(user=owner)
    profile_adjust_balance(user=owner, tickets=1)
    entry, _ = services.venue_enter(user=owner, venue=curriculum.venue_a)
    client.force_login(outsider)

    response = client.post(_finish_url(entry))

    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.finished_at is None
    assert _balance(outsider) == (0, 0, 0)
    assert "You are inside" not in client.get(MAP_URL).content.decode()


# --- Amphitheatre --------------------------------------------------------------------------------


def _scores(value: int | str, *, key: str = "warm_up") -> dict:
    return {"exercise_key": key, "reflection": "I rushed the ending.", **dict.fromkeys(RUBRIC_CRITERIA, value)}


def test_it_shows_the_amphitheatre_plan_with_a_form_per_exercise(client, owner):
    client.force_login(owner)
    empty = client.get(HUB_URL)
    assert empty.status_code == 200 and "Open a visit" in empty.content.decode()
    assert not AmphitheatreSession.objects.exists()  # looking opens nothing

    response = client.post(HUB_URL, follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    session = AmphitheatreSession.objects.get(user=owner)
    assert "visit 1" in html
    for item in session.plan:
        assert escape(item["title"]) in html
        assert f'<label for="id_{item["key"]}_clarity">Clarity</label>' in html
    submit_url = reverse("curriculum:amphitheatre_submit", args=[session.pk])
    for item in session.plan:  # each form comes back scrolled to its own card (review 1125)
        assert f'action="{submit_url}#exercise-{item["key"]}"' in html
        assert f'id="exercise-{item["key"]}"' in html
    client.post(HUB_URL)
    assert AmphitheatreSession.objects.filter(user=owner).count() == 1  # the open visit continues


def test_it_records_an_amphitheatre_exercise_and_pays_for_it(client, owner):
    client.force_login(owner)
    client.post(HUB_URL)
    session = AmphitheatreSession.objects.get(user=owner)

    response = client.post(reverse("curriculum:amphitheatre_submit", args=[session.pk]), _scores(95), follow=True)

    assert response.status_code == 200
    record = AmphitheatreExerciseRecord.objects.get(session=session)
    assert (record.exercise_key, record.reflection) == ("warm_up", "I rushed the ending.")
    assert record.scores == dict.fromkeys(RUBRIC_CRITERIA, 95)
    assert _balance(owner) == (record.xp_delta, record.coins_delta, record.tickets_delta) != (0, 0, 0)
    assert f"Exercise recorded: +{record.xp_delta} XP" in " ".join(_messages(response))
    assert f'<strong data-testid="points">{record.xp_delta}</strong>' in response.content.decode()


@pytest.mark.parametrize(("value", "error"), [("101", "less than or equal to 100"), ("", "This field is required.")])
def test_it_rejects_an_out_of_range_score_with_400(client, owner, value, error):
    client.force_login(owner)
    client.post(HUB_URL)
    session = AmphitheatreSession.objects.get(user=owner)

    response = client.post(reverse("curriculum:amphitheatre_submit", args=[session.pk]), _scores(value))

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_warm_up_clarity_error"' in html
    assert error in html
    assert not AmphitheatreExerciseRecord.objects.exists()
    assert _balance(owner) == (0, 0, 0)


def test_it_refuses_an_exercise_outside_the_plan(client, owner):
    client.force_login(owner)
    client.post(HUB_URL)
    session = AmphitheatreSession.objects.get(user=owner)

    response = client.post(reverse("curriculum:amphitheatre_submit", args=[session.pk]), _scores(80, key="juggling"))

    assert response.status_code == 400
    assert "That exercise is not part of this visit" in response.content.decode()
    assert not AmphitheatreExerciseRecord.objects.exists()


def test_it_hides_a_learners_amphitheatre_visit_from_an_outsider(client, owner, outsider):
    session, _ = services.amphitheatre_hub(user=owner)
    client.force_login(outsider)

    assert client.post(reverse("curriculum:amphitheatre_submit", args=[session.pk]), _scores(90)).status_code == 404
    assert client.post(reverse("curriculum:amphitheatre_end", args=[session.pk])).status_code == 404
    assert not AmphitheatreExerciseRecord.objects.exists()
    session.refresh_from_db()
    assert session.ended_at is None
    assert "Visit 1" not in client.get(HISTORY_URL).content.decode()


def test_it_ends_a_visit_and_lists_visits_newest_first(client, owner):
    first, _ = services.amphitheatre_hub(user=owner)
    services.amphitheatre_submit(user=owner, session=first, exercise_key="story", scores={"clarity": 50})
    services.amphitheatre_end(user=owner, session=first)
    second, _ = services.amphitheatre_hub(user=owner)
    services.amphitheatre_submit(
        user=owner, session=second, exercise_key="impromptu", scores={"clarity": 90}, reflection="Calmer today."
    )
    client.force_login(owner)

    response = client.post(reverse("curriculum:amphitheatre_end", args=[second.pk]), follow=True)

    assert response.status_code == 200
    second.refresh_from_db()
    assert second.ended_at is not None
    html = response.content.decode()
    assert html.index('data-testid="visit-2"') < html.index('data-testid="visit-1"')
    first.refresh_from_db()
    assert f'data-testid="visit-1-points">{first.points}</strong>' in html
    assert f'data-testid="visit-2-points">{second.points}</strong>' in html
    assert "Calmer today." in html
    assert "Story: tell a 90-second personal story" in html
    assert client.post(reverse("curriculum:amphitheatre_end", args=[second.pk])).status_code == 409
