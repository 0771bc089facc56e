"""Retention per data kind: ``manage.py retention``, the task, batches, dry runs that count what real runs delete.

Rows are aged by moving their deciding date into the past (no service rewinds the clock); audit entries are
inserted with their date, since the audit log refuses any UPDATE."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, InternalError, close_old_connections, connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from myApp.accounts.models import AccessRecord
from myApp.analytics import services as analytics
from myApp.analytics.models import AnalyticsEvent, TelemetryEvent
from myApp.lib import retention
from myApp.lib.exceptions import ServiceError
from myApp.lib.tasks import apply_retention
from myApp.sessions import services as chat
from myApp.sessions.models import Client, Conversation, Message
from myApp.sessions.services.clinical.retention import clinical_retention_policy_set
from tests.clinical_helpers import client_create, clinician_create, session_with_transcript

pytestmark = pytest.mark.django_db(transaction=True)

DAYS = {"RETENTION_TELEMETRY_DAYS": 10, "RETENTION_ANALYTICS_DAYS": 20, "RETENTION_AUDIT_DAYS": 400}


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def telemetry(count: int, *, age_days: float) -> None:
    for _ in range(count):
        event = analytics.telemetry_record(name="screen_view", module_code="m1", properties={})
        TelemetryEvent.objects.filter(pk=event.pk).update(created_at=days_ago(age_days))


def analytics_events(count: int, *, age_days: float) -> None:
    for _ in range(count):
        event = analytics.track(event_type="user_login")
        AnalyticsEvent.objects.filter(pk=event.pk).update(created_at=days_ago(age_days))


def audit_entries(viewer, subject, count: int, *, age_days: float) -> None:
    AccessRecord.objects.bulk_create(
        AccessRecord(
            viewer=viewer,
            viewer_username=viewer.username,
            subject=subject,
            subject_username=subject.username,
            what="wellbeing_report",
            through="parent_with_consent",
            created_at=days_ago(age_days),
        )
        for _ in range(count)
    )


def old_chat(user, *, age_days: float) -> Conversation:
    conversation = chat.chat_send(user=user, message="Hello").conversation
    Conversation.objects.filter(pk=conversation.pk).update(last_activity_at=days_ago(age_days))
    return conversation


@pytest.fixture
def data(owner, member, outsider):
    """Per kind: old rows (past the limit) and young rows (a day inside it)."""
    telemetry(3, age_days=11)
    telemetry(2, age_days=9)
    analytics_events(4, age_days=21)
    analytics_events(1, age_days=19)
    audit_entries(member, owner, 5, age_days=401)
    audit_entries(member, owner, 2, age_days=399)
    old_chat(owner, age_days=31)
    old_chat(outsider, age_days=29)


def counts() -> dict[str, int]:
    return {
        "telemetry": TelemetryEvent.objects.count(),
        "analytics": AnalyticsEvent.objects.filter(event_type="user_login").count(),
        "audit": AccessRecord.objects.count(),
        "conversations": Conversation.objects.count(),
        "messages": Message.objects.count(),
    }


def run(*args: str) -> str:
    out = StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


@override_settings(**DAYS)
def test_it_counts_in_a_dry_run_exactly_what_the_real_run_deletes(data):
    before = counts()

    dry = {result.kind: result.counts for result in retention.retention_apply(dry_run=True)}

    assert counts() == before
    real = {result.kind: result.counts for result in retention.retention_apply()}
    assert real == dry
    assert dry["telemetry"] == {"events": 3}
    assert dry["analytics"] == {"events": 4}
    assert dry["audit"] == {"audit entries": 5}
    assert dry["chat"] == {"conversations": 1, "messages": 2, "idle conversations ended": 1}
    assert dry["clinical"] == {}


@override_settings(**DAYS)
def test_it_keeps_every_row_younger_than_its_limit(data):
    retention.retention_apply()

    assert counts() == {"telemetry": 2, "analytics": 1, "audit": 2, "conversations": 1, "messages": 2}
    assert not TelemetryEvent.objects.filter(created_at__lt=days_ago(10)).exists()
    assert AccessRecord.objects.filter(created_at__gt=days_ago(400)).count() == 2


@override_settings(**DAYS)
def test_it_does_nothing_the_second_time(data):
    retention.retention_apply()
    after = counts()

    again = retention.retention_apply()

    assert counts() == after
    assert all(number == 0 for result in again for number in result.counts.values())


@override_settings(**DAYS)
def test_it_applies_only_the_kinds_named(data):
    before = counts()

    results = retention.retention_apply(kinds=["telemetry", "audit"])

    assert [result.kind for result in results] == ["telemetry", "audit"]
    assert counts() == {**before, "telemetry": 2, "audit": 2}


@override_settings(**DAYS)
def test_it_deletes_in_batches_of_the_batch_size(data):
    telemetry(5, age_days=30)  # 8 old events in all

    with CaptureQueriesContext(connection) as queries:
        (result,) = retention.retention_apply(kinds=["telemetry"], batch_size=3)

    deletes = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("DELETE")]
    assert result.counts == {"events": 8}
    assert len(deletes) == 3  # 3 + 3 + 2, each its own statement and transaction
    assert TelemetryEvent.objects.count() == 2


@pytest.mark.postgres
@override_settings(**DAYS)
def test_it_is_safe_to_run_twice_at_once(data):
    """Two workers share the rows (SKIP LOCKED): together they delete each old row once, and neither fails."""
    telemetry(40, age_days=30)
    results: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            start.wait()
            (result,) = retention.retention_apply(kinds=["telemetry"], batch_size=5)
            results.append(result.counts["events"])
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(results) == 43
    assert TelemetryEvent.objects.count() == 2


@pytest.mark.postgres
@override_settings(**DAYS)
def test_the_audit_log_refuses_deleting_a_row_younger_than_the_declared_cutoff(data):
    young = AccessRecord.objects.filter(created_at__gt=days_ago(400)).values_list("pk", flat=True)[0]
    with pytest.raises(InternalError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('speakpro.audit_purge_before', %s, true)", [days_ago(400).isoformat()])
        cursor.execute("DELETE FROM accounts_accessrecord WHERE id = %s", [young])
    with pytest.raises(InternalError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_accessrecord")  # no cutoff declared: refused as ever
    with (
        pytest.raises((InternalError, IntegrityError), match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT set_config('speakpro.audit_purge_before', %s, true)", [timezone.now().isoformat()])
        cursor.execute("UPDATE accounts_accessrecord SET what = 'x'")  # never
    assert AccessRecord.objects.count() == 7


@override_settings(**DAYS)
def test_the_command_prints_per_kind_what_a_dry_run_would_delete(data):
    output = run("--dry-run")

    assert "telemetry: would delete 3 events (created more than 10 day(s) ago (RETENTION_TELEMETRY_DAYS))" in output
    assert "analytics: would delete 4 events" in output
    assert "audit: would delete 5 audit entries" in output
    assert "chat: would delete 1 conversations, 2 messages, 1 idle conversations ended" in output
    assert "clinical: would delete nothing" in output
    assert "Dry run: nothing was changed." in output
    assert TelemetryEvent.objects.count() == 5


@override_settings(**DAYS)
def test_the_command_deletes_the_kinds_named(data):
    output = run("--kind", "telemetry", "--kind", "analytics")

    assert output.splitlines() == [
        "telemetry: deleted 3 events (created more than 10 day(s) ago (RETENTION_TELEMETRY_DAYS))",
        "analytics: deleted 4 events (created more than 20 day(s) ago (RETENTION_ANALYTICS_DAYS))",
    ]
    assert counts()["audit"] == 7


@pytest.mark.parametrize("args", [["--kind", "photos"], ["--kind"], ["--days", "3"]])
def test_the_command_refuses_bad_arguments(data, args):
    before = counts()

    with pytest.raises(CommandError):
        run(*args)

    assert counts() == before


def test_the_command_refuses_an_unknown_kind_passed_by_name(data):
    with pytest.raises(CommandError, match=r"Unknown kind\(s\): photos\. Choose from: chat, telemetry"):
        call_command("retention", kinds=["photos"], stdout=StringIO())


def test_the_service_refuses_an_unknown_kind_with_a_clear_message():
    with pytest.raises(ServiceError, match="photos"):
        retention.retention_apply(kinds=["photos"])


@override_settings(**DAYS)
def test_the_task_runs_the_same_service(data):
    dry = apply_retention.enqueue(dry_run=True).return_value
    assert counts()["telemetry"] == 5

    result = apply_retention.enqueue(kinds=["telemetry", "audit"])  # the test settings run tasks immediately

    assert result.return_value == [
        {
            "kind": "telemetry",
            "dry_run": False,
            "rule": "created more than 10 day(s) ago (RETENTION_TELEMETRY_DAYS)",
            "counts": {"events": 3},
        },
        {
            "kind": "audit",
            "dry_run": False,
            "rule": "recorded more than 400 day(s) ago (RETENTION_AUDIT_DAYS)",
            "counts": {"audit entries": 5},
        },
    ]
    assert [entry["counts"] for entry in dry if entry["kind"] in ("telemetry", "audit")] == [
        {"events": 3},
        {"audit entries": 5},
    ]
    assert counts()["telemetry"] == 2 and counts()["audit"] == 2


@override_settings(RETENTION_CHAT_DAYS=30)
def test_the_chat_alias_and_the_retention_command_share_the_chat_kind(data):
    out = StringIO()
    call_command("chat_retention", "--dry-run", stdout=out)
    assert "would end 1 idle conversation(s) and delete 1 conversation(s) with 2 message(s)" in out.getvalue()

    assert "chat: deleted 1 conversations, 2 messages, 1 idle conversations ended" in run("--kind", "chat")
    assert "chat: deleted 0 conversations, 0 messages, 0 idle conversations ended" in run("--kind", "chat")


PRINT_DAYS = (
    "from django.conf import settings as s; "
    "print(s.RETENTION_CHAT_DAYS, s.CHAT_RETENTION_DAYS, s.RETENTION_TELEMETRY_DAYS, s.RETENTION_ANALYTICS_DAYS, "
    "s.RETENTION_AUDIT_DAYS, s.RETENTION_BATCH_SIZE)"
)


@pytest.mark.parametrize(
    ("environ", "printed"),
    [
        ({}, "30 30 90 730 2190 2000"),
        ({"CHAT_RETENTION_DAYS": "12"}, "12 12 90 730 2190 2000"),  # the old name still works
        ({"CHAT_RETENTION_DAYS": "12", "RETENTION_CHAT_DAYS": "7"}, "7 7 90 730 2190 2000"),  # the new one wins
        ({"RETENTION_TELEMETRY_DAYS": "5", "RETENTION_AUDIT_DAYS": "400"}, "30 30 5 730 400 2000"),
    ],
)
def test_the_settings_come_from_the_environment(environ, printed):
    from tests.test_settings import run_django

    unset = [
        "CHAT_RETENTION_DAYS",
        *(f"RETENTION_{kind}" for kind in ("CHAT_DAYS", "TELEMETRY_DAYS", "ANALYTICS_DAYS")),
    ]
    clean = dict.fromkeys([*unset, "RETENTION_AUDIT_DAYS", "RETENTION_BATCH_SIZE"], "") | {
        "DEBUG": "1",
        "SECRET_KEY": "dev",
    }
    result = run_django({**clean, **environ}, "shell", "-c", PRINT_DAYS)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == printed


@pytest.mark.parametrize(
    ("variable", "value"),
    [("RETENTION_AUDIT_DAYS", "30"), ("RETENTION_TELEMETRY_DAYS", "0"), ("RETENTION_BATCH_SIZE", "x")],
)
def test_the_settings_refuse_bad_values_naming_the_variable(variable, value):
    from tests.test_settings import run_django

    result = run_django({"DEBUG": "true", "SECRET_KEY": "dev", variable: value}, "check")

    assert result.returncode != 0
    assert variable in result.stderr


@override_settings(**DAYS)
def test_a_dry_run_costs_the_same_queries_however_many_rows(owner, member, caseload_of_one):
    def dry_run_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            retention.retention_apply(dry_run=True)
        return len(queries)

    telemetry(2, age_days=11)
    analytics_events(2, age_days=21)
    audit_entries(member, owner, 2, age_days=401)
    few = dry_run_queries()
    telemetry(20, age_days=11)
    analytics_events(20, age_days=21)
    audit_entries(member, owner, 20, age_days=401)
    old_chat(owner, age_days=40)

    assert dry_run_queries() == few <= 12


@pytest.fixture
def caseload_of_one(db):
    """One clinician with a policy and one long-discharged client, so the clinical kind counts something."""
    clinician = clinician_create("dr_one")
    clinical_retention_policy_set(clinician=clinician, keep_years=1)
    client = client_create(clinician)
    session_with_transcript(client)
    Client.objects.filter(pk=client.pk).update(discharged_at=days_ago(800))
