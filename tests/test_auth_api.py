"""Register, obtain a token, log out (revokes it), authentication and throttling."""

import pytest
from rest_framework.authtoken.models import Token

from myApp.accounts.models import Profile, User
from myApp.analytics.models import AnalyticsEvent

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/me/"
STRONG = "a-long-and-unusual-passphrase"


def test_it_registers_a_learner_and_returns_a_working_token(anon_api, db):
    response = anon_api.post(REGISTER, {"username": "newbie", "email": "n@example.com", "password": STRONG})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["user"]["username"] == "newbie"
    assert body["user"]["role"] == "learner"
    assert body["user"]["profile"]["coins"] == 0
    user = User.objects.get(username="newbie")
    assert Profile.objects.filter(user=user).exists()
    assert AnalyticsEvent.objects.filter(user=user, event_type="user_signup", event_data__source="api").exists()

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


def test_it_refuses_a_taken_username_case_insensitively(anon_api, owner):
    response = anon_api.post(REGISTER, {"username": "OWNER", "password": STRONG})
    assert response.status_code == 400
    assert "username" in response.json()["errors"]


def test_it_answers_415_for_a_multipart_body_instead_of_storing_nulls(anon_api, db):
    response = anon_api.post(REGISTER, {"username": "null", "password": "null"}, format="multipart")
    assert response.status_code == 415
    assert response.json()["detail"].startswith('Unsupported media type "multipart/form-data')
    assert response.json()["errors"] == {}
    assert not User.objects.exists()


def test_it_exchanges_credentials_for_a_token(anon_api, owner, password):
    response = anon_api.post(TOKEN, {"username": "owner", "password": password})
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=owner).key


def test_it_refuses_wrong_credentials(anon_api, owner):
    response = anon_api.post(TOKEN, {"username": "owner", "password": "wrong"})
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == ["Unable to log in with provided credentials."]


def test_it_revokes_the_token_on_logout(api_as, owner):
    client = api_as(owner)
    assert client.get(ME).status_code == 200
    assert client.post(LOGOUT).status_code == 204
    assert not Token.objects.filter(user=owner).exists()
    response = client.get(ME)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "errors": {}}


def test_it_requires_authentication(anon_api, db):
    for method, url in [("get", ME), ("patch", ME), ("post", LOGOUT), ("get", "/api/v1/child-links/")]:
        response = getattr(anon_api, method)(url)
        assert response.status_code == 401, url
        assert response.json() == {"detail": "Authentication credentials were not provided.", "errors": {}}


def test_it_throttles_token_requests(anon_api, owner):
    statuses = [anon_api.post(TOKEN, {"username": "owner", "password": "wrong"}).status_code for _ in range(11)]
    assert statuses == [400] * 10 + [429]
    throttled = anon_api.post(TOKEN, {"username": "owner", "password": "wrong"})
    assert throttled.status_code == 429
    assert "Retry-After" in throttled.headers
    assert throttled.json()["detail"].startswith("Request was throttled")


def test_it_throttles_registration(anon_api, db):
    statuses = [anon_api.post(REGISTER, {"username": f"u{n}", "password": STRONG}).status_code for n in range(11)]
    assert statuses == [201] * 10 + [429]
