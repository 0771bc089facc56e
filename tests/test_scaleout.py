"""Stateless web processes: two gunicorn instances on their own loopback ports share only PostgreSQL and
Redis, and a client alternating between them cannot tell (log-in sessions, API tokens, throttles, chat
history, module state). Each instance here stands for one machine behind a load balancer."""

import re
from itertools import cycle

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model

from myApp.sessions import services as chat_services
from myApp.sessions.models import Conversation
from tests.conftest import ON_POSTGRES
from tests.processes import gunicorn_servers, shared_environ

pytestmark = [
    pytest.mark.skipif(
        not (ON_POSTGRES and settings.REDIS_URL),
        reason="other processes can share only PostgreSQL and Redis; this run is SQLite + local memory",
    ),
    pytest.mark.django_db(transaction=True),  # the servers see only committed rows
]

USER_RATE = 6  # THROTTLE_USER_RATE for both servers: each test's users stay under it, the throttle test passes it
PASSPHRASE = "a-long-and-unusual-passphrase"
TIMEOUT = 20  # seconds one request may take before the test fails


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory):
    """Two gunicorn instances (one worker each) on the test database and Redis: (A, B) base URLs."""
    logs = tmp_path_factory.mktemp("servers")
    environ = shared_environ(
        THROTTLE_USER_RATE=f"{USER_RATE}/minute",
        GUNICORN_WORKERS="1",
        GUNICORN_ACCESSLOG=str(logs / "access.log"),
    )
    with gunicorn_servers(environ, logs, count=2) as (a, b):
        yield a, b


def sign_up(base: str, username: str) -> tuple[int, str]:
    """Register through the server (its own password hasher); returns (user id, API token)."""
    response = requests.post(
        f"{base}/api/v1/auth/register/", json={"username": username, "password": PASSPHRASE}, timeout=TIMEOUT
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return body["user"]["id"], body["token"]


def token_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Token {token}"}


def form_token(page: requests.Response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


def test_a_page_session_started_on_one_instance_works_on_the_other_and_ends_on_both(servers):
    a, b = servers
    sign_up(a, "walker")
    browser_a = requests.Session()
    login_page = browser_a.get(f"{a}/login/", timeout=TIMEOUT)
    logged_in = browser_a.post(
        f"{a}/login/",
        data={"username": "walker", "password": PASSPHRASE, "csrfmiddlewaretoken": form_token(login_page)},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert logged_in.status_code == 302, logged_in.text[:500]
    cookies = {name: browser_a.cookies[name] for name in ("sessionid", "csrftoken")}

    # Another browser tab that reaches instance B with the same cookies: signed in there too.
    browser_b = requests.Session()
    browser_b.cookies.update(cookies)
    home = browser_b.get(f"{b}/", allow_redirects=False, timeout=TIMEOUT)
    assert home.status_code == 200, home.headers.get("Location")
    assert "Welcome, walker" in home.text

    # Logging out on B ends the session for A as well.
    logged_out = browser_b.post(
        f"{b}/logout/", data={"csrfmiddlewaretoken": form_token(home)}, allow_redirects=False, timeout=TIMEOUT
    )
    assert logged_out.status_code == 302
    after = requests.get(f"{a}/", cookies={"sessionid": cookies["sessionid"]}, allow_redirects=False, timeout=TIMEOUT)
    assert after.status_code == 302 and "/login/" in after.headers["Location"]


def test_an_api_token_from_one_instance_works_on_the_other_until_logged_out_anywhere(servers):
    a, b = servers
    sign_up(b, "tokenholder")
    signed_in = requests.post(
        f"{a}/api/v1/auth/token/",
        json={"username": "tokenholder", "password": PASSPHRASE, "device_name": "phone"},
        timeout=TIMEOUT,
    )
    assert signed_in.status_code == 200, signed_in.text
    headers = token_headers(signed_in.json()["token"])

    me = requests.get(f"{b}/api/v1/me/", headers=headers, timeout=TIMEOUT)
    assert (me.status_code, me.json()["username"]) == (200, "tokenholder")
    assert requests.post(f"{b}/api/v1/auth/logout/", headers=headers, timeout=TIMEOUT).status_code == 204
    assert requests.get(f"{a}/api/v1/me/", headers=headers, timeout=TIMEOUT).status_code == 401


def test_throttles_count_requests_on_both_instances_together(servers):
    a, b = servers
    _, token = sign_up(a, "hurried")
    headers = token_headers(token)
    statuses = [
        requests.get(f"{base}/api/v1/me/", headers=headers, timeout=TIMEOUT).status_code
        for base, _ in zip(cycle(servers), range(USER_RATE + 2), strict=False)
    ]
    # Counted per instance, each would have let through USER_RATE and all of these would be 200.
    assert statuses == [200] * USER_RATE + [429, 429]
    refused = requests.get(f"{b}/api/v1/me/", headers=headers, timeout=TIMEOUT)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_chat_history_written_on_one_instance_is_read_and_continued_on_the_other(servers):
    a, b = servers
    _, token = sign_up(a, "alice")
    headers = token_headers(token)

    first = requests.post(f"{a}/api/chat", json={"message": "Hi, my name is Alice"}, headers=headers, timeout=TIMEOUT)
    assert first.status_code == 200, first.text
    session_id = first.json()["session_id"]

    history = requests.get(
        f"{b}/api/session/history", params={"session_id": session_id}, headers=headers, timeout=TIMEOUT
    )
    assert history.status_code == 200, history.text
    assert [m["content"] for m in history.json()["messages"]] == ["Hi, my name is Alice", first.json()["answer"]]

    second = requests.post(f"{b}/api/chat", json={"message": "What is my name?"}, headers=headers, timeout=TIMEOUT)
    assert second.json()["session_id"] == session_id
    assert "Alice" in second.json()["answer"]

    again = requests.get(
        f"{a}/api/session/history", params={"session_id": session_id}, headers=headers, timeout=TIMEOUT
    ).json()
    assert [m["content"] for m in again["messages"]] == [
        "Hi, my name is Alice",
        first.json()["answer"],
        "What is my name?",
        second.json()["answer"],
    ]
    assert Conversation.objects.get(session_id=session_id).message_count == 4


def test_module_state_changed_on_one_instance_is_seen_on_the_other(servers):
    a, b = servers
    user_id, token = sign_up(b, "breather")
    headers = token_headers(token)
    # A third process (this test) opens the conversation, as a worker or an admin action might.
    user = get_user_model().objects.get(pk=user_id)
    conversation, _ = chat_services.conversation_get_or_create_active(user=user)
    modules = f"/conversations/{conversation.pk}/modules"

    completed = requests.post(
        f"{a}{modules}/emotion_labeling/complete",
        json={"completion_data": {"mood": "Calm"}},
        headers=headers,
        timeout=TIMEOUT,
    )
    assert completed.status_code == 200, completed.text
    recommended = requests.post(f"{b}{modules}/quick_assessment/recommend", headers=headers, timeout=TIMEOUT)
    assert recommended.status_code == 200, recommended.text

    seen_on_b = requests.get(f"{b}{modules}", headers=headers, timeout=TIMEOUT).json()
    seen_on_a = requests.get(f"{a}{modules}", headers=headers, timeout=TIMEOUT).json()
    assert seen_on_a == seen_on_b
    status = seen_on_a["module_status"]
    assert status["emotion_labeling"] == completed.json()["module_status"]["emotion_labeling"]
    assert status["quick_assessment"]["recommended_at"] == recommended.json()["recommended_at"]
