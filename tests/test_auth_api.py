"""Register, log in (one hashed token per device), log out, authentication, sign-up answers and throttling."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import get_hasher
from django.db import IntegrityError, transaction
from django.urls import reverse

from myApp.accounts.models import DeviceToken, Profile, User
from myApp.accounts.services import USERNAME_UNAVAILABLE
from myApp.analytics.models import AnalyticsEvent

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/me/"
STRONG = "a-long-and-unusual-passphrase"
SPACED = " Zx9!space-pass-1 "  # the password from the issue: leading and trailing spaces are part of it


def test_it_registers_a_learner_and_returns_a_working_token(anon_api, db):
    response = anon_api.post(REGISTER, {"username": "newbie", "email": "n@example.com", "password": STRONG})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["user"]["username"] == "newbie"
    assert body["user"]["role"] == "learner"
    assert body["user"]["profile"]["coins"] == 0
    assert body["expiry"] == body["device"]["expiry"]
    assert (body["device"]["name"], body["device"]["current"]) == ("Unknown device", True)
    user = User.objects.get(username="newbie")
    assert Profile.objects.filter(user=user).exists()
    assert AnalyticsEvent.objects.filter(user=user, event_type="user_signup", event_data__source="api").exists()
    assert DeviceToken.objects.filter(user=user).count() == 1

    anon_api.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert anon_api.get(ME).json()["username"] == "newbie"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "x", "password": "123"}, "password"),
        ({"username": "bad name!", "password": STRONG}, "username"),
        ({"username": "y", "password": STRONG, "role": "psychologist"}, "role"),
        ({"username": "z", "password": STRONG, "coins": 1000}, "coins"),
        ({"password": STRONG}, "username"),
        ({"username": None, "password": STRONG}, "username"),
    ],
)
def test_it_rejects_bad_registrations_with_field_messages(anon_api, db, payload, field):
    response = anon_api.post(REGISTER, payload)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert field in body["errors"], body
    assert all(isinstance(message, str) for message in body["errors"][field])
    assert not User.objects.exists()


@pytest.mark.parametrize("username", ["OWNER", "\uff2f\uff37\uff2e\uff25\uff32", "\uff4f\uff57\uff4e\uff45\uff52"])
def test_it_refuses_a_taken_username_case_insensitively(anon_api, owner, username):
    """Fullwidth letters are the same name once normalised (NFKC), as they would be stored."""
    response = anon_api.post(REGISTER, {"username": username, "password": STRONG})
    assert response.status_code == 400
    assert "username" in response.json()["errors"]
    assert User.objects.filter(username__iexact="owner").count() == 1


def test_it_holds_one_name_per_spelling_in_the_database(owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="Owner")


@pytest.mark.parametrize("username", ["owner", "OWNER", "bad name!", "x" * 151])
def test_it_answers_a_taken_username_like_any_unusable_one(anon_api, owner, username):
    response = anon_api.post(REGISTER, {"username": username, "password": STRONG})

    assert response.status_code == 400
    assert response.json()["errors"] == {"username": [USERNAME_UNAVAILABLE]}
    assert User.objects.count() == 1


@pytest.fixture
def hashings(monkeypatch):
    """Counts password hashings (what makes a successful sign-up slow)."""
    hasher = type(get_hasher())
    calls = []
    encode = hasher.encode

    def counting(self, *args, **kwargs):
        calls.append(1)
        return encode(self, *args, **kwargs)

    monkeypatch.setattr(hasher, "encode", counting)
    return calls


def test_it_hashes_the_password_for_a_taken_username_as_for_a_free_one(anon_api, owner, hashings):
    assert anon_api.post(REGISTER, {"username": "free-name", "password": STRONG}).status_code == 201
    free = len(hashings)
    hashings.clear()

    assert anon_api.post(REGISTER, {"username": "Owner", "password": STRONG}).status_code == 400

    assert free == len(hashings) == 1


def test_it_keeps_a_registered_password_exactly_as_typed(anon_api, client, db):
    assert anon_api.post(REGISTER, {"username": "spacey", "password": SPACED}).status_code == 201

    assert anon_api.post(TOKEN, {"username": "spacey", "password": SPACED}).status_code == 200
    assert anon_api.post(TOKEN, {"username": "spacey", "password": SPACED.strip()}).status_code == 400
    page = client.post(reverse("accounts:login"), {"username": "spacey", "password": SPACED})
    assert page.status_code == 302
    assert client.session[SESSION_KEY] == str(User.objects.get(username="spacey").pk)


def test_it_answers_415_for_a_multipart_body_instead_of_storing_nulls(anon_api, db):
    response = anon_api.post(REGISTER, {"username": "null", "password": "null"}, format="multipart")
    assert response.status_code == 415
    assert response.json()["detail"].startswith('Unsupported media type "multipart/form-data')
    assert response.json()["errors"] == {}
    assert not User.objects.exists()


def test_it_exchanges_credentials_for_a_token_stored_only_as_a_digest(anon_api, owner, password):
    response = anon_api.post(TOKEN, {"username": "owner", "password": password})

    assert response.status_code == 200
    body = response.json()
    key = body["token"]
    device = DeviceToken.objects.get(user=owner)
    assert body["device"]["id"] == device.pk
    stored = [str(value) for value in DeviceToken.objects.filter(pk=device.pk).values().get().values()]
    assert key not in stored
    assert device.digest != key and len(device.digest) == 128
    assert AnalyticsEvent.objects.filter(event_type="user_login", user=owner, event_data__source="api").exists()
    anon_api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert anon_api.get(ME).json()["username"] == "owner"


def test_it_refuses_wrong_credentials(anon_api, owner):
    response = anon_api.post(TOKEN, {"username": "owner", "password": "wrong"})
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == ["Unable to log in with provided credentials."]
    assert not DeviceToken.objects.exists()


def test_it_refuses_an_inactive_account_with_the_same_answer(anon_api, owner, password):
    User.objects.filter(pk=owner.pk).update(is_active=False)
    response = anon_api.post(TOKEN, {"username": "owner", "password": password})
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == ["Unable to log in with provided credentials."]


def test_it_revokes_the_calling_device_on_logout(api_as, owner):
    client = api_as(owner)
    assert client.get(ME).status_code == 200
    assert client.post(LOGOUT).status_code == 204
    assert not DeviceToken.objects.filter(user=owner).exists()
    response = client.get(ME)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "errors": {}}


def test_it_requires_authentication(anon_api, db):
    for method, url in [
        ("get", ME),
        ("patch", ME),
        ("post", LOGOUT),
        ("post", "/api/v1/auth/logout-everywhere/"),
        ("get", "/api/v1/auth/devices/"),
        ("get", "/api/v1/child-links/"),
        ("get", "/api/v1/pairing-codes/"),
    ]:
        response = getattr(anon_api, method)(url)
        assert response.status_code == 401, url
        assert response.json() == {"detail": "Authentication credentials were not provided.", "errors": {}}


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token ", "Token \u00e9\u00e8", "Token " + "f" * 300])
def test_it_answers_401_for_malformed_token_headers(anon_api, db, header):
    response = anon_api.get(ME, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["errors"] == {}


def test_it_throttles_token_requests_per_address(anon_api, db):
    # Different usernames, so the per-username lockout never answers first: this is the address limit.
    statuses = [anon_api.post(TOKEN, {"username": f"who{n}", "password": "wrong"}).status_code for n in range(11)]
    assert statuses == [400] * 10 + [429]
    throttled = anon_api.post(TOKEN, {"username": "someone-else", "password": "wrong"})
    assert throttled.status_code == 429
    assert "Retry-After" in throttled.headers
    assert throttled.json()["detail"].startswith("Request was throttled")


def test_it_throttles_registration(anon_api, db):
    statuses = [anon_api.post(REGISTER, {"username": f"u{n}", "password": STRONG}).status_code for n in range(11)]
    assert statuses == [201] * 10 + [429]
