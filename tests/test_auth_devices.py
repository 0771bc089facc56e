"""API devices: one hashed token per sign-in, a device list, revoking one or all, sliding expiry,
and the move of DRF's plain-text tokens into hashed devices."""

import importlib
import secrets
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from myApp.accounts import services
from myApp.accounts.models import DeviceToken
from myApp.accounts.services.devices import MAX_DEVICES_PER_USER, TOUCH_INTERVAL
from tests.factories import UserFactory

TOKEN = "/api/v1/auth/token/"
LOGOUT = "/api/v1/auth/logout/"
EVERYWHERE = "/api/v1/auth/logout-everywhere/"
DEVICES = "/api/v1/auth/devices/"
ME = "/api/v1/me/"
PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Safari/604.1"


def sign_in(anon_api, password: str, username: str = "owner", device_name: str | None = None, **headers) -> str:
    body = {"username": username, "password": password}
    if device_name is not None:
        body["device_name"] = device_name
    response = anon_api.post(TOKEN, body, **headers)
    assert response.status_code == 200, response.json()
    return response.json()["token"]


def client_with(api_client_class, key: str):
    client = api_client_class()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def as_key():
    from rest_framework.test import APIClient

    return lambda key: client_with(APIClient, key)


def test_it_signs_in_each_device_with_its_own_token(anon_api, owner, password, as_key):
    phone, laptop = sign_in(anon_api, password), sign_in(anon_api, password)

    assert phone != laptop
    assert DeviceToken.objects.filter(user=owner).count() == 2
    assert as_key(phone).post(LOGOUT).status_code == 204  # logging out on the phone...
    assert as_key(phone).get(ME).status_code == 401
    assert as_key(laptop).get(ME).status_code == 200  # ...leaves the laptop signed in


def test_it_logs_out_everywhere(anon_api, owner, outsider, password, as_key):
    keys = [sign_in(anon_api, password) for _ in range(3)]
    other = sign_in(anon_api, password, username="outsider")

    assert as_key(keys[0]).post(EVERYWHERE).status_code == 204

    assert [as_key(key).get(ME).status_code for key in keys] == [401, 401, 401]
    assert as_key(other).get(ME).status_code == 200
    assert not DeviceToken.objects.filter(user=owner).exists()


def test_it_lists_the_callers_devices_by_name_without_keys(anon_api, owner, password, as_key):
    named = sign_in(anon_api, password, device_name="  Kitchen   tablet ")
    phone = sign_in(anon_api, password, HTTP_USER_AGENT=PHONE_UA)

    response = as_key(phone).get(DEVICES)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert sorted((row["name"], row["current"]) for row in rows) == [
        ("Kitchen tablet", False),
        ("Safari on iPhone", True),
    ]
    assert set(rows[0]) == {"id", "name", "created", "last_used_at", "expiry", "current"}
    text = response.content.decode()
    for device in DeviceToken.objects.filter(user=owner):
        assert device.digest not in text and device.token_key not in text
    assert named not in text and phone not in text


def test_it_lists_devices_in_a_constant_number_of_queries(
    anon_api, owner, password, as_key, django_assert_max_num_queries
):
    key = sign_in(anon_api, password)
    with django_assert_max_num_queries(3):  # the token with its user, the count, the page
        assert len(as_key(key).get(DEVICES).json()["results"]) == 1
    for _ in range(8):
        sign_in(anon_api, password)
    with django_assert_max_num_queries(3):
        assert len(as_key(key).get(DEVICES).json()["results"]) == 9


def test_it_revokes_one_device_by_its_id(anon_api, owner, password, as_key):
    keep, drop = sign_in(anon_api, password), sign_in(anon_api, password)
    dropped = DeviceToken.objects.filter(user=owner).order_by("-id").first()

    response = as_key(keep).delete(f"{DEVICES}{dropped.pk}/")

    assert response.status_code == 204
    assert as_key(drop).get(ME).status_code == 401
    assert as_key(keep).get(ME).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "member", "staff"])
