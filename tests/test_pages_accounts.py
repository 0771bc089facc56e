"""Account pages through real URLs: sign-up, login, logout, onboarding and home."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import get_hasher
from django.urls import reverse

from myApp.accounts import services
from myApp.accounts.models import ABVariant, Profile, Role, User
from myApp.accounts.services import users as user_services
from myApp.analytics.models import AnalyticsEvent

SIGNUP_URL = reverse("accounts:signup")
LOGIN_URL = reverse("accounts:login")
LOGOUT_URL = reverse("accounts:logout")
HOME_URL = reverse("accounts:home")
ONBOARDING_URL = reverse("accounts:onboarding")


def _signup_data(password: str, **overrides) -> dict:
    data = {
        "username": "newcomer",
        "email": "newcomer@example.com",
        "password1": password,
        "password2": password,
        "role": Role.LEARNER,
    }
    return data | overrides


def _logged_in_user_id(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def _has_field_error(response, field: str) -> bool:
    return f'id="id_{field}_error"' in response.content.decode()


def test_it_shows_the_signup_form_with_labelled_fields(client):
    response = client.get(SIGNUP_URL)

    assert response.status_code == 200
    html = response.content.decode()
    for field in ("username", "email", "password1", "password2", "role"):
        assert f'<label for="id_{field}">' in html, field
        assert f'id="id_{field}"' in html, field


@pytest.mark.django_db
def test_it_signs_up_logs_in_and_sends_the_user_to_onboarding(client, password):
    response = client.post(SIGNUP_URL, _signup_data(password))

    assert response.status_code == 302
    assert response["Location"] == ONBOARDING_URL
    user = User.objects.get(username="newcomer")
    assert (user.email, user.role) == ("newcomer@example.com", Role.LEARNER)
    assert user.check_password(password)
    assert Profile.objects.filter(user=user).exists()
    event = AnalyticsEvent.objects.get(event_type="user_signup")
    assert event.user == user
    assert event.event_data["source"] == "web"
    assert _logged_in_user_id(client) == user.pk


@pytest.mark.django_db
def test_it_refuses_mismatched_passwords(client, password):
    response = client.post(SIGNUP_URL, _signup_data(password, password2=password + "-typo"))

    assert response.status_code == 400
    assert _has_field_error(response, "password2")
    assert not User.objects.exists()
    assert not AnalyticsEvent.objects.exists()
    assert _logged_in_user_id(client) is None


@pytest.mark.parametrize("username", ["owner", "OWNER"])
def test_it_refuses_a_taken_username(client, owner, password, username):
    users_before = User.objects.count()

    response = client.post(SIGNUP_URL, _signup_data(password, username=username))

    assert response.status_code == 400
    assert _has_field_error(response, "username")
    assert User.objects.count() == users_before
    assert not AnalyticsEvent.objects.filter(event_type="user_signup").exists()


@pytest.mark.parametrize("username", ["owner", "OWNER", "bad name!", "x" * 151])
def test_it_answers_a_taken_username_like_any_unusable_one(client, owner, password, username):
    response = client.post(SIGNUP_URL, _signup_data(password, username=username))

    assert response.status_code == 400
    assert response.context["form"].errors["username"] == [services.USERNAME_UNAVAILABLE]
    assert "already exists" not in response.content.decode()
    assert User.objects.count() == 1


def test_it_hashes_the_password_for_a_taken_username_as_for_a_free_one(client, owner, password, monkeypatch):
    hasher, calls = type(get_hasher()), []
    encode = hasher.encode
    monkeypatch.setattr(hasher, "encode", lambda self, *args: calls.append(1) or encode(self, *args))

    assert client.post(SIGNUP_URL, _signup_data(password, username="free-name")).status_code == 302
    free = len(calls)
    client.logout()
    calls.clear()
    assert client.post(SIGNUP_URL, _signup_data(password, username="Owner")).status_code == 400

    assert free == len(calls) == 1


def test_it_signs_up_with_a_password_kept_exactly_as_typed(client, db):
    spaced = " Zx9!space-pass-1 "
    assert client.post(SIGNUP_URL, _signup_data(spaced)).status_code == 302
    assert User.objects.get(username="newcomer").check_password(spaced)
    assert not User.objects.get(username="newcomer").check_password(spaced.strip())


@pytest.mark.django_db
def test_it_refuses_to_sign_up_a_psychologist(client, password):
    response = client.post(SIGNUP_URL, _signup_data(password, role=Role.PSYCHOLOGIST))

    assert response.status_code == 400
    assert _has_field_error(response, "role")
    assert not User.objects.exists()


def test_it_logs_in_with_the_right_password(client, owner, password):
    response = client.post(LOGIN_URL, {"username": "owner", "password": password})

    assert response.status_code == 302
    assert response["Location"] == HOME_URL
    assert _logged_in_user_id(client) == owner.pk
    assert AnalyticsEvent.objects.filter(event_type="user_login", user=owner, event_data__source="web").count() == 1


def test_it_shows_an_error_for_the_wrong_password(client, owner, password):
    response = client.post(LOGIN_URL, {"username": "owner", "password": password + "x"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "Please enter a correct username and password" in response.content.decode()
    assert _logged_in_user_id(client) is None


def test_it_throttles_the_eleventh_login_attempt_in_a_minute(client, owner, password):
    # Ten different usernames, so the per-username lockout never answers first: this is the address limit.
    for n in range(10):
        assert client.post(LOGIN_URL, {"username": f"guess{n}", "password": "wrong-guess"}).status_code == 200

    response = client.post(LOGIN_URL, {"username": "owner", "password": password})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert _logged_in_user_id(client) is None


def test_it_logs_out_on_post(client, owner):
    client.force_login(owner)

    response = client.post(LOGOUT_URL)

    assert response.status_code == 302
    assert _logged_in_user_id(client) is None
    assert client.get(HOME_URL).status_code == 302


def test_logging_in_and_out_says_so_on_the_next_page(client, owner, password):
    """The new-user review logged out and landed on the log-in form with nothing saying it had worked; logging in
    said nothing either when the next page was not the home page's greeting."""
    logged_in = client.post(LOGIN_URL, {"username": "owner", "password": password}, follow=True)
    assert "You are logged in as owner." in logged_in.content.decode()

    logged_out = client.post(LOGOUT_URL, follow=True)

    assert logged_out.redirect_chain[-1][0] == LOGIN_URL
    assert "You are logged out." in logged_out.content.decode()
    assert _logged_in_user_id(client) is None
    assert "You are logged out." not in client.get(LOGIN_URL).content.decode()  # said once


