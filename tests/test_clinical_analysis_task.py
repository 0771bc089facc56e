"""The analysis as a background task: requested, run by the worker, statuses recorded, failure and retry,
re-analysis keeping the clinician's decisions, stale results dropped."""

import datetime

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from myApp.sessions.clinical import analysis as library
from myApp.sessions.models import SessionInsight, SessionSentence, SessionStatusChange, TherapySession
from myApp.sessions.services import clinical as services
from myApp.sessions.services.clinical import analysis as analysis_service
from myApp.sessions.tasks import analyse_therapy_session
from tests.clinical_helpers import client_create, clinician_create, segments, session_create, session_with_transcript

# LINES (tests/clinical_helpers.py) hold two findings in the client's speech: overgeneralisation ("I always mess
# everything up") and mind reading ("I knew she thought I was useless").
FINDINGS = {"overgeneralisation", "mind_reading"}


@pytest.fixture
def clinician(db):
    return clinician_create()


@pytest.fixture
def session(clinician):
    return session_with_transcript(client_create(clinician))


def _analysis_changes(session) -> list[tuple[str, str, str]]:
    changes = SessionStatusChange.objects.filter(session=session, field="analysis_status").order_by("id")
    return list(changes.values_list("from_status", "to_status", "reason"))


def _rules(queryset) -> set[str]:
    return {recommendations["rule"] for recommendations in queryset.values_list("recommendations", flat=True)}


def _analyse_url(session) -> str:
    return reverse("therapy-session-analyse", args=[session.pk])