def test_it_hides_a_device_from_everyone_but_its_owner(request, api_as, owner, member, password, who):
    api_as(owner)
    device = DeviceToken.objects.get(user=owner)
    client = api_as(request.getfixturevalue(who))

    assert client.get(f"{DEVICES}{device.pk}/").status_code == 404
    assert client.delete(f"{DEVICES}{device.pk}/").status_code == 404
    assert device.pk not in [row["id"] for row in client.get(DEVICES).json()["results"]]
    assert DeviceToken.objects.filter(pk=device.pk).exists()


def test_it_refuses_and_hides_an_expired_device(anon_api, owner, password, as_key):
    old, fresh = sign_in(anon_api, password), sign_in(anon_api, password)
    expired = DeviceToken.objects.filter(user=owner).order_by("id").first()
    DeviceToken.objects.filter(pk=expired.pk).update(expiry=timezone.now() - timedelta(seconds=1))

    response = as_key(old).get(ME)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "errors": {}}
    listed = [row["id"] for row in as_key(fresh).get(DEVICES).json()["results"]]
    assert expired.pk not in listed and len(listed) == 1
    sign_in(anon_api, password)  # signing in again clears the user's expired rows
    assert not DeviceToken.objects.filter(pk=expired.pk).exists()


def test_it_slides_the_expiry_of_a_device_in_use(anon_api, owner, password, as_key):
    key = sign_in(anon_api, password)
    device = DeviceToken.objects.get(user=owner)
    earlier = timezone.now() - TOUCH_INTERVAL - timedelta(days=3)
    DeviceToken.objects.filter(pk=device.pk).update(last_used_at=earlier, expiry=earlier + timedelta(days=30))

    assert as_key(key).get(ME).status_code == 200

    device.refresh_from_db()
    assert device.last_used_at > earlier + timedelta(days=3)
    ttl = timedelta(days=settings.API_TOKEN_TTL_DAYS)
    assert timezone.now() + ttl - timedelta(minutes=1) < device.expiry <= timezone.now() + ttl


def test_it_never_slides_past_the_maximum_age(anon_api, owner, password, as_key):
    key = sign_in(anon_api, password)
    max_age = timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS)
    signed_in = timezone.now() - max_age + timedelta(days=2)
    DeviceToken.objects.filter(user=owner).update(
        created=signed_in, last_used_at=signed_in, expiry=timezone.now() + timedelta(days=1)
    )

    assert as_key(key).get(ME).status_code == 200

    assert DeviceToken.objects.get(user=owner).expiry == signed_in + max_age


def test_it_writes_last_use_at_most_once_a_minute(anon_api, owner, password, as_key):
    client = as_key(sign_in(anon_api, password))
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get(ME).status_code == 200
    assert not [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "devicetoken" in q["sql"]
    ]


def test_it_retires_the_least_recently_used_device_past_the_limit(anon_api, owner, password, as_key):
    # More sign-ins than the per-address login rate allows in a minute: the first ones through the service.
    keys = [services.device_token_create(user=owner)[1] for _ in range(MAX_DEVICES_PER_USER)]
    stale = DeviceToken.objects.filter(user=owner).order_by("id").first()
    DeviceToken.objects.filter(pk=stale.pk).update(last_used_at=timezone.now() - timedelta(days=5))

    newest = sign_in(anon_api, password)

    assert DeviceToken.objects.filter(user=owner).count() == MAX_DEVICES_PER_USER
    assert not DeviceToken.objects.filter(pk=stale.pk).exists()
    assert as_key(keys[0]).get(ME).status_code == 401
    assert as_key(keys[1]).get(ME).status_code == 200
    assert as_key(newest).get(ME).status_code == 200


@pytest.mark.parametrize(
    ("user_agent", "name"),
    [
        (PHONE_UA, "Safari on iPhone"),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0", "Firefox on Linux"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/140.0 Safari/537.36 Edg/140.0",
            "Edge on Windows",
        ),
        ("okhttp/4.12.0", "Android app"),
        ("SpeakPro/3.1 CFNetwork/1496 Darwin/24.0.0", "iOS app"),
        ("curl/8.5.0", "curl"),
        ("", "Unknown device"),
    ],
)
def test_it_names_a_device_from_its_user_agent(user_agent, name):
    assert services.device_name_from_user_agent(user_agent) == name


