"""Issue 11's seed data: the ``demo`` caseload (demo_psychologist's clients, analysed sessions, reviewed and draft
insights, trends that move) and the clinical part of ``load`` (sizes, the stored keyword shape, idempotence)."""

import itertools
from collections import defaultdict

import pytest
from django.db import connection
from django.db.models import Avg, Count, Max, Min

import seed_data
from myApp.accounts.models import Role, User
from myApp.sessions import transcript_search
from myApp.sessions.clinical.demo_transcripts import CLIENTS
from myApp.sessions.clinical_load import loaded_clients, loaded_sessions
from myApp.sessions.clinical_seeds import CLINICIAN
from myApp.sessions.clinical_selectors import keyword_sentences
from myApp.sessions.models import (
    Client,
    ClientProfile,
    InsightStatus,
    ProcessingStatus,
    SessionInsight,
    SessionSentence,
    SessionStatusChange,
    TherapySession,
)

CLINICAL_SIZES = ["--clinicians", "2", "--clients", "5", "--clinical-sessions", "12", "--sentences", "300"]
OTHER_SIZES = ["--users", "5", "--conversations", "0", "--messages", "0", "--completions", "0", "--blocks", "0"]
OTHER_SIZES += ["--enrolments", "0", "--progress", "0", "--lesson-sessions", "0", "--submissions", "0"]


