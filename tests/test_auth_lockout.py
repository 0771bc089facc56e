"""One lockout for every login path (the page, the API token, the admin): per username + client
address, in the database, so it holds while Redis is down and however X-Forwarded-For rotates."""

import math
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db.models import F, Min
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from myApp.accounts.models import DeviceToken
from tests.outages import DOWN_REDIS

LOGIN_PAGE = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")
TOKEN = "/api/v1/auth/token/"
LIMIT = settings.AXES_FAILURE_LIMIT  # 5 by default (LOGIN_FAILURE_LIMIT)
LOCKED_PAGE_TEXT = "Too many failed logins"


def _logged_in(client) -> bool:
    return SESSION_KEY in client.session


def api_login(anon_api, username: str, password: str, **extra):
    return anon_api.post(TOKEN, {"username": username, "password": password}, **extra)


def page_login(client, username: str, password: str, url: str = LOGIN_PAGE, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def assert_retry_after_is_the_time_left(response) -> None:
    """``Retry-After`` counts down from the failure that locked the login: at most the whole pause, and no less
    than what is left of it now, measured from the oldest recorded failure (a bound that holds however slowly
    the machine runs, instead of an exact figure that a busy second breaks)."""
    pause = settings.LOGIN_LOCKOUT_MINUTES * 60
    oldest = AccessAttempt.objects.aggregate(oldest=Min("attempt_time"))["oldest"]
    left_now = math.ceil(pause - (timezone.now() - oldest).total_seconds())
    assert left_now <= int(response["Retry-After"]) <= pause


def assert_api_locked_out(response) -> None:
    assert response.status_code == 429, response.content
    assert_retry_after_is_the_time_left(response)
    assert response.json() == {
        "detail": (
            "Too many failed logins for this account from your address. "
            f"Try again in {settings.LOGIN_LOCKOUT_MINUTES} minutes."
        ),
        "errors": {},
    }


def assert_page_locked_out(response) -> None:
    assert response.status_code == 429
    assert_retry_after_is_the_time_left(response)
    assert LOCKED_PAGE_TEXT in response.content.decode()


def test_it_locks_the_api_login_out_after_the_failure_limit_even_for_the_right_password(anon_api, owner, password):
    statuses = [api_login(anon_api, "owner", "wrong").status_code for _ in range(LIMIT - 1)]
    assert statuses == [400] * (LIMIT - 1)

    assert_api_locked_out(api_login(anon_api, "owner", "wrong"))
    assert_api_locked_out(api_login(anon_api, "owner", password))
    assert not DeviceToken.objects.filter(user=owner).exists()


def test_it_locks_the_login_page_out_with_a_clear_page(client, owner, password):
    for _ in range(LIMIT - 1):
        assert page_login(client, "owner", "wrong").status_code == 200

    assert_page_locked_out(page_login(client, "owner", "wrong"))
    assert_page_locked_out(page_login(client, "owner", password))
    assert not _logged_in(client)


def test_it_refuses_the_right_staff_password_on_the_admin_after_25_wrong_ones(client, staff, password):
    statuses = [page_login(client, "staffer", f"guess-{n}", url=ADMIN_LOGIN).status_code for n in range(25)]
    assert statuses == [200] * (LIMIT - 1) + [429] * (25 - LIMIT + 1)

    response = page_login(client, "staffer", password, url=ADMIN_LOGIN)

    assert_page_locked_out(response)
    assert not _logged_in(client)
    assert client.get(reverse("admin:index")).status_code == 302


def test_it_counts_failures_from_every_login_path_together(client, anon_api, staff, password):
    page_login(client, "staffer", "wrong-1")
    page_login(client, "staffer", "wrong-2", url=ADMIN_LOGIN)
    for n in range(LIMIT - 3):
        api_login(anon_api, "staffer", f"wrong-api-{n}")

    assert_api_locked_out(api_login(anon_api, "staffer", "wrong-last"))
    assert_page_locked_out(page_login(client, "staffer", password))
    assert_page_locked_out(page_login(client, "staffer", password, url=ADMIN_LOGIN))


def test_it_keeps_the_lockout_however_x_forwarded_for_rotates(client, anon_api, owner, password, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(LIMIT):
        api_login(anon_api, "owner", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    assert_api_locked_out(api_login(anon_api, "owner", password, HTTP_X_FORWARDED_FOR="203.0.113.77"))
    assert_page_locked_out(page_login(client, "owner", password, HTTP_X_FORWARDED_FOR="203.0.113.78"))


def test_it_locks_only_that_username_at_that_address(anon_api, owner, outsider, password):
    for _ in range(LIMIT):
        api_login(anon_api, "owner", "wrong")

    assert api_login(anon_api, "owner", password, REMOTE_ADDR="192.0.2.44").status_code == 200  # elsewhere
    assert api_login(anon_api, "outsider", password).status_code == 200  # another account, same address


def test_it_locks_unknown_usernames_alike_so_a_lockout_reveals_no_account(anon_api, db):
    for _ in range(LIMIT - 1):
        assert api_login(anon_api, "nobody-here", "wrong").status_code == 400
    assert_api_locked_out(api_login(anon_api, "nobody-here", "wrong"))


def test_it_holds_the_lockout_while_redis_is_down(client, anon_api, owner, password):
    with override_settings(CACHES=DOWN_REDIS):
        # The cache-backed rate limit fails open now (more than 10 attempts get through it);
        # every refusal past the limit is the database lockout's.
        responses = [api_login(anon_api, "owner", f"wrong-{n}") for n in range(12)]
        assert [response.status_code for response in responses] == [400] * (LIMIT - 1) + [429] * (12 - LIMIT + 1)
        for response in responses[LIMIT - 1 :]:
            assert_api_locked_out(response)

        assert_api_locked_out(api_login(anon_api, "owner", password))
        assert_page_locked_out(page_login(client, "owner", password))
        assert not DeviceToken.objects.filter(user=owner).exists()


def _cool_off_passes() -> None:
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))


def test_it_lets_the_right_password_in_after_the_cool_off(client, anon_api, owner, password):
    for _ in range(LIMIT):
        api_login(anon_api, "owner", "wrong")
    assert_api_locked_out(api_login(anon_api, "owner", password))

    _cool_off_passes()

    assert api_login(anon_api, "owner", password).status_code == 200
    assert not AccessAttempt.objects.filter(username="owner").exists()
    assert page_login(client, "owner", password).status_code == 302
    assert _logged_in(client)


def test_it_forgets_failures_after_a_successful_login(anon_api, owner, password):
    for _ in range(LIMIT - 1):
        api_login(anon_api, "owner", "wrong")
    assert api_login(anon_api, "owner", password).status_code == 200

    statuses = [api_login(anon_api, "owner", "wrong").status_code for _ in range(LIMIT - 1)]

    assert statuses == [400] * (LIMIT - 1)


def test_it_lets_staff_see_and_clear_a_lockout_in_the_admin(staff_client, anon_api, owner, password):
    for _ in range(LIMIT):
        api_login(anon_api, "owner", "wrong")
    changelist = reverse("admin:axes_accessattempt_changelist")

    listed = staff_client.get(changelist, {"q": "owner"})
    assert listed.status_code == 200
    attempt = AccessAttempt.objects.get(username="owner")
    assert list(listed.context["cl"].result_list) == [attempt]
    assert "Locked Out" in listed.content.decode()
    assert password not in listed.content.decode()

    cleared = staff_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"}
    )

    assert cleared.status_code == 302
    assert api_login(anon_api, "owner", password).status_code == 200


@pytest.mark.parametrize("url", [LOGIN_PAGE, ADMIN_LOGIN, TOKEN])
def test_it_never_stores_the_password_of_a_failed_login(client, owner, url):
    content_type = {"content_type": "application/json"} if url == TOKEN else {}
    client.post(url, {"username": "owner", "password": "my-secret-guess"}, **content_type)
    attempt = AccessAttempt.objects.get()
    assert "my-secret-guess" not in f"{attempt.get_data} {attempt.post_data}"


def test_it_answers_the_time_left_and_never_lengthens_the_pause(client, anon_api, owner, password):
    for _ in range(LIMIT):
        api_login(anon_api, "owner", "wrong")
    # Most of the pause has passed.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME + timedelta(seconds=30))

    for attempt in (api_login(anon_api, "owner", password), page_login(client, "owner", "wrong")):
        assert attempt.status_code == 429
        assert 1 <= int(attempt["Retry-After"]) <= 30
    assert "about 1 minute" in page_login(client, "owner", password).content.decode()

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=31))
    assert api_login(anon_api, "owner", password).status_code == 200
