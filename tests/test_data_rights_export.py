"""Data export: GET /api/v1/me/export and the profile page's "Download my data"."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myApp.accounts.throttling import ExportRateThrottle
from myApp.lib import data_rights
from myApp.sessions.models import Conversation, Message
from tests.data_rights_helpers import add_messages, fill, marker
from tests.factories import UserFactory

URL = "/api/v1/me/export"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _owned_ids(rule, user) -> set:
    """The ids the registry says are ``user``'s (the models without a key have no ids to compare)."""
    model = rule.model_class
    ids = model._default_manager.filter(data_rights.owned_q(rule.export.paths, user)).values_list("pk", flat=True)
    return {str(pk) for pk in ids}  # as JSON has them (uuids as strings)


@pytest.fixture
def two_people(db):
    ana, bea = UserFactory(username="ana_export"), UserFactory(username="bea_export")
    fill(ana, peer=bea)
    fill(bea, peer=ana)
    return ana, bea


def test_it_exports_every_registered_models_rows_of_the_user_and_no_one_elses(two_people, api_as):
    ana, bea = two_people
    response = api_as(ana).get(URL)
    assert response.status_code == 200
    document = json.loads(_body(response))
    assert document["user_id"] == ana.pk
    data = document["data"]
    assert set(data) == {rule.model for rule in data_rights.rules()}
    empty = []
    for rule in data_rights.rules():
        rows = data[rule.model]
        if not rows:
            empty.append(rule.model)
        if rule.export.paths:
            pk = rule.model_class._meta.pk.attname
            exported = {str(row[pk]) for row in rows}
            assert exported == _owned_ids(rule, ana), rule.model
            assert not exported & (_owned_ids(rule, bea) - _owned_ids(rule, ana)), rule.model
    # Every model has a row of Ana's but an attempt's lock expiry (part of the attempt) and the page sessions
    # (a login's id and expiry, not her data; finding them means decoding every session).
    assert empty == ["sessions.Session", "axes.AccessAttemptExpiration"]
    assert {row["username"] for row in data["axes.AccessLog"]} == {ana.username}


def test_it_leaves_out_secrets_and_other_peoples_chat_and_clinical_notes(two_people, api_as):
    ana, bea = two_people
    body = _body(api_as(ana).get(URL)).decode()
    # Bea's words (her chat, her clinical notes about Ana as her client, her reviews) never appear in Ana's file.
    assert marker(bea) not in body
    assert marker(ana) in body
    data = json.loads(body)["data"]
    assert all("password" not in row for row in data["accounts.User"])
    assert all("digest" not in row and "token_key" not in row for row in data["accounts.DeviceToken"])
    assert all("digest" not in row for row in data["accounts.PairingCode"])
    # Ana's client record (she is the clinician) leaves out which account the client is.
    assert data["usersessions.Client"] and all("user_id" not in row for row in data["usersessions.Client"])
    # Her conversation's assistant turns are hers too.
    assert {row["role"] for row in data["usersessions.Message"]} == {"user", "assistant"}


def test_it_streams_one_json_attachment(two_people, api_as):
    ana, _ = two_people
    response = api_as(ana).get(URL)
    assert response.streaming
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="speakpro-export-')
    assert json.loads(_body(response))["format"] == "speakpro-export/1"


def test_it_reads_the_same_number_of_queries_for_10_or_3000_messages(two_people, api_as):
    """Chunked reads: the query count depends on the number of models, not of rows."""
    ana, _ = two_people
    client = api_as(ana)
    conversation = ana.conversations.first() if hasattr(ana, "conversations") else None
    conversation = conversation or Message.objects.filter(user=ana).first().conversation
    counts = []
    for extra in (8, 3000):
        add_messages(conversation, extra, offset=10_000 + extra)
        with CaptureQueriesContext(connection) as queries:
            body = _body(client.get(URL))
        counts.append(len(queries))
        assert len(json.loads(body)["data"]["usersessions.Message"]) == Message.objects.filter(user=ana).count()
    assert counts[0] == counts[1]


def test_it_throttles_exports(owner, api_as, monkeypatch):
    monkeypatch.setattr(ExportRateThrottle, "THROTTLE_RATES", {"export": "2/hour"})
    client = api_as(owner)
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 429]


def test_it_refuses_anonymous_callers(anon_api):
    assert anon_api.get(URL).status_code == 401


def test_it_offers_the_download_on_the_home_page_and_serves_it(client, owner):
    client.force_login(owner)
    home = client.get(reverse("accounts:home"))
    assert reverse("accounts:export") in home.content.decode()
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 200 and response.streaming
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(_body(response))["user_id"] == owner.pk


def test_it_sends_anonymous_page_visitors_to_log_in(client):
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("persona", ["owner", "parent_with_consent", "parent_without_consent", "staff", "outsider"])
def test_it_exports_only_the_callers_own_data_whoever_asks(personas, persona, api_as):
    """There is no one else to name: a parent (even with consent), staff or a stranger get their own file."""
    owner = personas["owner"]
    add_messages(Conversation.objects.create(user=owner), 2)  # the owner's chat: only the owner's file holds it
    caller = personas[persona]
    body = _body(api_as(caller).get(URL, {"user_id": owner.pk})).decode()
    assert json.loads(body)["user_id"] == caller.pk
    assert (marker(owner) in body) == (persona == "owner")
