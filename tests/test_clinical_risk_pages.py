"""Risk alerts on the pages and the API: a clinician's notifications (unread first, mark read, the nav badge in
one query) and the review queue with evidence in context; another clinician, the client and an outsider get 404;
a chat alert's evidence is the flagged message alone, and reading it is audited."""

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myApp.accounts.models import AccessRecord
from myApp.lib import access
from myApp.sessions import services as chat_services
from myApp.sessions.context_processors import clinician_navigation
from myApp.sessions.models import ClinicianNotification, SessionSentence
from myApp.sessions.risk_selectors import notifications_of
from myApp.sessions.services import clinical as clinical_services
from myApp.sessions.services.clinical.risk import urgent_insight_raise
from tests.clinical_helpers import client_create, clinician_create, session_with_transcript, urgent_notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RISKY = "I don't see the point anymore"


@pytest.fixture
def people(db):
    return {
        "clinician": clinician_create("dr_lee"),
        "other_clinician": clinician_create("dr_other"),
        "outsider": UserFactory(username="nobody"),
        "client_account": UserFactory(username="robin"),
    }


@pytest.fixture
def alert(people):
    client = client_create(people["clinician"], user=people["client_account"])
    session = session_with_transcript(client, count=5)
    return urgent_notification(session)


def _web(user) -> Client:
    web = Client()
    web.force_login(user)
    return web


