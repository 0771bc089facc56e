"""Analyses of one session at once on PostgreSQL, on real threads: one run writes, nothing is duplicated."""

from unittest import mock

import pytest
from django.db import transaction

from myApp.lib.exceptions import Conflict
from myApp.sessions.clinical import analysis as library
from myApp.sessions.models import SessionInsight, SessionStatusChange, TherapySession
from myApp.sessions.services import clinical as services
from myApp.sessions.services.clinical import analysis as analysis_services
from tests.clinical_helpers import client_create, clinician_create, draft_insight, session_with_transcript
from tests.concurrency import Gate, hold_first_then_run, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FINDINGS = ["mind_reading", "overgeneralisation"]


def _draft_rules(session) -> list[str]:
    drafts = SessionInsight.objects.filter(session=session, status="draft")
    return sorted(drafts.values_list("recommendations__rule", flat=True))


def _session():
    """An analysed session: in these tests the run that a transcript save queues executes at its commit."""
    clinician = clinician_create()
    session = session_with_transcript(client_create(clinician))
    session.refresh_from_db()
    return clinician, session


def _pending_without_run(session) -> None:
    """As after a request whose queued run has not started yet."""
    TherapySession.objects.filter(pk=session.pk).update(analysis_status="pending")


def test_two_runs_at_once_write_one_set_of_insights():
    _, session = _session()
    _pending_without_run(session)

    outcomes = race(*[lambda: services.therapy_session_analyse(session_id=session.pk)] * 4)

    assert sorted(outcome.result for outcome in outcomes) == ["completed", "skipped", "skipped", "skipped"]
    assert _draft_rules(session) == FINDINGS


def test_a_request_while_a_run_holds_the_analysis_is_refused():
    clinician, session = _session()
    assert session.analysis_status == "completed"
    gate = Gate()

    def held(rows, client_speakers):
        gate()
        return library.analyse_session(rows, client_speakers=client_speakers)

    _pending_without_run(session)
    run = hold_first_then_run(
        lambda: services.therapy_session_analyse(session_id=session.pk, analyse=held),
        lambda: services.analysis_request(session=session, by=clinician),
        gate=gate,
    )

    assert run.first.result == "completed"
    assert isinstance(run.second, Conflict) and run.second.status_code == 409
    assert _draft_rules(session) == FINDINGS


def test_many_requests_at_once_leave_one_draft_per_finding():
    clinician, session = _session()

    results = race(*[lambda: services.analysis_request(session=session, by=clinician)] * 4)

    assert all(not isinstance(result, Exception) or isinstance(result, Conflict) for result in results)
    assert _draft_rules(session) == FINDINGS
    session.refresh_from_db()
    assert session.analysis_status == "completed"
    changes = SessionStatusChange.objects.filter(session=session, field="analysis_status")
    claims = changes.filter(to_status="processing").count()
    assert changes.filter(to_status="completed").count() == claims >= 1


def test_an_insight_approved_while_a_run_replaces_the_drafts_stays_approved():
    """The clinician approves a draft the new run no longer finds, just as the run writes: the approval's
    transaction has updated the row but not committed when the run deletes the stale drafts. The run must keep
    the approved insight (decided insights stay), not delete it once the approval commits."""
    clinician, session = _session()
    stale = draft_insight(session, title="Found by an older run only")
    _pending_without_run(session)
    gate = Gate()

    def approve_then_hold():
        with transaction.atomic():
            services.insight_approve(insight=stale, by=clinician)
            gate()

    run = hold_first_then_run(
        approve_then_hold, lambda: services.therapy_session_analyse(session_id=session.pk), gate=gate
    )

    assert run.second.result == "completed"
    stale = SessionInsight.objects.filter(pk=stale.pk).first()
    assert stale is not None and stale.status == "approved"
    assert _draft_rules(session) == FINDINGS


def test_deciding_an_insight_a_run_has_just_replaced_is_a_conflict_not_an_error():
    """The run has deleted the stale draft and not yet committed; the clinician's decision, arriving meanwhile,
    waits for it and then answers 409 (the insight is gone), never a server error."""
    clinician, session = _session()
    stale = draft_insight(session, title="Found by an older run only")
    _pending_without_run(session)
    gate = Gate()
    set_status = analysis_services._set_status

    def set_status_then_hold(*args, **kwargs):
        change = set_status(*args, **kwargs)
        if kwargs.get("reason", "").endswith("draft insights"):  # the run's write, still in its transaction
            gate()
        return change

    with mock.patch.object(analysis_services, "_set_status", set_status_then_hold):
        run = hold_first_then_run(
            lambda: services.therapy_session_analyse(session_id=session.pk),
            lambda: services.insight_approve(insight=stale, by=clinician),
            gate=gate,
        )

    assert run.first.result == "completed"
    assert isinstance(run.second, Conflict) and run.second.status_code == 409
    assert not SessionInsight.objects.filter(pk=stale.pk).exists()
