"""Attack review of the history cache, content negotiation, lazy messages and issue 11's clinical changes
(2026-11-24). Each test is a finding: it failed before its fix."""

import datetime
import itertools
import re
import uuid

import pytest
from django.test import Client as PageClient
from django.urls import reverse
from django.utils import timezone

from myApp.lib.exceptions import ServiceError
from myApp.sessions import selectors, services
from myApp.sessions.clinical_selectors import insight_decisions
from myApp.sessions.models import Client, Conversation
from myApp.sessions.services import clinical as clinical_services
from myApp.sessions.services.clinical import insights as insight_services
from tests.clinical_helpers import client_create, clinician_create, draft_insight, session_with_transcript
from tests.concurrency import race
from tests.factories import StaffFactory, UserFactory


@pytest.fixture
def clinician(db):
    return clinician_create("dr_attack")


def page_as(user) -> PageClient:
    page = PageClient()
    page.force_login(user)
    return page


# --- Format suffixes: /api/v1/<route>.json ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/session-insights.json",
        "/api/v1/session-insights/{insight}.json",
        "/api/v1/session-insights/{insight}/decisions.json",
        "/api/v1/clients.json",
        "/api/v1/clients/{client}.json",
        "/api/v1/therapy-sessions.json",
        "/api/v1/clinician-notifications.json",
    ],
)
def test_a_format_suffix_on_a_router_route_is_no_server_error(api_as, clinician, path):
    """The router added a ``.json`` twin to every route, and every viewset method written without a ``format``
    argument answered it with 500 (TypeError: unexpected keyword argument 'format'): 23 routes, among them the new
    ``session-insights/{id}/decisions.json``. The API has one renderer, ``?format=json`` still chooses it, and the
    schema never listed the twins: they are gone (404)."""
    session = session_with_transcript(client_create(clinician))
    insight = draft_insight(session, title="Something")
    answer = api_as(clinician).get(path.format(insight=insight.pk, client=session.client_id))
    assert answer.status_code == 404


def test_format_json_in_the_query_still_chooses_json(api_as, clinician):
    session = session_with_transcript(client_create(clinician))
    insight = draft_insight(session, title="Something")
    answer = api_as(clinician).get(f"/api/v1/session-insights/{insight.pk}/decisions/?format=json")
    assert answer.status_code == 200 and answer.json() == []


# --- History: message_count and messages from one moment ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the cache is written on commit
@pytest.mark.parametrize("limit", [1, 20, 50, 51, 200])
def test_a_history_read_from_the_database_counts_the_messages_it_answers_with(owner, limit):
    """The history's ``message_count`` came from the conversation read by the authentication statement and its
    messages from a later read: a message added in between (a chat turn on another device) was answered with the
    count before it, e.g. ``message_count: 286`` with message 289 last (89 of 597 reads while a writer added
    messages, over HTTP). The database answer now reports the count read with its messages."""
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    for n in range(60):
        services.message_add(conversation=conversation, role="user", content=f"message {n}")
    as_read = Conversation.objects.get(pk=conversation.pk)  # what the authentication statement read
    services.message_add(conversation=conversation, role="user", content="sent meanwhile")

    answer = selectors.history_answer(as_read, limit)

    newest = answer["messages"][-1]["content"]
    assert (answer["message_count"], newest) in {(60, "message 59"), (61, "sent meanwhile")}


# --- Decisions: their order --------------------------------------------------------------------------------------


def test_the_decision_history_is_in_the_order_the_decisions_took_effect(clinician, monkeypatch):
    """The history was ordered by ``decided_at``, each server's clock read before its UPDATE: two app servers
    whose clocks differ by a second (or two decisions at once, the later one's clock read first) listed an
    approval after the rejection that replaced it, so the record's last decision was not the insight's. The
    decisions are taken under the insight's row lock, so their ids are in the order they took effect."""
    session = session_with_transcript(client_create(clinician))
    urgent = draft_insight(session, insight_type="risk", title="Possible self-harm", intervention_priority="urgent")
    ahead = timezone.now() + datetime.timedelta(seconds=2)
    monkeypatch.setattr(insight_services.timezone, "now", lambda: ahead)  # server A, two seconds fast
    clinical_services.insight_approve(insight=urgent, by=clinician)
    monkeypatch.setattr(insight_services.timezone, "now", lambda: ahead - datetime.timedelta(seconds=1))  # server B
    clinical_services.insight_reject(insight=urgent, by=clinician, note="A film line, not about herself.")

    urgent.refresh_from_db()
    history = [decision.status for decision in insight_decisions(urgent)]
    assert urgent.status == "rejected" and history == ["approved", "rejected"]
    api = page_as(clinician).get(f"/api/v1/session-insights/{urgent.pk}/decisions/")
    assert [row["status"] for row in api.json()] == ["approved", "rejected"]
    page = page_as(clinician).get(reverse("clinic:insight_review", args=[urgent.pk])).content.decode()
    assert page.index("<strong>Approved</strong>") < page.index("<strong>Rejected</strong>")