def test_the_clinician_sees_unread_first_and_marks_read(people, alert):
    older_read = urgent_notification(alert.insight.session, text="I want to die.")
    ClinicianNotification.objects.filter(pk=older_read.pk).update(read_at=alert.created_at)
    web = _web(people["clinician"])

    page = web.get(reverse("clinic:notifications"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index(f'data-testid="notification-{alert.pk}"') < html.index(
        f'data-testid="notification-{older_read.pk}"'
    )
    assert 'data-testid="unread-badge">1<' in html

    response = web.post(reverse("clinic:notification_read", args=[alert.pk]))
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.read_at is not None
    assert "unread-badge" not in web.get(reverse("clinic:notifications")).content.decode()


@pytest.mark.parametrize("persona", ["other_clinician", "outsider", "client_account"])
def test_anyone_else_gets_404(people, alert, persona, api_as):
    web = _web(people[persona])
    insight = alert.insight

    assert web.post(reverse("clinic:notification_read", args=[alert.pk])).status_code == 404
    assert web.get(reverse("clinic:insight_review", args=[insight.pk])).status_code == 404
    api = api_as(people[persona])
    assert api.get(reverse("clinician-notification-detail", args=[alert.pk])).status_code == 404
    assert api.post(reverse("clinician-notification-read", args=[alert.pk])).status_code == 404
    assert api.get(reverse("clinician-notification-list")).json()["results"] == []
    alert.refresh_from_db()
    assert alert.read_at is None


def test_a_psychologist_no_longer_one_loses_their_notifications(people, alert, api_as):
    recipient = people["clinician"]
    type(recipient).objects.filter(pk=recipient.pk).update(role="learner")
    recipient.refresh_from_db()
    api = api_as(recipient)

    assert api.get(reverse("clinician-notification-detail", args=[alert.pk])).status_code == 404
    assert api.post(reverse("clinician-notification-read", args=[alert.pk])).status_code == 404
    assert api.get(reverse("clinician-notification-list")).json()["results"] == []
    assert _web(recipient).post(reverse("clinic:notification_read", args=[alert.pk])).status_code == 404
    alert.refresh_from_db()
    assert alert.read_at is None


@pytest.mark.parametrize("persona", ["outsider", "client_account"])
def test_non_clinicians_have_no_notifications_or_queue_page(people, persona):
    web = _web(people[persona])
    assert web.get(reverse("clinic:notifications")).status_code == 404
    assert web.get(reverse("clinic:insights")).status_code == 404


def test_the_api_lists_and_marks_read(people, alert, api_as):
    api = api_as(people["clinician"])

    listed = api.get(reverse("clinician-notification-list") + "?unread=true").json()["results"]
    assert [(row["id"], row["insight"], row["unread"]) for row in listed] == [(alert.pk, alert.insight_id, True)]
    marked = api.post(reverse("clinician-notification-read", args=[alert.pk]))
    assert marked.status_code == 200 and marked.json()["unread"] is False
    assert api.get(reverse("clinician-notification-list") + "?unread=true").json()["results"] == []
    assert api.get(reverse("clinician-notification-list") + "?unread=maybe").status_code == 400


def test_the_api_list_without_a_filter_holds_unread_and_read(people, alert, api_as):
    read = urgent_notification(alert.insight.session, text="I want to die.")
    ClinicianNotification.objects.filter(pk=read.pk).update(read_at=alert.created_at)
    api = api_as(people["clinician"])

    listed = api.get(reverse("clinician-notification-list")).json()["results"]

    assert [(row["id"], row["unread"]) for row in listed] == [(alert.pk, True), (read.pk, False)]
    assert [
        row["id"] for row in api.get(reverse("clinician-notification-list") + "?unread=false").json()["results"]
    ] == [read.pk]


def test_the_queue_shows_a_transcript_insights_evidence_in_context(people, alert):
    insight = alert.insight
    evidence = SessionSentence.objects.get(session=insight.session, sequence_number=3)
    type(insight).objects.filter(pk=insight.pk).update(evidence=f"#3: {evidence.text}", evidence_sentence=evidence)

    html = _web(people["clinician"]).get(reverse("clinic:insights")).content.decode()

    context = html[html.index(f'data-testid="evidence-context-{insight.pk}"') :]
    context = context[: context.index("</ul>")]
    # 3 ± 2 (of 0-4), each named by its time in the session as the transcript shows it (a sentence every 4 s),
    # not by its 0-based sequence number ("#0"), which the page shows nowhere else
    assert [f"00:{4 * n:02d} " in context for n in range(5)] == [False, True, True, True, True]
    assert "#1 " not in context
    assert f"<mark>{evidence.text}</mark>" in context.replace("&#x27;", "'")


def test_every_evidence_sentence_is_marked_not_only_the_linked_first(people, alert):
    """ "The safety rules matched 2 of the client's 4 sentences", the evidence naming #1 and #3: the queue marked
    #1 only (the insight's linked evidence sentence), and #3 read as mere context."""
    insight = alert.insight
    by_number = {s.sequence_number: s for s in SessionSentence.objects.filter(session=insight.session)}
    type(insight).objects.filter(pk=insight.pk).update(
        evidence=f"#1: {by_number[1].text}\n#3: {by_number[3].text}", evidence_sentence=by_number[1]
    )

    html = _web(people["clinician"]).get(reverse("clinic:insights")).content.decode().replace("&#x27;", "'")

    context = html[html.index(f'data-testid="evidence-context-{insight.pk}"') :]
    context = context[: context.index("</ul>")]
    assert f"<mark>{by_number[1].text}</mark>" in context and f"<mark>{by_number[3].text}</mark>" in context
    assert context.count("<mark>") == 2


def test_a_chat_alerts_evidence_is_the_message_alone_and_reading_it_is_audited(
    people, django_capture_on_commit_callbacks
):
    client_create(people["clinician"], user=people["client_account"])
    with django_capture_on_commit_callbacks(execute=True):
        chat_services.chat_send(user=people["client_account"], message="Just a normal day at work today.")
        chat_services.chat_send(user=people["client_account"], message=RISKY)
    insight = ClinicianNotification.objects.get().insight

    html = _web(people["clinician"]).get(reverse("clinic:insight_review", args=[insight.pk])).content.decode()

    assert "the point anymore" in html and "normal day at work" not in html
    record = AccessRecord.objects.get()
    assert (record.viewer, record.subject, record.what) == (
        people["clinician"],
        people["client_account"],
        access.RISK_ALERT_EVIDENCE,
    )


def test_an_unlinked_clients_chat_evidence_is_withheld(people):
    client = client_create(people["clinician"], user=people["client_account"])
    insight = urgent_insight_raise(client=client, evidence=RISKY, source="chat", source_key="message:1")
    type(client).objects.filter(pk=client.pk).update(user=None)

    html = _web(people["clinician"]).get(reverse("clinic:insight_review", args=[insight.pk])).content.decode()

    assert "the point anymore" not in html and "withheld" in html
    assert not AccessRecord.objects.exists()


def test_the_api_shows_a_chat_alerts_evidence_as_the_page_does_audited_and_withheld_once_unlinked(people, api_as):
    """The API answered a chat alert's evidence (the client's own message) to its clinician without an audit record,
    and went on answering it after the client's account was unlinked, when the page withholds it."""
    client = client_create(people["clinician"], user=people["client_account"])
    insight = urgent_insight_raise(client=client, evidence=RISKY, source="chat", source_key="message:1")
    api = api_as(people["clinician"])

    assert api.get(reverse("session-insight-detail", args=[insight.pk])).json()["evidence"] == RISKY
    listed = api.get(reverse("session-insight-list")).json()["results"]
    assert [row["evidence"] for row in listed] == [RISKY]
    records = AccessRecord.objects.filter(what=access.RISK_ALERT_EVIDENCE, subject=people["client_account"])
    assert records.count() == 2

    type(client).objects.filter(pk=client.pk).update(user=None)

    assert api.get(reverse("session-insight-detail", args=[insight.pk])).json()["evidence"] is None
    assert [row["evidence"] for row in api.get(reverse("session-insight-list")).json()["results"]] == [None]
    assert (
        api.post(
            reverse("session-insight-reject", args=[insight.pk]), {"note": "Not a risk: a quote."}, format="json"
        ).json()["evidence"]
        is None
    )
    assert records.count() == 2


def test_the_api_shows_a_transcript_insights_evidence(people, alert, api_as):
    response = api_as(people["clinician"]).get(reverse("session-insight-detail", args=[alert.insight_id]))

    assert response.json()["evidence"] == alert.insight.evidence != ""
    assert not AccessRecord.objects.exists()


def test_the_nav_badge_costs_one_query(people, alert, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = people["clinician"]
    with django_assert_num_queries(1):
        assert clinician_navigation(request) == {"clinician_unread_notifications": 1}
    request.user = people["outsider"]
    with django_assert_num_queries(0):
        assert clinician_navigation(request) == {"clinician_unread_notifications": 0}


def test_the_queue_reads_a_constant_number_of_queries(people, alert):
    web = _web(people["clinician"])
    web.get(reverse("clinic:insights"))  # the session and its user, read once

    with CaptureQueriesContext(connection) as one:
        web.get(reverse("clinic:insights"))
    for _ in range(4):
        urgent_notification(alert.insight.session, text="I want to die.")
    with CaptureQueriesContext(connection) as five:
        assert web.get(reverse("clinic:insights")).status_code == 200

    assert len(five.captured_queries) == len(one.captured_queries)


def test_home_tells_the_clinician_of_unread_urgent_alerts(people, alert):
    """A psychologist lands on home after logging in: it showed XP and quests, not the urgent alert waiting."""
    page = _web(people["clinician"]).get(reverse("accounts:home")).content.decode()

    assert 'data-testid="home-clinic"' in page and "1 unread urgent alert</strong>" in page
    assert reverse("clinic:notifications") in page[page.index('data-testid="home-clinic"') :]
    alert.read_at = alert.created_at
    alert.save(update_fields=["read_at"])
    assert 'data-testid="home-clinic"' not in _web(people["clinician"]).get(reverse("accounts:home")).content.decode()


def test_the_session_page_names_each_evidence_sentence_by_its_time_with_its_own_link(people):
    """The second new-user review saw an insight's two evidence sentences on the session page run together as one
    link to the first, named '#1:' and '#3:' (0-based numbers the page shows nowhere; its transcript says 00:04
    and 00:12). Each is now its own line, named by time and speaker as in the transcript, linked to it."""
    session = session_with_transcript(client_create(people["clinician"]), count=5)
    first, second = SessionSentence.objects.filter(session=session, sequence_number__in=[1, 3]).order_by("start_ms")
    insight = urgent_insight_raise(client=session.client, session=session, evidence=first.text, risk="self_harm")
    type(insight).objects.filter(pk=insight.pk).update(
        evidence=f"#1: {first.text}\n#3: {second.text}", evidence_sentence=first
    )
    browser = Client()
    browser.force_login(people["clinician"])

    page = browser.get(reverse("clinic:session", args=[session.pk])).content.decode()
    evidence = page.split(f'data-testid="evidence-{insight.pk}"')[1].split("</ul>")[0]
    assert '<a href="#s-1">' in evidence and '<a href="#s-3">' in evidence
    assert "00:04 Client:" in evidence and "00:12 Client:" in evidence
    assert "#1:" not in evidence and "#3:" not in evidence


def test_deciding_an_alerts_insight_stops_it_waiting_unopened(people, alert):
    """Rejected and then approved from the queue, the alert still showed 'Unread' and the badge '1' (new-user
    review): a decided insight's notification waits for nothing, whether or not it was opened."""
    web = _web(people["clinician"])
    clinical_services.insight_reject(insight=alert.insight, by=people["clinician"], note="Quoting a song lyric.")

    page = web.get(reverse("clinic:notifications")).content.decode()

    assert "unread-badge" not in page and "<strong>Unread:</strong>" not in page
    assert "<strong>Rejected:</strong> Urgent insight" in page and ">Mark read<" not in page
    # Nothing waits, so nothing to mark read, and the insight is no longer there to review (new-user review).
    assert ">Mark all read<" not in page and ">Review it<" not in page and ">Open it<" in page
    assert 'data-testid="home-clinic"' not in web.get(reverse("accounts:home")).content.decode()
    alert.refresh_from_db()
    assert alert.read_at is None  # nothing written: it was not opened
    waiting = urgent_notification(alert.insight.session, text="I want to die.")  # a new alert still waits
    assert 'data-testid="unread-badge">1<' in web.get(reverse("clinic:notifications")).content.decode()
    assert notifications_of(user=people["clinician"]).first().pk == waiting.pk


def test_the_api_says_which_alerts_wait_as_the_pages_badge_counts(people, alert, api_as):
    """``unread`` is 'not opened'; ``waiting`` is the badge's meaning (not opened, undecided, client still on the
    caseload). A decided insight's alert is unread but waits for nothing, on the pages and on the API alike."""
    decided = urgent_notification(alert.insight.session, text="I want to die.")
    clinical_services.insight_reject(insight=decided.insight, by=people["clinician"], note="A song lyric.")
    api = api_as(people["clinician"])
    listed = api.get(reverse("clinician-notification-list")).json()["results"]
    assert [(row["id"], row["unread"], row["waiting"]) for row in listed] == [
        (alert.pk, True, True),
        (decided.pk, True, False),
    ]
    waiting = api.get(reverse("clinician-notification-list") + "?waiting=true").json()["results"]
    assert [row["id"] for row in waiting] == [alert.pk]
    assert [
        row["id"] for row in api.get(reverse("clinician-notification-list") + "?waiting=false").json()["results"]
    ] == [decided.pk]
    assert api.get(reverse("clinician-notification-detail", args=[alert.pk])).json()["waiting"] is True
    assert api.post(reverse("clinician-notification-read", args=[alert.pk])).json()["waiting"] is False
    assert api.get(reverse("clinician-notification-list") + "?waiting=true").json()["results"] == []
    assert api.get(reverse("clinician-notification-list") + "?waiting=perhaps").status_code == 400
