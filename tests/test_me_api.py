"""GET/PATCH /api/v1/me/: the caller and their profile; economy fields are read-only; a GET writes nothing."""

import importlib

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myApp.accounts import services
from myApp.accounts.models import Profile, User

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


# --- A GET writes nothing ------------------------------------------------------------------------


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _writes(queries) -> list[str]:
    """The statements that changed rows, other than signing the device's use (``last_used_at``)."""
    changes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    return [sql for sql in changes if "last_used_at" not in sql]


def test_it_writes_nothing_when_a_user_reads_themselves(api_as, owner):
    client = api_as(owner)
    before = _row_counts()

    with CaptureQueriesContext(connection) as queries:
        response = client.get(ME)

    assert response.status_code == 200
    assert _writes(queries.captured_queries) == []
    assert _row_counts() == before


def test_it_reads_an_account_made_without_a_profile_as_the_defaults_without_creating_one(db, api_as):
    bare = User.objects.bulk_create([User(username="bare")])[0]  # around every service, as raw SQL would
    client = api_as(bare)
    before = _row_counts()

    with CaptureQueriesContext(connection) as queries:
        response = client.get(ME)

    assert response.status_code == 200, response.json()
    profile = response.json()["profile"]
    assert (profile["xp"], profile["coins"], profile["tickets"], profile["onboarding_completed"]) == (0, 0, 0, False)
    assert _writes(queries.captured_queries) == []
    assert _row_counts() == before
    assert not Profile.objects.filter(user=bare).exists()
    # The first write makes the row.
    assert client.patch(ME, {"profile": {"main_goal": "Speak up"}}).status_code == 200
    assert Profile.objects.get(user=bare).main_goal == "Speak up"


def test_it_gives_every_existing_account_a_profile_in_the_migration(db, owner):
    bare = User.objects.bulk_create([User(username="bare")])[0]
    migration = importlib.import_module("myApp.accounts.migrations.0007_profile_for_every_user")

    migration.create_missing_profiles(apps, schema_editor=None)

    assert Profile.objects.filter(user=bare).exists()
    assert Profile.objects.filter(user=owner).count() == 1  # the owner's own profile, untouched
    assert not User.objects.filter(profile__isnull=True).exists()


def test_it_reads_the_onboarding_page_without_writing(client, db):
    bare = User.objects.bulk_create([User(username="bare")])[0]  # an account made around every service
    client.force_login(bare)

    assert client.get(reverse("accounts:onboarding")).status_code == 200
    assert not Profile.objects.filter(user=bare).exists()