# --- DRF's plain-text tokens move into hashed devices -----------------------------------------

MOVE = importlib.import_module("myApp.accounts.migrations.0003_move_drf_tokens_to_devices")


class _SchemaEditor:
    def __init__(self):
        self.connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _drf_token_table(user, key: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) NOT NULL PRIMARY KEY, "
            "created timestamp with time zone NOT NULL, user_id bigint NOT NULL UNIQUE)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [key, "2024-03-01 10:00:00+00:00", user.pk],
        )
    MigrationRecorder(connection).record_applied("authtoken", "0004_alter_tokenproxy_options")
    ContentType.objects.get_or_create(app_label="authtoken", model="token")


def test_it_moves_drf_tokens_into_hashed_devices_that_keep_working(db, as_key):
    user = UserFactory(username="old-client")
    key = secrets.token_hex(20)  # what DRF's Token.generate_key() makes
    _drf_token_table(user, key)

    moved = MOVE.move_drf_tokens(apps, _SchemaEditor())

    assert moved == 1
    assert "authtoken_token" not in connection.introspection.table_names()
    assert not MigrationRecorder(connection).migration_qs.filter(app="authtoken").exists()
    assert not ContentType.objects.filter(app_label="authtoken").exists()
    device = DeviceToken.objects.get(user=user)
    assert device.name == "Signed in before 2024-03-01"
    assert key not in (device.digest, device.token_key)
    assert as_key(key).get(ME).json()["username"] == "old-client"


def test_it_moves_nothing_where_drf_tokens_never_existed(db):
    assert MOVE.move_drf_tokens(apps, _SchemaEditor()) == 0


@pytest.mark.parametrize("key", ["\x00" * 8, "abc\x00def" * 4, "ab'cd;--", "ü" * 10, "a b"])
def test_it_refuses_a_key_it_never_issues_without_asking_the_database(db, anon_api, key):
    """A NUL byte in a key once reached PostgreSQL ("A string literal cannot contain NUL") as a 500."""
    anon_api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with CaptureQueriesContext(connection) as queries:
        response = anon_api.get("/api/v1/me/")
    assert response.status_code == 401
    assert not [query for query in queries if "knox_authtoken" in query["sql"] or "device" in query["sql"]]


def test_the_prepared_lookup_reads_what_the_orm_query_reads(db, owner, outsider):
    """``device_token_for_key`` writes its statement once instead of compiling the ORM query per request: the
    device, its user and the extras must be what the ORM query returns (both databases' column conversions)."""
    from django.db.models.expressions import RawSQL

    from myApp.accounts import selectors

    _, key = services.device_token_create(user=owner, name="phone")
    services.device_token_create(user=outsider, name="other")
    extras = {"answer": RawSQL("SELECT %s + 1", [41]), "missing": RawSQL("SELECT NULL WHERE 1 = %s", [0])}
    with CaptureQueriesContext(connection) as queries:
        device = selectors.device_token_for_key(key=key, extras=extras)
    assert len(queries) == 1
    expected = (
        DeviceToken.objects.select_related("user")
        .annotate(**extras)
        .get(token_key=key[: len(device.token_key)], user=owner)
    )
    device_fields = [field.attname for field in DeviceToken._meta.concrete_fields]
    user_fields = [field.attname for field in type(owner)._meta.concrete_fields]
    assert [getattr(device, name) for name in device_fields] == [getattr(expected, name) for name in device_fields]
    with CaptureQueriesContext(connection) as queries:
        user = device.user
    assert len(queries) == 0  # joined, as select_related does
    assert [getattr(user, name) for name in user_fields] == [getattr(expected.user, name) for name in user_fields]
    assert (device.answer, device.missing) == (42, None)
    assert device.expiry.tzinfo is not None and not device._state.adding and device._state.db == "default"
    assert selectors.device_token_for_key(key=key[:-1] + ("a" if key[-1] != "a" else "b")) is None