def test_it_analyses_a_requested_session_end_to_end(clinician, session, api_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(clinician).post(_analyse_url(session))

    assert response.status_code == 202 and response.json()["analysis_status"] == "pending"
    session.refresh_from_db()
    assert (session.analysis_status, session.analysis_error) == ("completed", "")
    assert [change[:2] for change in _analysis_changes(session)] == [
        ("pending", "processing"),
        ("processing", "completed"),
    ]
    sentences = list(SessionSentence.objects.filter(session=session).order_by("sequence_number"))
    assert all(s.keywords and s.sentiment is not None and s.emotion_scores for s in sentences)
    assert "mess" in sentences[1].keywords["term"]
    insights = SessionInsight.objects.filter(session=session)
    assert _rules(insights) == FINDINGS
    assert set(insights.values_list("status", flat=True)) == {"draft"}
    evidence = insights.get(recommendations__rule="mind_reading").evidence_sentence
    assert evidence == sentences[3]


def test_it_queues_the_analysis_when_a_transcript_is_saved(clinician, django_capture_on_commit_callbacks):
    session = session_create(client_create(clinician))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.transcript_save(session=session, by=clinician, segments=segments(), mode="replace")

    assert len(callbacks) == 1
    session.refresh_from_db()
    assert session.analysis_status == "completed"
    assert _rules(SessionInsight.objects.filter(session=session)) == FINDINGS


def test_it_records_a_refusal_as_the_reason_and_allows_a_retry(
    clinician, session, api_as, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(rows, client_speakers):
        raise library.AnalysisRefused("A session is analysed up to 3 sentences.")

    monkeypatch.setattr(library, "analyse_session", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        assert api_as(clinician).post(_analyse_url(session)).status_code == 202
    session.refresh_from_db()
    assert (session.analysis_status, session.analysis_error) == ("failed", "A session is analysed up to 3 sentences.")
    assert _analysis_changes(session)[-1] == ("processing", "failed", "A session is analysed up to 3 sentences.")
    assert not SessionInsight.objects.exists()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(clinician).post(_analyse_url(session))

    assert response.status_code == 202 and response.json()["analysis_status"] == "pending"
    session.refresh_from_db()
    assert (session.analysis_status, session.analysis_error) == ("completed", "")
    assert [change[:2] for change in _analysis_changes(session)] == [
        ("pending", "processing"),
        ("processing", "failed"),
        ("failed", "pending"),
        ("pending", "processing"),
        ("processing", "completed"),
    ]


def test_an_unexpected_error_fails_the_analysis_and_the_task(session, monkeypatch):
    def crash(rows, client_speakers):
        raise RuntimeError("lexicon unreadable")

    monkeypatch.setattr(library, "analyse_session", crash)
    result = analyse_therapy_session.enqueue(session_id=session.pk)

    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class is RuntimeError
    session.refresh_from_db()
    assert (session.analysis_status, session.analysis_error) == ("failed", "RuntimeError: lexicon unreadable")


def test_it_refuses_a_request_while_the_analysis_is_processing(clinician, session, api_as):
    answers = []

    def request_meanwhile(rows, client_speakers):
        answers.append(api_as(clinician).post(_analyse_url(session)))
        return library.analyse_session(rows, client_speakers=client_speakers)

    outcome = services.therapy_session_analyse(session_id=session.pk, analyse=request_meanwhile)

    assert outcome.result == "completed"
    assert answers[0].status_code == 409
    assert answers[0].json()["errors"] == {"analysis_status": ["Wait until this analysis ends."]}


def test_a_run_that_never_finished_may_be_replaced(clinician, session, django_capture_on_commit_callbacks):
    abandoned = []

    def worker_dies(rows, client_speakers):
        # The worker is killed here: its claim is 31 minutes old when the clinician asks again.
        claim = SessionStatusChange.objects.filter(session=session, to_status="processing").latest("id")
        SessionStatusChange.objects.filter(pk=claim.pk).update(
            created_at=claim.created_at - analysis_service.ABANDONED_AFTER - datetime.timedelta(minutes=1)
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.analysis_request(session=session, by=clinician)
        abandoned.append(True)
        return library.analyse_session(rows, client_speakers=client_speakers)

    outcome = services.therapy_session_analyse(session_id=session.pk, analyse=worker_dies)

    assert abandoned and outcome.result == "stale"  # the old run, waking, writes nothing
    session.refresh_from_db()
    assert session.analysis_status == "completed"
    assert ("processing", "pending", "requested; the previous run never finished") in _analysis_changes(session)
    assert _rules(SessionInsight.objects.filter(session=session)) == FINDINGS


def test_it_refuses_to_analyse_a_session_without_transcript(clinician, api_as):
    session = session_create(client_create(clinician))

    response = api_as(clinician).post(_analyse_url(session))

    assert response.status_code == 409 and response.json()["errors"] == {"transcript": ["Save a transcript first."]}


def test_it_skips_a_run_when_the_analysis_is_not_pending(session):
    assert services.therapy_session_analyse(session_id=session.pk).result == "completed"

    outcome = services.therapy_session_analyse(session_id=session.pk)

    assert outcome.result == "skipped"
    assert len(_analysis_changes(session)) == 2


def test_reanalysis_replaces_drafts_and_keeps_the_clinicians_decisions(
    clinician, session, django_capture_on_commit_callbacks
):
    services.therapy_session_analyse(session_id=session.pk)
    first = {i.recommendations["rule"]: i for i in SessionInsight.objects.filter(session=session)}
    services.insight_approve(insight=first["overgeneralisation"], by=clinician)
    # The transcript grows: a new all-or-nothing finding, and mind reading with more evidence than before.
    more = [("Client", "I am a complete failure at everything."), ("Client", "I knew they all thought I was weak.")]
    services.transcript_save(session=session, by=clinician, segments=segments(2, start=100, lines=more), mode="append")

    with django_capture_on_commit_callbacks(execute=True):
        services.analysis_request(session=session, by=clinician)

    insights = SessionInsight.objects.filter(session=session)
    approved = insights.get(status="approved")
    assert approved.pk == first["overgeneralisation"].pk and approved.evidence == first["overgeneralisation"].evidence
    drafts = insights.filter(status="draft")
    assert first["mind_reading"].pk not in set(drafts.values_list("pk", flat=True))
    assert "mind_reading" in _rules(drafts)
    assert len(_rules(drafts)) == drafts.count()  # one draft per finding


def test_it_does_not_ask_again_about_a_finding_already_decided(clinician, session, django_capture_on_commit_callbacks):
    services.therapy_session_analyse(session_id=session.pk)
    for insight in SessionInsight.objects.filter(session=session):
        services.insight_reject(insight=insight, by=clinician)

    with django_capture_on_commit_callbacks(execute=True):
        services.analysis_request(session=session, by=clinician)

    assert set(SessionInsight.objects.filter(session=session).values_list("status", flat=True)) == {"rejected"}
    assert SessionInsight.objects.count() == len(FINDINGS)


def test_it_drops_results_when_the_transcript_changes_during_the_analysis(
    clinician, session, django_capture_on_commit_callbacks
):
    calm = [("Client", "The week went well and I slept better.")]

    def replace_meanwhile(rows, client_speakers):
        services.transcript_save(session=session, by=clinician, segments=segments(1, lines=calm), mode="replace")
        return library.analyse_session(rows, client_speakers=client_speakers)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.therapy_session_analyse(session_id=session.pk, analyse=replace_meanwhile)

    assert outcome.result == "stale"
    session.refresh_from_db()
    assert session.analysis_status == "completed"  # the run the new transcript queued
    sentence = SessionSentence.objects.get(session=session)
    assert sentence.text == calm[0][1] and sentence.keywords is not None
    assert not SessionInsight.objects.filter(session=session).exists()


def test_it_calls_the_hook_with_the_new_drafts_once_written(session, monkeypatch):
    calls = []
    monkeypatch.setattr(analysis_service, "insights_created", lambda s, insights: calls.append((s.pk, insights)))

    services.therapy_session_analyse(session_id=session.pk)

    assert len(calls) == 1 and calls[0][0] == session.pk
    assert {i.pk for i in calls[0][1]} == set(SessionInsight.objects.values_list("pk", flat=True))
    assert all(i.pk and i.status == "draft" for i in calls[0][1])


def test_it_treats_the_clients_name_as_a_client_speaker(clinician):
    client = client_create(clinician, name="Robin Vale")
    lines = [("Dr Lee", "How was it?"), ("Robin Vale", "I knew she thought I was useless.")]
    session = session_with_transcript(client, count=2, lines=lines)

    services.therapy_session_analyse(session_id=session.pk)

    assert _rules(SessionInsight.objects.filter(session=session)) == {"mind_reading"}


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection when done
def test_the_database_worker_runs_a_queued_analysis(clinician):
    session = session_create(client_create(clinician))
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        services.transcript_save(session=session, by=clinician, segments=segments(), mode="replace")
        assert DBTaskResult.objects.filter(status="READY").count() == 1
        assert TherapySession.objects.get(pk=session.pk).analysis_status == "pending"
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert TherapySession.objects.get(pk=session.pk).analysis_status == "completed"
    assert _rules(SessionInsight.objects.filter(session=session)) == FINDINGS


def test_risk_in_a_transcript_notifies_the_clinician_once_however_often_it_is_analysed(
    clinician, django_capture_on_commit_callbacks, mailoutbox
):
    """The third risk source: a client's sentence the safety rules read as risk becomes an urgent draft insight
    and one notification (and one email) for their clinician, also when the session is analysed again."""
    from myApp.sessions.models import ClinicianNotification

    lines = [("Therapist", "How has the week been?"), ("Client", "Honestly I want to end my life.")]
    session = session_create(client_create(clinician))
    with django_capture_on_commit_callbacks(execute=True):
        services.transcript_save(session=session, by=clinician, segments=segments(2, lines=lines), mode="replace")

    urgent = SessionInsight.objects.get(session=session, intervention_priority="urgent")
    assert urgent.status == "draft" and urgent.client_id == session.client_id
    assert list(ClinicianNotification.objects.values_list("insight_id", "recipient_id")) == [(urgent.pk, clinician.pk)]
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [clinician.email]

    with django_capture_on_commit_callbacks(execute=True):
        services.analysis_request(session=session, by=clinician)

    assert ClinicianNotification.objects.filter(recipient=clinician).count() == 1
    assert len(mailoutbox) == 1


def test_the_same_risky_transcript_uploaded_again_alerts_once_and_keeps_the_alert(
    clinician, django_capture_on_commit_callbacks, mailoutbox
):
    """Replacing a transcript deleted its undecided insights with their notifications, so each upload of the same
    risky transcript made a new alert and email (the attack review: 3 uploads, 3 notifications, the read one
    gone). An undecided urgent insight now stays through a replacement: found again it is the same alert, linked
    again to its sentence; not found again it stays until its clinician decides, shown without context."""
    from myApp.sessions import risk_selectors
    from myApp.sessions.models import ClinicianNotification

    risky = [("Therapist", "How has the week been?"), ("Client", "Honestly I want to end my life.")]
    session = session_create(client_create(clinician))
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            services.transcript_save(session=session, by=clinician, segments=segments(2, lines=risky), mode="replace")

    urgent = SessionInsight.objects.get(session=session, intervention_priority="urgent")
    assert ClinicianNotification.objects.filter(insight=urgent).count() == 1 and len(mailoutbox) == 1
    assert urgent.evidence_sentence == SessionSentence.objects.get(session=session, sequence_number=1)
    (shown,) = risk_selectors.with_evidence_context([urgent], viewer=clinician)
    assert [row["is_evidence"] for row in shown.context] == [False, True]

    calm = [("Therapist", "How has the week been?"), ("Client", "Better, I slept well.")]
    with django_capture_on_commit_callbacks(execute=True):
        services.transcript_save(session=session, by=clinician, segments=segments(2, lines=calm), mode="replace")

    kept = SessionInsight.objects.get(pk=urgent.pk)
    assert (kept.status, kept.evidence_sentence_id) == ("draft", None)
    (shown,) = risk_selectors.with_evidence_context([kept], viewer=clinician)
    assert shown.context == [] and "end my life" in kept.evidence  # the words, not the new transcript's lines
    assert ClinicianNotification.objects.count() == 1 and len(mailoutbox) == 1
    assert not SessionInsight.objects.filter(session=session, intervention_priority="urgent").exclude(pk=urgent.pk)
