"""Review 1124d (attacker / fuzzer, issue 12): failing regression tests for what the attack on the learner report,
the data rights and retention found.

1. A clinician's data export carries a chat risk alert's evidence (the client's own chat message, verbatim) after
   the client is no longer linked to them, or has erased their account: the pages and the API withhold that
   evidence unless the ``clinician_of_linked_client`` relationship holds (and audit every read); the export
   bypasses both. And the erasure leaves the erased person's chat words in ``SessionInsight.evidence``.
2. A discharged client's clinician goes on reading the person's learner report (page, PDF, API), indefinitely.
3. The ``clinical`` retention kind deletes a therapy session recorded *after* the client's discharge (days ago) as
   soon as the discharge is older than the policy: it is decided by the discharge date alone.
4. The PDF's ``Content-Disposition`` for a username outside Latin-1 is RFC 2047-encoded as a whole header
   (``=?utf-8?b?...?=``), which browsers do not read as a filename.
"""

import json

import pytest
from django.utils import timezone

from myApp.accounts.services import account_erase
from myApp.accounts.services.data_rights import export_document
from myApp.lib import retention
from myApp.sessions import services as chat_services
from myApp.sessions.models import Client, SessionInsight, TherapySession
from myApp.sessions.services.clinical import retention as retention_services
from tests.clinical_helpers import client_create, clinician_create, session_create
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

RISKY = "I don't see the point anymore, REV2ATTACK-MARKER"


@pytest.fixture
def clinician(db):
    return clinician_create("dr_attack")


@pytest.fixture
def linked(clinician):
    person = UserFactory(username="linked_person")
    client_create(clinician, name="Sam Hart", user=person)
    return person


def _flagged_chat(person, django_capture_on_commit_callbacks) -> SessionInsight:
    with django_capture_on_commit_callbacks(execute=True):
        chat_services.chat_send(user=person, message=RISKY)
    insight = SessionInsight.objects.get(source="chat")
    assert "REV2ATTACK-MARKER" in insight.evidence  # the alert copies the message
    return insight


# --- 1. Chat alert evidence through the clinician's export, and left behind by erasure ------------------------


def test_a_clinicians_export_withholds_chat_evidence_of_a_client_no_longer_linked(
    clinician, linked, django_capture_on_commit_callbacks
):
    _flagged_chat(linked, django_capture_on_commit_callbacks)
    # Staff unlink the account (the person withdrew): the pages and the API now withhold the evidence.
    Client.objects.filter(user=linked).update(user=None)

    exported = json.dumps(export_document(user=clinician))

    assert "REV2ATTACK-MARKER" not in exported


def test_a_clinicians_export_holds_no_chat_words_of_an_erased_client(
    clinician, linked, django_capture_on_commit_callbacks
):
    _flagged_chat(linked, django_capture_on_commit_callbacks)
    account_erase(user=linked, by=StaffFactory(username="ops_attack"))

    exported = json.dumps(export_document(user=clinician))

    assert "REV2ATTACK-MARKER" not in exported


def test_erasure_leaves_no_copy_of_the_persons_chat_message_in_a_risk_alert(
    clinician, linked, django_capture_on_commit_callbacks
):
    _flagged_chat(linked, django_capture_on_commit_callbacks)

    account_erase(user=linked, by=StaffFactory(username="ops_attack"))

    # Chat messages are personal rows, deleted on erasure; the alert's verbatim copy of one must not outlive it.
    assert not SessionInsight.objects.filter(evidence__contains="REV2ATTACK-MARKER").exists()


# --- 2. The learner report after discharge ---------------------------------------------------------------------


def test_a_discharged_clients_clinician_no_longer_reads_their_learner_report(clinician, linked, api_as, client):
    record = Client.objects.get(user=linked)
    assert api_as(clinician).get(f"/api/v1/learners/{linked.pk}/report/").status_code == 200

    retention_services.client_discharge(client=record, by=clinician)

    assert api_as(clinician).get(f"/api/v1/learners/{linked.pk}/report/").status_code == 404
    client.force_login(clinician)
    assert client.get(f"/report/{linked.pk}/").status_code == 404
    assert client.get(f"/report/{linked.pk}/report.pdf").status_code == 404


