"""A conversation records the address the server saw; a client-sent ``ip_address`` is kept apart, unverified."""

import pytest
from django.urls import reverse

from myApp.sessions.models import Conversation

CLAIMED = "192.168.1.1"
PROXY = "10.0.0.2"
FORWARDED = "198.51.100.7"
SPOOFED = "6.6.6.6"


def only_conversation() -> Conversation:
    return Conversation.objects.get()


def api_create(client, **extra):
    return client.post("/api/session/create", {"ip_address": CLAIMED}, **extra)


def api_chat(client, **extra):
    return client.post("/api/chat", {"message": "Hello", "ip_address": CLAIMED}, **extra)


def api_chat_with_audio(client, **extra):
    return client.post("/api/chat-with-audio", {"message": "Hi", "ip_address": CLAIMED}, **extra)


API_ROUTES = [api_create, api_chat, api_chat_with_audio]


@pytest.mark.parametrize("send", API_ROUTES)
def test_it_never_stores_a_body_ip_address_as_the_observed_one(api_as, owner, settings, send):
    settings.TRUSTED_PROXY_COUNT = 0
    response = send(api_as(owner), REMOTE_ADDR="203.0.113.9")
    assert response.status_code in (200, 201), response.json()
    conversation = only_conversation()
    assert conversation.ip_address == "203.0.113.9"
    assert conversation.client_reported_ip == CLAIMED


@pytest.mark.parametrize("send", API_ROUTES)
def test_it_stores_the_forwarded_address_behind_one_trusted_proxy(api_as, owner, settings, send):
    settings.TRUSTED_PROXY_COUNT = 1
    response = send(api_as(owner), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{SPOOFED}, {FORWARDED}")
    assert response.status_code in (200, 201), response.json()
    conversation = only_conversation()
    assert (conversation.ip_address, conversation.client_reported_ip) == (FORWARDED, CLAIMED)


def test_it_ignores_the_forwarded_header_when_no_proxy_is_trusted(api_as, owner, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    api_as(owner).post("/api/session/create", {}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=FORWARDED)
    conversation = only_conversation()
    assert (conversation.ip_address, conversation.client_reported_ip) == (PROXY, None)


def test_it_leaves_the_reported_address_empty_when_the_body_has_none(api_as, owner):
    api_as(owner).post("/api/chat", {"message": "Hello", "ip_address": None})
    assert only_conversation().client_reported_ip is None


# --- the pages ----------------------------------------------------------------------------


def _chat_page(client):
    return client.post(reverse("chat:conversation"), {"message": "Hello"}, **PROXIED)


def _new_button(client):
    return client.post(reverse("chat:new"), **PROXIED)


def _module_page(client):
    return client.post(reverse("chat:module", args=["mood"]), {"mood": "Calm", "date": "2026-11-23"}, **PROXIED)


PROXIED = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{SPOOFED}, {FORWARDED}"}


@pytest.mark.parametrize("send", [_chat_page, _new_button, _module_page])
@pytest.mark.parametrize(("trusted", "expected"), [(0, PROXY), (1, FORWARDED)])
def test_it_records_what_the_server_saw_from_the_pages(client, owner, settings, send, trusted, expected):
    settings.TRUSTED_PROXY_COUNT = trusted
    client.force_login(owner)
    assert send(client).status_code == 302
    conversation = only_conversation()
    assert (conversation.ip_address, conversation.client_reported_ip) == (expected, None)


def test_it_shows_both_addresses_labelled_in_the_admin(api_as, owner, staff_client):
    api_create(api_as(owner), REMOTE_ADDR="203.0.113.9")
    page = staff_client.get(
        reverse("admin:usersessions_conversation_change", args=[only_conversation().pk])
    ).content.decode()
    assert "IP address (observed)" in page and "203.0.113.9" in page
    assert "IP address reported by the client (unverified)" in page and CLAIMED in page
