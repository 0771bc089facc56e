"""/api/v1/daily-quests/ and /api/v1/streak/: the caller's own, as owner, staff, outsider and anonymous."""

import datetime

import pytest
from django.utils import timezone

from myApp.accounts import services as account_services
from myApp.accounts.models import Profile
from myApp.quests import daily_rules
from myApp.quests.daily_rules import QUEST_TYPES
from myApp.quests.models import DailyQuest, StreakFreeze, Vacation
from myApp.quests.services import daily

pytestmark = pytest.mark.django_db

QUESTS = "/api/v1/daily-quests/"
TODAY = "/api/v1/daily-quests/today/"
STREAK = "/api/v1/streak/"


def _play_days(user, days: int) -> None:
    """Complete one offered quest on each of the last ``days`` days, today included."""
    now = timezone.now()
    for back in range(days):
        moment = now - datetime.timedelta(days=back)
        quest_type = daily_rules.offered_types(user_id=user.pk, day=moment.date())[0]
        for _ in range(QUEST_TYPES[quest_type].target):
            daily.record(user=user, event_type=quest_type, at=moment)


@pytest.fixture
def played(owner):
    _play_days(owner, 3)
    return owner


def test_it_lists_only_the_callers_quests(api_as, played, staff, outsider):
    mine = api_as(played).get(QUESTS)

    assert mine.status_code == 200
    assert mine.data["count"] == DailyQuest.objects.filter(user=played).count() == 9
    assert {row["date"] for row in mine.data["results"]} == {
        str(date) for date in DailyQuest.objects.filter(user=played).values_list("date", flat=True)
    }
    for other in (staff, outsider):
        response = api_as(other).get(QUESTS)
        assert response.status_code == 200 and response.data["count"] == 0


def test_it_shows_one_quest_to_its_owner_only(api_as, played, staff, outsider, member):
    quest = DailyQuest.objects.filter(user=played, completed_at__isnull=False).first()
    url = f"{QUESTS}{quest.pk}/"

    response = api_as(played).get(url)

    assert response.status_code == 200
    assert response.data["completed"] is True and response.data["percent"] == 100
    assert response.data["title"] == quest.get_quest_type_display()
    for other in (staff, outsider, member):
        assert api_as(other).get(url).status_code == 404


def test_it_refuses_anonymous_callers(anon_api):
    for url in (QUESTS, TODAY, STREAK):
        assert anon_api.get(url).status_code in (401, 403)


def test_it_is_read_only(api_as, played):
    quest = DailyQuest.objects.filter(user=played).first()
    client = api_as(played)

    assert client.post(QUESTS, {"quest_type": "finish_lesson"}, format="json").status_code == 405
    assert client.patch(f"{QUESTS}{quest.pk}/", {"progress": 99}, format="json").status_code == 405
    assert client.delete(f"{QUESTS}{quest.pk}/").status_code == 405


def test_it_lists_quests_in_constant_queries(api_as, owner, django_assert_max_num_queries):
    client = api_as(owner)
    _play_days(owner, 2)
    with django_assert_max_num_queries(3) as few:  # token, count, page
        client.get(QUESTS)
    _play_days(owner, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(QUESTS)

    assert response.data["count"] == 18


def test_it_gives_todays_three_offers(api_as, owner):
    response = api_as(owner).get(TODAY)

    assert response.status_code == 200
    today = timezone.now().date()
    assert [row["quest_type"] for row in response.data] == daily_rules.offered_types(user_id=owner.pk, day=today)
    assert all(row["id"] is None and row["progress"] == 0 for row in response.data)


def test_it_gives_the_callers_streak(api_as, played, staff, outsider):
    response = api_as(played).get(STREAK)

    assert response.status_code == 200
    assert (response.data["current"], response.data["longest"]) == (3, 3)
    assert response.data["time_zone"] == "UTC" and response.data["on_vacation"] is False
    assert response.data["freeze_price"] == daily_rules.FREEZE_PRICE_COINS
    for other in (staff, outsider):
        assert api_as(other).get(STREAK).data["current"] == 0


def test_it_buys_a_freeze(api_as, owner):
    account_services.profile_adjust_balance(user=owner, coins=daily_rules.FREEZE_PRICE_COINS)

    response = api_as(owner).post(f"{STREAK}freeze/")

    assert response.status_code == 201 and response.data["freezes_available"] == 1
    assert Profile.objects.get(user=owner).coins == 0


def test_it_answers_409_for_a_freeze_without_coins(api_as, owner):
    response = api_as(owner).post(f"{STREAK}freeze/")

    assert response.status_code == 409 and "coins" in response.data["errors"]
    assert not StreakFreeze.objects.exists()


def test_it_starts_and_ends_a_vacation(api_as, owner):
    client = api_as(owner)

    started = client.post(f"{STREAK}vacation/", {"on": True}, format="json")
    again = client.post(f"{STREAK}vacation/", {"on": True}, format="json")
    ended = client.post(f"{STREAK}vacation/", {"on": False}, format="json")

    assert started.status_code == 200 and started.data["on_vacation"] is True
    assert started.data["vacation_since"] == str(timezone.now().date())
    assert again.status_code == 409
    assert ended.status_code == 200 and ended.data["on_vacation"] is False
    assert Vacation.objects.filter(user=owner).count() == 1


def test_it_refuses_a_bad_vacation_body(api_as, owner):
    client = api_as(owner)

    unknown = client.post(f"{STREAK}vacation/", {"on": True, "extra": 1}, format="json")
    malformed = client.post(f"{STREAK}vacation/", {"on": "maybe"}, format="json")

    assert unknown.status_code == 400 and "extra" in unknown.data["errors"]
    assert malformed.status_code == 400 and "on" in malformed.data["errors"]
    assert not Vacation.objects.exists()


def test_it_sets_the_time_zone_through_me_and_refuses_an_unknown_one(api_as, owner):
    client = api_as(owner)

    good = client.patch("/api/v1/me/", {"profile": {"time_zone": "Asia/Tokyo"}}, format="json")
    bad = client.patch("/api/v1/me/", {"profile": {"time_zone": "Mars/Olympus_Mons"}}, format="json")

    assert good.status_code == 200 and good.data["profile"]["time_zone"] == "Asia/Tokyo"
    assert bad.status_code == 400 and "profile.time_zone" in bad.data["errors"]
    assert Profile.objects.get(user=owner).time_zone == "Asia/Tokyo"


def test_it_lists_the_routes_in_the_schema(client):
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]

    for path in ("/api/v1/daily-quests/", "/api/v1/daily-quests/{id}/", TODAY, STREAK, f"{STREAK}freeze/"):
        assert path in paths, path