# --- The new-client form's key ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "urn:uuid:12345678-1234-5678-1234-567812345678",
        "{12345678-1234-5678-1234-567812345678}",
        "12345678-1234-5678-1234-5678123456\x00",
        "k" * 5000,
    ],
    ids=["urn", "braces", "nul", "huge"],
)
def test_a_form_whose_key_is_unusable_still_adds_the_client(clinician, key):
    """'A form without a usable key still adds the client', but a key over 36 characters or with a NUL failed the
    hidden field's own checks: 400 with 'Creation key: ...' on a field the person cannot see or change, shown again
    with the same key however often they sent it."""
    answer = page_as(clinician).post(reverse("clinic:client_new"), {"display_name": "Jordan Ash", "creation_key": key})
    assert answer.status_code == 302
    assert Client.objects.get().display_name == "Jordan Ash"


def test_a_client_handed_over_is_no_longer_found_by_its_form(clinician):
    """The key names the form a clinician sent; after a hand-over the client is no longer theirs. A resend of that
    form (a back button, a slow answer) by the first clinician adds their own client, and the key then named two
    clients: handing either to the other clinician failed on the constraint (500 in the admin). A hand-over
    clears the key."""
    key = uuid.uuid4()
    handed, _ = clinical_services.client_create_once(clinician=clinician, creation_key=key, display_name="Jordan Ash")
    successor = clinician_create("dr_next")
    staff = page_as(StaffFactory(username="ops"))
    assert _admin_hand_over(staff, handed, successor).status_code == 302

    again, added = clinical_services.client_create_once(clinician=clinician, creation_key=key, display_name="Jordan")
    assert added and again != handed  # the first clinician never lands on the successor's client
    assert _admin_hand_over(staff, again, successor).status_code == 302
    assert set(Client.objects.filter(clinician=successor)) == {handed, again}


def _admin_hand_over(staff: PageClient, target: Client, to):
    return staff.post(
        reverse("admin:usersessions_client_change", args=[target.pk]),
        {
            "clinician": to.pk,
            **{field: "{}" for field in ("demographics", "risk_factors", "treatment_history")},
            "profile-TOTAL_FORMS": "0",
            "profile-INITIAL_FORMS": "0",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
        },
    )


def test_another_clinicians_key_lands_on_nothing_of_theirs(clinician):
    """Held up: a key shown to one clinician, sent by another, adds the sender's own client and never names the
    first one's (the lookup is the sender's caseload)."""
    page = page_as(clinician).get(reverse("clinic:client_new")).content.decode()
    key = re.search(r'name="creation_key" value="([0-9a-f-]{36})"', page).group(1)
    page_as(clinician).post(reverse("clinic:client_new"), {"display_name": "Mine", "creation_key": key})
    other = clinician_create("dr_other")
    answer = page_as(other).post(reverse("clinic:client_new"), {"display_name": "Theirs", "creation_key": key})
    theirs = Client.objects.get(clinician=other)
    assert answer["Location"] == reverse("clinic:client", args=[theirs.pk]) and theirs.display_name == "Theirs"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sendings_of_one_form_at_once_add_one_client():
    """Held up: eight sendings of one form at once (real threads and connections) add one client, and all land
    on it."""
    clinician = clinician_create("dr_race")
    key = uuid.uuid4()

    def send():
        return clinical_services.client_create_once(clinician=clinician, creation_key=key, display_name="Jordan Ash")

    results = race(*[send] * 8)
    assert Client.objects.filter(clinician=clinician).count() == 1
    assert {client.pk for client, _ in results} == {Client.objects.get().pk}
    assert sorted(added for _, added in results) == [False] * 7 + [True]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_opposite_decisions_at_once_leave_a_history_that_ends_with_the_insights_decision():
    """Held up, with the id order: approvals and rejections of one chat alert (no session lock) at once; the
    history's last decision is the insight's, and no two neighbours repeat a decision."""
    clinician = clinician_create("dr_race")
    from myApp.sessions.services.clinical.risk import urgent_insight_raise

    alert = urgent_insight_raise(
        client=client_create(clinician, user=UserFactory(username="linked_learner")),
        evidence="I want to end my life.",
        risk="self_harm",
        source="chat",
        source_key="message:1",
    )
    assert alert.session_id is None

    def decide(n):
        def call():
            decide = clinical_services.insight_approve if n % 2 else clinical_services.insight_reject
            return decide(insight=alert, by=clinician, note="A film line, not about herself.")

        return call

    race(*[decide(n) for n in range(8)])
    alert.refresh_from_db()
    history = [decision.status for decision in insight_decisions(alert)]
    assert history[-1] == alert.status
    assert all(a != b for a, b in itertools.pairwise(history))