@pytest.fixture
def seed_env(monkeypatch):
    for name in ("SEED_STAFF_USERNAME", "SEED_STAFF_EMAIL", "SEED_STAFF_PASSWORD", "SEED_DEMO_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _clinical_counts() -> dict[str, int]:
    models = (Client, ClientProfile, TherapySession, SessionSentence, SessionInsight, SessionStatusChange)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def demo(db, seed_env):
    assert seed_data.main(["demo"]) == 0


def test_the_demo_clinician_is_a_psychologist_with_four_clients_one_of_them_demo_learner(demo):
    clinician = User.objects.get(username=CLINICIAN)
    assert clinician.role == Role.PSYCHOLOGIST and clinician.is_active
    clients = Client.objects.filter(clinician=clinician)
    assert clients.count() == len(CLIENTS) == 4
    assert list(clients.filter(user__isnull=False).values_list("user__username", flat=True)) == ["demo_learner"]
    assert ClientProfile.objects.filter(client__in=clients).count() == 4


def test_each_demo_client_was_taken_on_before_their_first_session(demo):
    """The demo said "client since" today above sessions from four weeks before (new-user review)."""
    from django.db.models import Min

    for client in Client.objects.annotate(first=Min("sessions__date")):
        assert client.created_at < client.first


def test_every_demo_session_is_transcribed_and_analysed(demo):
    sessions = TherapySession.objects.filter(client__clinician__username=CLINICIAN)
    assert sessions.count() == sum(len(spec["sessions"]) for spec in CLIENTS)
    assert set(sessions.values_list("status", "transcript_status", "analysis_status")) == {
        ("completed", ProcessingStatus.COMPLETED, ProcessingStatus.COMPLETED)
    }
    sentences = SessionSentence.objects.filter(session__in=sessions)
    assert sentences.count() == sum(len(lines) for spec in CLIENTS for lines in spec["sessions"])
    assert not sentences.filter(keywords__isnull=True).exists()
    assert not sentences.filter(sentiment__isnull=True).exists()
    assert not sentences.filter(emotion_scores__isnull=True).exists()
    # weekly: each client's sessions are seven days apart
    for client in Client.objects.filter(clinician__username=CLINICIAN):
        dates = list(TherapySession.objects.filter(client=client).order_by("date").values_list("date", flat=True))
        assert {(later - earlier).days for earlier, later in itertools.pairwise(dates)} == {7}


def test_demo_insights_are_partly_reviewed_and_partly_drafts(demo):
    insights = SessionInsight.objects.filter(session__client__clinician__username=CLINICIAN)
    statuses = set(insights.values_list("status", flat=True))
    assert InsightStatus.APPROVED in statuses and InsightStatus.DRAFT in statuses
    assert not insights.exclude(status=InsightStatus.DRAFT).filter(reviewed_at__isnull=True).exists()
    # the risk line in Sam's second session raised an urgent insight, left for the clinician to review
    urgent = insights.get(intervention_priority="urgent")
    assert urgent.status == InsightStatus.DRAFT and urgent.session.client.display_name == "Sam K."
    assert "better off without me" in urgent.evidence_sentence.text


def test_the_demo_clinician_is_notified_of_the_urgent_insight(demo):
    """As the analysis task does: the seeded risk insight reached the notifications page, which said "No
    notifications" while Sam's self-harm insight waited in the queue."""
    from myApp.sessions.models import ClinicianNotification

    notification = ClinicianNotification.objects.get()
    assert notification.insight.intervention_priority == "urgent"
    assert notification.recipient.username == "demo_psychologist" and notification.read_at is None


def test_each_demo_clients_mood_improves_over_the_weeks(demo):
    for client in Client.objects.filter(clinician__username=CLINICIAN):
        means = list(
            TherapySession.objects.filter(client=client)
            .order_by("date")
            .annotate(mean=Avg("sentences__sentiment"))
            .values_list("mean", flat=True)
        )
        assert means[-1] > means[0], (client.display_name, means)


def test_a_second_demo_run_adds_nothing(demo):
    before = _clinical_counts()

    assert seed_data.main(["demo"]) == 0

    assert _clinical_counts() == before


# --- load ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def clinical_loaded(db):
    assert seed_data.main(["load", "--batch-size", "64", *OTHER_SIZES, *CLINICAL_SIZES]) == 0


def test_load_makes_the_clinical_sizes_asked_for(clinical_loaded):
    assert User.objects.filter(username__startswith="loadclin_", role=Role.PSYCHOLOGIST).count() == 2
    assert loaded_clients().count() == 5
    assert ClientProfile.objects.filter(client__in=loaded_clients()).count() == 5
    assert loaded_sessions().count() == 12
    assert SessionSentence.objects.filter(session__in=loaded_sessions()).count() == 300
    connection.check_constraints()


def test_loaded_sentences_are_ordered_turns_with_the_stored_analysis_shape(clinical_loaded):
    sentences = SessionSentence.objects.filter(session__in=loaded_sessions())
    per_session = sentences.values("session").annotate(n=Count("id"), first=Min("sequence_number"))
    per_session = per_session.annotate(last=Max("sequence_number"))
    assert all(row["first"] == 0 and row["last"] == row["n"] - 1 for row in per_session)
    by_session = defaultdict(list)
    for session, number, speaker, start, end in sentences.order_by("session", "sequence_number").values_list(
        "session", "sequence_number", "speaker", "start_ms", "end_ms"
    ):
        by_session[session].append((number, speaker, start, end))
    for rows in by_session.values():
        assert [speaker for _, speaker, _, _ in rows[:2]] in (["therapist", "client"], ["therapist"])
        assert all(a[3] <= b[2] for a, b in itertools.pairwise(rows))  # back to back, in order
    for document, sentiment, emotions in sentences.values_list("keywords", "sentiment", "emotion_scores"):
        assert set(document) == {"term", "score"} and set(document["term"]) == set(document["score"])
        assert all(term == term.lower() for term in document["term"])
        assert -1 <= sentiment <= 1 and isinstance(emotions, dict)
    assert sentences.values("text").distinct().count() > 100  # varied text


def test_loaded_terms_are_found_by_the_keyword_search(clinical_loaded):
    sentence = SessionSentence.objects.filter(session__in=loaded_sessions()).exclude(keywords__term=[]).first()
    term = sentence.keywords["term"][0]

    found = list(keyword_sentences(client=sentence.session.client, term=term))

    assert sentence in found and all(term in row.keywords["term"] for row in found)


@pytest.mark.postgres
def test_loaded_text_is_found_by_the_full_text_search(clinical_loaded):
    sentence = SessionSentence.objects.filter(session__in=loaded_sessions(), speaker="client").first()

    hits = transcript_search.search_transcripts(client=sentence.session.client, text=sentence.text)

    assert sentence.text in {hit.sentence.text for hit in hits}  # (the same text may be in several sentences)


def test_a_second_load_adds_no_clinical_rows_and_says_so(clinical_loaded, capsys):
    before = _clinical_counts()
    capsys.readouterr()

    assert seed_data.main(["load", *OTHER_SIZES, *CLINICAL_SIZES]) == 0

    assert _clinical_counts() == before
    output = capsys.readouterr().out
    assert "therapy sessions: 12 loaded rows exist; none added" in output