# --- 3. Retention and a session recorded after the discharge ------------------------------------------------------


def test_retention_keeps_a_session_recorded_after_the_discharge(clinician):
    retention_services.clinical_retention_policy_set(clinician=clinician, keep_years=1)
    record = client_create(clinician, name="Came Back Once")
    Client.objects.filter(pk=record.pk).update(discharged_at=timezone.now() - timezone.timedelta(days=800))
    old = session_create(record, days_ago=900)  # before the discharge: past the policy, may go
    recent = session_create(record, days_ago=3)  # the clinician saw them again three days ago (allowed today)

    retention.retention_apply(kinds=["clinical"])

    assert not TherapySession.objects.filter(pk=old.pk).exists()
    assert TherapySession.objects.filter(pk=recent.pk).exists()


# --- 4. The PDF's filename for a name outside Latin-1 ------------------------------------------------------------


def test_the_report_pdf_names_its_file_readably_for_a_non_latin_username(client):
    learner = UserFactory(username="学生")
    client.force_login(learner)

    response = client.get("/report/report.pdf")

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert not disposition.startswith("=?utf-8?")  # RFC 2047 is for mail headers, browsers ignore it here
    assert disposition.startswith("attachment;") and "filename" in disposition


# --- 5. The admin log after an erasure ------------------------------------------------------------------------------


def _admin_line(staff, model, repr_text: str):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    return LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(model),
        object_id="1",
        object_repr=repr_text,
        action_flag=CHANGE,
        change_message="[]",
    )


def test_erasing_a_short_username_leaves_other_peoples_admin_log_lines_alone():
    """``_admin_log_pseudonymise`` replaces the username as a substring: erasing "jo" rewrites "jonas"."""
    from myApp.accounts.models import User

    staff = StaffFactory(username="ops_log")
    jo = UserFactory(username="jo")
    UserFactory(username="jonas")
    line = _admin_line(staff, User, "jonas")

    account_erase(user=jo, by=staff)

    line.refresh_from_db()
    assert line.object_repr == "jonas"


def test_erasure_pseudonymises_admin_log_lines_of_the_persons_rows_in_every_app():
    """Admin log lines copy ``str(row)``, and many rows' ``__str__`` starts with the user ("ana bought Course for
    9 EUR", "ana in Course"); only the accounts app's lines are pseudonymised."""
    from django.contrib.admin.models import LogEntry

    from myApp.curriculum.models import Purchase

    staff = StaffFactory(username="ops_log")
    person = UserFactory(username="anastasia_erase")
    _admin_line(staff, Purchase, "anastasia_erase bought Public Speaking for 9.00 EUR")

    account_erase(user=person, by=staff)

    assert not LogEntry.objects.filter(object_repr__contains="anastasia_erase").exists()


# --- 6. The backup file's permissions ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_backup_file_is_readable_by_its_owner_only(tmp_path):
    """The dump holds every person's chat, clinical transcripts and password hashes; with the usual umask 022
    ``scripts/backup`` leaves it (and its directory) readable by every local user."""
    import os
    import stat
    import subprocess
    from pathlib import Path

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    settings = connection.settings_dict
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    url = f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    target = tmp_path / "new-dir" / "site.dump"
    root = Path(__file__).resolve().parent.parent

    subprocess.run(
        ["bash", "-c", 'umask 022 && exec "$0" "$1"', str(root / "scripts" / "backup"), str(target)],
        check=True,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
    )

    assert stat.S_IMODE(target.stat().st_mode) & 0o077 == 0


# --- 7. The PDF is not rate-limited ------------------------------------------------------------------------------


def test_the_report_pdf_is_rate_limited_per_user(client, monkeypatch):
    """Each PDF costs the server about 0.35 s of CPU on the demo data (40 concurrent ones from one account: 17 s),
    and nothing limits them: one signed-in account keeps every worker busy. The export has a limit; the PDF, a
    heavier request, has none. (WeasyPrint is stubbed here: the test is about the limit, not the drawing.)"""
    from myApp.analytics import report_views

    monkeypatch.setattr(report_views, "html_to_pdf", lambda html: b"%PDF-1.7 stub")
    client.force_login(UserFactory(username="pdf_flooder"))

    codes = {client.get("/report/report.pdf").status_code for _ in range(120)}

    assert 429 in codes