def test_the_linked_learner_and_other_clinicians_never_read_the_decisions(api_as, clinician):
    """Held up: the learner who is the linked client, another clinician and an outsider get 404 from the
    decisions endpoint and the insight page; staff read them (a recorded staff operation)."""
    learner = UserFactory(username="linked_learner")
    session = session_with_transcript(client_create(clinician, user=learner))
    insight = draft_insight(session, title="Something", intervention_priority="urgent")
    clinical_services.insight_reject(insight=insight, by=clinician, note="A film line, not about herself.")
    api_url = f"/api/v1/session-insights/{insight.pk}/decisions/"
    page_url = reverse("clinic:insight_review", args=[insight.pk])
    for viewer in (learner, clinician_create("dr_other"), UserFactory(username="nobody")):
        assert api_as(viewer).get(api_url).status_code == 404
        assert page_as(viewer).get(page_url).status_code == 404
    staff = StaffFactory(username="ops")
    assert [row["status"] for row in api_as(staff).get(api_url).json()] == ["rejected"]


def test_a_message_shows_once_across_an_api_call_a_log_out_and_a_log_in(clinician, api_as):
    """Held up (lazy message storage): a message queued by a form post survives an API call in between (which never
    builds the storage), is shown on the next page, and only once; a log-out and log-in in between keep it."""
    page = page_as(clinician)
    key = re.search(
        r'name="creation_key" value="([0-9a-f-]{36})"', page.get(reverse("clinic:client_new")).content.decode()
    )
    added = page.post(reverse("clinic:client_new"), {"display_name": "Jordan Ash", "creation_key": key.group(1)})
    assert api_as(clinician).get("/api/v1/me/").status_code == 200
    assert page.get("/api/v1/me/").status_code == 200  # the same browser on the API: the message is not used
    page.post(reverse("accounts:logout"))
    page.force_login(clinician)
    shown = page.get(added["Location"]).content.decode()
    assert shown.count("Jordan Ash is on your caseload") == 1
    assert "is on your caseload" not in page.get(added["Location"]).content.decode()


@pytest.mark.parametrize(
    "note",
    ["A film line\x00, not about herself.", "x" * 1001, "\u202eA film line, not about herself.", " " * 5000],
    ids=["nul", "over-1000", "bidi", "only-spaces"],
)
def test_a_rejection_with_an_unusable_reason_is_refused_on_the_api_and_the_page(api_as, clinician, note):
    """Held up: an urgent alert's rejection with a NUL, an over-long, a text-direction or an empty reason is refused
    (400) on the API and on the page, with nothing recorded and the alert still a draft."""
    session = session_with_transcript(client_create(clinician))
    urgent = draft_insight(session, insight_type="risk", title="Possible self-harm", intervention_priority="urgent")
    api = api_as(clinician).post(f"/api/v1/session-insights/{urgent.pk}/reject/", {"note": note}, format="json")
    page = page_as(clinician).post(
        reverse("clinic:insight_decide", args=[urgent.pk]), {"decision": "reject", "note": note}
    )
    assert (api.status_code, page.status_code) == (400, 400)
    urgent.refresh_from_db()
    assert urgent.status == "draft" and insight_decisions(urgent) == []


def test_a_form_brought_back_and_filled_in_for_someone_else_adds_them(clinician):
    """Back after adding a client brings the form back with its key (the page is cacheable, and the browser keeps
    what was typed): filled in for another person and sent, it lands on the first client ('Alice Ray was already
    added from this form') and the second person's details are dropped."""
    page = page_as(clinician)
    key = re.search(
        r'name="creation_key" value="([0-9a-f-]{36})"', page.get(reverse("clinic:client_new")).content.decode()
    )
    page.post(reverse("clinic:client_new"), {"display_name": "Alice Ray", "age": "30", "creation_key": key.group(1)})
    page.post(reverse("clinic:client_new"), {"display_name": "Carol Finch", "age": "52", "creation_key": key.group(1)})
    assert sorted(Client.objects.values_list("display_name", flat=True)) == ["Alice Ray", "Carol Finch"]


def test_an_urgent_alert_is_never_rejected_without_a_reason_by_a_decision_racing_an_approval(clinician):
    """Rejecting an urgent alert needs a reason unless it is rejected already, and the service decided that on the
    insight as the request read it, before its UPDATE. Rejected (with a reason), then approved in one tab while a
    reject without a reason from another tab had already read it as rejected: the reject went through, and the
    alert ended rejected with no reason ('' in the record). The request's read is the stale one here (what a
    concurrent request holds when the approval commits first)."""
    session = session_with_transcript(client_create(clinician))
    urgent = draft_insight(session, insight_type="risk", title="Possible self-harm", intervention_priority="urgent")
    clinical_services.insight_reject(insight=urgent, by=clinician, note="A film line, not about herself.")
    read_by_the_other_tab = type(urgent).objects.get(pk=urgent.pk)
    clinical_services.insight_approve(insight=urgent, by=clinician, note="She said it again next session.")

    with pytest.raises(ServiceError):
        clinical_services.insight_reject(insight=read_by_the_other_tab, by=clinician, note="")
    urgent.refresh_from_db()
    assert urgent.status == "approved"
    assert [(d.status, bool(d.note)) for d in insight_decisions(urgent)] == [("rejected", True), ("approved", True)]
