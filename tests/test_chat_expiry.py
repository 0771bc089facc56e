"""When a chat session ends: one rule (myApp/sessions/expiry.py), and every surface agrees with it.

Time is moved by putting ``last_activity_at`` in the past (as an idle learner would); then the session check,
the v1 conversation API, the history and detail pages, the admin and retention must all change together.
"""

import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from myApp.sessions import expiry, services
from myApp.sessions.models import Conversation

TIMEOUT_HOURS = 3
pytestmark = pytest.mark.usefixtures("short_timeout")


@pytest.fixture
def short_timeout():
    with override_settings(CHAT_SESSION_TIMEOUT_HOURS=TIMEOUT_HOURS):
        yield


def idle_for(conversation: Conversation, delta: timedelta) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(last_activity_at=timezone.now() - delta)


def history_label(client, conversation: Conversation) -> str:
    html = client.get(reverse("chat:history")).content.decode()
    item = re.search(rf'data-testid="conversation-{conversation.pk}".*?</li>', html, re.S).group(0)
    return re.search(r'class="status [^"]+">(\w+)<', item).group(1)


def surfaces(owner, staff, api_as, client, admin_client, conversation) -> dict[str, object]:
    """What every place that shows or acts on a conversation's liveness says about it now."""
    check = api_as(owner).get("/api/session/check").json()
    listed = api_as(owner).get(f"/api/v1/conversations/{conversation.pk}/").json()
    detail = client.get(reverse("chat:detail", args=[conversation.pk])).content.decode()
    admin_live = admin_client.get(reverse("admin:usersessions_conversation_changelist"), {"live": "yes"})
    return {
        "session check": check["has_session"] and check["session_id"] == str(conversation.session_id),
        "v1 is_active": listed["is_active"],
        "history page": history_label(client, conversation),
        "detail page": "Continue this conversation" in detail,
        "admin live filter": conversation in admin_live.context["cl"].result_list,
        "retention would end": services.conversations_apply_retention(dry_run=True).ended,
    }


LIVE = {
    "session check": True,
    "v1 is_active": True,
    "history page": "Active",
    "detail page": True,
    "admin live filter": True,
    "retention would end": 0,
}
OVER = {
    "session check": False,
    "v1 is_active": False,
    "history page": "Ended",
    "detail page": False,
    "admin live filter": False,
    "retention would end": 1,
}


@pytest.fixture
def signed_in(client, owner, staff):
    client.force_login(owner)
    admin_client = Client()
    admin_client.force_login(staff)
    return client, admin_client


def test_it_flips_every_surface_at_once_when_the_timeout_passes(owner, staff, api_as, signed_in):
    client, admin_client = signed_in
    conversation = services.chat_send(user=owner, message="Hello").conversation

    idle_for(conversation, timedelta(hours=TIMEOUT_HOURS) - timedelta(minutes=1))
    assert surfaces(owner, staff, api_as, client, admin_client, conversation) == LIVE

    idle_for(conversation, timedelta(hours=TIMEOUT_HOURS) + timedelta(minutes=1))
    assert surfaces(owner, staff, api_as, client, admin_client, conversation) == OVER


def test_it_flips_every_surface_at_once_when_the_learner_ends_it(owner, staff, api_as, signed_in):
    client, admin_client = signed_in
    conversation = services.chat_send(user=owner, message="Hello").conversation
    assert surfaces(owner, staff, api_as, client, admin_client, conversation) == LIVE

    api_as(owner).post("/api/session/end", {"session_id": str(conversation.session_id)})
    assert surfaces(owner, staff, api_as, client, admin_client, conversation) == {**OVER, "retention would end": 0}


def test_it_never_lets_a_timed_out_conversation_block_the_next(owner, api_as):
    old = services.chat_send(user=owner, message="Hello").conversation
    idle_for(old, timedelta(hours=TIMEOUT_HOURS, seconds=1))

    reply = api_as(owner).post("/api/chat", {"message": "Back again"}).json()

    assert reply["session_id"] != str(old.session_id)
    old.refresh_from_db()
    assert old.ended_at == old.last_activity_at + timedelta(hours=TIMEOUT_HOURS)  # when it timed out
    check = api_as(owner).get("/api/session/check").json()
    assert check["has_session"] and check["session_id"] == reply["session_id"]


def test_it_shows_when_a_timed_out_conversation_ended(owner, client):
    conversation = services.chat_send(user=owner, message="Hello").conversation
    idle_for(conversation, timedelta(days=2))
    conversation.refresh_from_db()
    client.force_login(owner)

    page = client.get(reverse("chat:detail", args=[conversation.pk])).content.decode()

    timed_out = timezone.localtime(conversation.last_activity_at + timedelta(hours=TIMEOUT_HOURS))
    assert f"Ended {timed_out:%-d %b %Y, %H:%M}" in page


def test_it_derives_expires_at_in_the_api(owner, api_as):
    conversation = services.chat_send(user=owner, message="Hello").conversation
    conversation.refresh_from_db()
    body = api_as(owner).get(f"/api/v1/conversations/{conversation.pk}/").json()
    assert body["expires_at"] is not None
    assert expiry.expires_at(conversation) == conversation.last_activity_at + timedelta(hours=TIMEOUT_HOURS)

    services.conversation_end(conversation=conversation)
    assert api_as(owner).get(f"/api/v1/conversations/{conversation.pk}/").json()["expires_at"] is None


def test_it_keeps_one_open_conversation_per_user_in_the_database(owner):
    services.conversation_create(user=owner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Conversation.objects.create(user=owner)