# --- 8. Telemetry the person's app wrote, after erasure ----------------------------------------------------------


def test_erasure_leaves_no_free_text_the_person_sent_as_telemetry(api_as):
    """Telemetry ``properties`` are whatever the client sends (a 2 KB JSON object): the erasure unlinks the rows
    (counts stay) but keeps the properties, so anything personal the app put there outlives the account."""
    from myApp.analytics.models import TelemetryEvent

    person = UserFactory(username="tess_telemetry")
    response = api_as(person).post(
        "/api/v1/telemetry/",
        {"events": [{"name": "form.typed", "properties": {"text": "TESSMARK 12 Baker St", "to": "tess@example.com"}}]},
        format="json",
    )
    assert response.status_code == 201

    account_erase(user=person, by=StaffFactory(username="ops_tel"))

    assert TelemetryEvent.objects.filter(user=None).count() == 1  # the count stays
    assert not TelemetryEvent.objects.filter(properties__icontains="TESSMARK").exists()
    assert not any(
        "TESSMARK" in json.dumps(props) for props in TelemetryEvent.objects.values_list("properties", flat=True)
    )


# --- 9. The report is not marked private --------------------------------------------------------------------------


def test_the_learner_report_is_never_stored_by_a_cache(client, api_as):
    """The export says ``Cache-Control: no-store``; the report (a child's moods and self-check bands, seen by a
    parent on a shared computer) says nothing, on the page, the PDF and the API."""
    learner = UserFactory(username="report_cache")
    client.force_login(learner)

    for response in (
        client.get("/report/"),
        client.get("/report/report.pdf"),
        api_as(learner).get("/api/v1/me/report/"),
    ):
        assert response.status_code == 200
        assert "no-store" in response.get("Cache-Control", "") or "private" in response.get("Cache-Control", "")


# --- 10. A request already signed in when the erasure commits ------------------------------------------------------


@pytest.mark.xfail(
    strict=True,
    reason="Known and left: closing it means the chat turn locks the account row, one more statement on the "
    "hottest path (bench P8's budget); the window is a message authenticated before the erasure began.",
)
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_chat_message_sent_while_the_account_is_erased_does_not_outlive_it(monkeypatch):
    """A second device's chat request has authenticated (its user loaded) when the erasure starts. The erasure
    locks the account row; the chat's INSERT waits on that lock (a foreign key to the row), and once the erasure
    commits it goes on: a new conversation with the person's words, attached to the anonymised account."""
    from myApp.lib import data_rights
    from myApp.sessions.models import Message
    from tests.concurrency import Gate, hold_first_then_run

    person = UserFactory(username="two_devices")
    signed_in = type(person).objects.get(pk=person.pk)  # what the second device's request authenticated as
    gate = Gate()
    rules = data_rights.rules

    def rules_then_hold():
        gate()  # inside the erasure's transaction, the account row locked
        return rules()

    monkeypatch.setattr(data_rights, "rules", rules_then_hold)

    run = hold_first_then_run(
        lambda: account_erase(user=person, by=StaffFactory(username="ops_race")),
        lambda: chat_services.chat_send(user=signed_in, message="RACEMARK my words after erasure"),
        gate=gate,
    )

    assert not Message.objects.filter(content__contains="RACEMARK").exists(), f"waited on: {run.second_waited_on}"


def test_a_clinician_reads_no_report_of_a_deactivated_client_as_a_parent_reads_none_of_a_deactivated_child(
    clinician, linked, api_as
):
    """``parent_with_consent_holds`` requires ``child__is_active``; ``linked_client_holds`` does not, so a suspended
    account's report stays open to its clinician (not to its parent)."""
    type(linked).objects.filter(pk=linked.pk).update(is_active=False)

    assert api_as(clinician).get(f"/api/v1/learners/{linked.pk}/report/").status_code == 404
