"""GET/PATCH /api/v1/me/: the caller and their profile; economy fields are read-only."""

from myApp.accounts import services
from myApp.accounts.models import Profile

ME = "/api/v1/me/"


def test_it_shows_the_caller_and_their_profile(api_as, owner, outsider):
    services.profile_adjust_balance(user=owner, xp=12, coins=3, tickets=1)
    body = api_as(owner).get(ME).json()
    assert body["username"] == "owner"
    assert {key: body["profile"][key] for key in ("xp", "coins", "tickets")} == {"xp": 12, "coins": 3, "tickets": 1}
    assert api_as(outsider).get(ME).json()["profile"]["coins"] == 0


def test_it_updates_persona_and_name(api_as, owner):
    response = api_as(owner).patch(
        ME,
        {"first_name": "Olive", "profile": {"main_goal": "Pitch to investors", "comfort_small_group": 4}},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["first_name"] == "Olive"
    profile = Profile.objects.get(user=owner)
    assert (profile.main_goal, profile.comfort_small_group) == ("Pitch to investors", 4)


def test_it_refuses_to_write_economy_fields(api_as, owner):
    client = api_as(owner)
    for payload, field in [({"profile": {"coins": 999}}, "profile.coins"), ({"role": "staff"}, "role")]:
        response = client.patch(ME, payload)
        assert response.status_code == 400
        assert response.json()["errors"][field] == ["This field cannot be set here."]
    profile = Profile.objects.get(user=owner)
    assert profile.coins == 0
    assert profile.user.role == "learner"


def test_it_validates_comfort_levels(api_as, owner):
    response = api_as(owner).patch(ME, {"profile": {"comfort_large_audience": 9}})
    assert response.status_code == 400
    assert response.json()["errors"]["profile.comfort_large_audience"] == [
        "Ensure this value is less than or equal to 5."
    ]
    assert Profile.objects.get(user=owner).comfort_large_audience is None


def test_it_reads_me_in_a_constant_number_of_queries(api_as, owner, django_assert_max_num_queries):
    client = api_as(owner)
    with django_assert_max_num_queries(4):
        client.get(ME)