def test_saving_the_profile_says_so(client, owner):
    client.force_login(owner)

    response = client.post(ONBOARDING_URL, _persona(), follow=True)

    assert response.redirect_chain[-1][0] == HOME_URL
    assert "Your profile is saved." in response.content.decode()


def test_the_profile_form_speaks_to_the_user(client, owner):
    """The audience field's help read "Who the learner usually speaks to." under "Who do you usually speak to?"."""
    client.force_login(owner)

    page = client.get(ONBOARDING_URL).content.decode()

    assert "the learner" not in page and "For example classmates, colleagues or clients." in page


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_from_home_to_login(client):
    response = client.get(HOME_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={HOME_URL}"


def test_it_shows_the_users_balance_on_home(client, owner):
    services.profile_adjust_balance(user=owner, xp=120, coins=37, tickets=3)
    client.force_login(owner)

    response = client.get(HOME_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<dd data-testid="xp">120</dd>' in html
    assert '<dd data-testid="coins">37</dd>' in html
    assert '<dd data-testid="tickets">3</dd>' in html


def test_it_does_not_show_another_users_balance_on_home(client, owner, outsider):
    services.profile_adjust_balance(user=owner, coins=7)
    services.profile_adjust_balance(user=outsider, xp=9191, coins=4242, tickets=77)
    client.force_login(owner)

    html = client.get(HOME_URL).content.decode()

    assert '<dd data-testid="coins">7</dd>' in html
    for foreign in ("9191", "4242", ">77<"):
        assert foreign not in html


def test_it_assigns_an_ab_variant_at_sign_up_and_home_never_changes_it(client, owner, monkeypatch):
    first = Profile.objects.get(user=owner).ab_variant
    assert first in (ABVariant.A, ABVariant.B)
    client.force_login(owner)

    other = ABVariant.B if first == ABVariant.A else ABVariant.A
    monkeypatch.setattr(user_services.random, "choice", lambda choices: other)
    assert client.get(HOME_URL).status_code == 200
    assert client.get(HOME_URL).status_code == 200

    assert Profile.objects.get(user=owner).ab_variant == first


def test_it_shows_the_onboarding_form(client, owner):
    client.force_login(owner)

    response = client.get(ONBOARDING_URL)

    assert response.status_code == 200
    assert '<label for="id_comfort_large_audience">' in response.content.decode()


def _persona(**overrides) -> dict:
    persona = {
        "role": "Student",
        "main_goal": "Defend my thesis calmly",
        "audience": "Examiners",
        "comfort_one_on_one": "4",
        "comfort_small_group": "3",
        "comfort_large_audience": "1",
        "mode": "therapeutic",
    }
    return persona | overrides


def test_it_completes_onboarding(client, owner):
    client.force_login(owner)

    response = client.post(ONBOARDING_URL, _persona())

    assert response.status_code == 302
    assert response["Location"] == HOME_URL
    profile = Profile.objects.get(user=owner)
    assert profile.onboarding_completed
    assert (profile.role, profile.main_goal, profile.audience, profile.mode) == (
        "Student",
        "Defend my thesis calmly",
        "Examiners",
        "therapeutic",
    )
    assert (profile.comfort_one_on_one, profile.comfort_small_group, profile.comfort_large_audience) == (4, 3, 1)


def test_it_refuses_a_comfort_level_out_of_range(client, owner):
    client.force_login(owner)

    response = client.post(ONBOARDING_URL, _persona(comfort_small_group="9"))

    assert response.status_code == 400
    assert _has_field_error(response, "comfort_small_group")
    assert not _has_field_error(response, "comfort_one_on_one")
    profile = Profile.objects.get(user=owner)
    assert not profile.onboarding_completed
    assert profile.comfort_small_group is None


@pytest.mark.django_db
def test_it_sends_a_content_security_policy(client):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy


def test_it_says_a_long_wait_in_minutes_on_the_throttled_sign_up_page(client, db):
    for n in range(10):
        client.post(reverse("accounts:signup"), {"username": f"u{n}", "password1": "x", "password2": "y"})

    response = client.post(reverse("accounts:signup"), {"username": "late", "password1": "x", "password2": "y"})

    assert response.status_code == 429
    page = response.content.decode()
    assert "about 60 minutes" in page or "about 59 minutes" in page
    assert "seconds" not in page
    assert 'href="/"' in page
