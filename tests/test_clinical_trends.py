"""Emotion trends, progress metrics and the client summary against hand-computed numbers; only analysed
sessions, the client's own speech and approved insights count; constant query counts."""

import datetime

import pytest

from myApp.sessions import clinical_trends as trends
from myApp.sessions.clinical import analysis as library
from myApp.sessions.clinical import scales
from myApp.sessions.models import SessionInsight, SessionSentence
from myApp.sessions.services import clinical as services
from tests.clinical_analysis_helpers import analysed, finding, scores
from tests.clinical_helpers import client_create, clinician_create, segments, session_create


@pytest.fixture
def clinician(db):
    return clinician_create()


@pytest.fixture
def caseload(clinician):
    client = client_create(clinician, name="Robin Vale")
    first = analysed(
        client,
        days_ago=10,
        duration=50,
        lines=[("Dr Lee", "How was it?"), ("Client", "Bad."), ("Robin Vale", "Some good.")],
        results=[
            (0.9, scores(joy=1.0), ["therapy"]),  # the clinician's turn: never counted
            (-0.5, scores(sadness=0.6, fear=0.2), ["work", "manager"]),
            (0.1, scores(sadness=0.2, joy=0.4), ["work"]),
        ],
        insights=[finding("cognitive_distortion", "labelling", "high"), finding("risk", "self_harm", "urgent")],
    )
    second = analysed(
        client,
        days_ago=3,
        duration=40,
        lines=[("Dr Lee", "And now?"), ("client", "Sleeping well.")],
        results=[(0.0, scores(), []), (0.6, scores(joy=0.8), ["sleep", "work"])],
        insights=[finding("progress", "sleep_better", "low"), finding("cognitive_distortion", "mind_reading")],
    )
    # A third session, transcribed but not analysed: counted in the session stats only.
    pending = session_create(client, days_ago=1)
    services.transcript_save(session=pending, by=clinician, segments=segments(2), mode="replace")
    return {"client": client, "first": first, "second": second, "pending": pending}


def _decide(caseload, clinician):
    by_rule = {i.recommendations["rule"]: i for i in SessionInsight.objects.all()}
    services.insight_approve(insight=by_rule["labelling"], by=clinician)
    services.insight_approve(insight=by_rule["sleep_better"], by=clinician)
    services.insight_reject(insight=by_rule["mind_reading"], by=clinician)
    # self_harm stays a draft


def test_the_read_side_scales_are_the_analysis_own():
    from myApp.sessions.clinical.analysis import sentiment

    assert scales.EMOTIONS == library.EMOTIONS and scales.CLIENT_SPEAKERS == library.CLIENT_SPEAKERS
    assert (scales.POSITIVE, scales.NEGATIVE) == (sentiment.POSITIVE, sentiment.NEGATIVE)


def test_emotion_trends_are_the_means_of_the_clients_analysed_sentences(caseload):
    points = trends.emotion_trends(caseload["client"])

    assert [(p["session_id"], p["sentences"], p["sentiment"]) for p in points] == [
        (caseload["first"].pk, 2, -0.2),
        (caseload["second"].pk, 1, 0.6),
    ]
    assert points[0]["emotions"] == scores(sadness=0.4, fear=0.1, joy=0.2)
    assert points[1]["emotions"] == scores(joy=0.8)
    assert points[0]["date"] == caseload["first"].date


def test_emotion_trends_agree_with_the_analysis_aggregate(caseload):
    rows = SessionSentence.objects.filter(session__in=[caseload["first"], caseload["second"]]).values(
        "session_id", "session__date", "emotion_scores", "sentiment", "speaker"
    )
    rows = [row | {"date": row["session__date"]} for row in rows]

    expected = library.emotion_trend(rows, speakers=scales.client_speakers("Robin Vale"))

    assert trends.emotion_trends(caseload["client"]) == expected


def test_progress_counts_approved_insights_only(caseload, clinician):
    before = trends.progress_metrics(caseload["client"])
    assert [p["approved_insights"] for p in before["sessions"]] == [0, 0] and before["progress"] == []

    _decide(caseload, clinician)
    metrics = trends.progress_metrics(caseload["client"])

    assert [
        (p["session_id"], p["approved_insights"], p["distortions"], p["risk"], p["sentiment"])
        for p in metrics["sessions"]
    ] == [(caseload["first"].pk, 1, 1, 0, -0.2), (caseload["second"].pk, 1, 0, 0, 0.6)]
    assert metrics["progress"] == [
        {
            "session_id": caseload["second"].pk,
            "date": caseload["second"].date,
            "insight": "About sleep_better.",
            "confidence": 0.6,
            "recommendations": {"rule": "sleep_better", "actions": []},
        }
    ]
    assert metrics["change"] == {
        "from_session": caseload["first"].pk,
        "to_session": caseload["second"].pk,
        "sentiment_change": 0.8,
        "distortion_change": -1,
    }


def test_the_summary_against_hand_computed_numbers(caseload, clinician):
    _decide(caseload, clinician)

    summary = trends.client_summary(caseload["client"])

    assert summary["session_stats"] == {
        "total_sessions": 3,
        "avg_duration": 45.0,
        "last_session": caseload["pending"].date,
        "completed_sessions": 0,
        "analysed_sessions": 2,
    }
    assert summary["keyword_frequency"] == [
        {"term": "work", "sentences": 3},
        {"term": "manager", "sentences": 1},
        {"term": "sleep", "sentences": 1},
    ]
    assert summary["sentiment"] == {
        "count": 3,
        "mean": 0.067,
        "min": -0.5,
        "max": 0.6,
        "positive": 2,
        "neutral": 0,
        "negative": 1,
    }
    assert summary["emotions"] == {
        "count": 3,
        "means": scores(joy=0.4, sadness=0.267, fear=0.067),
        "dominant": "joy",
    }
    approved = summary["approved_insights"]
    assert approved["total"] == 2
    assert approved["by_type"] == {"cognitive_distortion": 1, "schema": 0, "progress": 1, "risk": 0, "theme": 0}
    assert approved["by_priority"] == {"low": 1, "medium": 0, "high": 1, "urgent": 0}


def test_drafts_and_rejected_insights_are_never_counted(caseload, clinician):
    for insight in SessionInsight.objects.all():
        services.insight_reject(insight=insight, by=clinician, note="Not a risk: quoting a song.")

    assert trends.client_summary(caseload["client"])["approved_insights"]["total"] == 0
    assert all(p["approved_insights"] == 0 for p in trends.progress_metrics(caseload["client"])["sessions"])


def test_a_session_awaiting_reanalysis_leaves_the_trend(caseload, clinician):
    services.transcript_save(
        session=caseload["second"], by=clinician, segments=segments(1, start=99), mode="append"
    )  # its analysis is pending again (the queued run does not execute inside the test's transaction)

    assert [p["session_id"] for p in trends.emotion_trends(caseload["client"])] == [caseload["first"].pk]
    assert trends.client_summary(caseload["client"])["keyword_frequency"][0] == {"term": "work", "sentences": 2}


@pytest.mark.parametrize("sessions", [1, 6])
def test_the_queries_do_not_grow_with_sessions(clinician, django_assert_num_queries, sessions):
    client = client_create(clinician)
    for n in range(sessions):
        analysed(
            client,
            days_ago=n,
            lines=[("Client", "I am fine."), ("Client", "Work is hard.")],
            results=[(0.2, scores(joy=0.5), ["fine"]), (-0.3, scores(sadness=0.5), ["work"])],
            insights=[finding("progress", f"step_{n}")],
        )
    for insight in SessionInsight.objects.all():
        services.insight_approve(insight=insight, by=clinician)

    with django_assert_num_queries(1):
        assert len(trends.emotion_trends(client)) == sessions
    with django_assert_num_queries(3):
        assert len(trends.progress_metrics(client)["progress"]) == sessions
    with django_assert_num_queries(4):
        assert trends.client_summary(client)["session_stats"]["total_sessions"] == sessions


def test_a_client_without_sessions_has_empty_trends(clinician):
    client = client_create(clinician)

    assert trends.emotion_trends(client) == []
    metrics = trends.progress_metrics(client)
    assert metrics == {"sessions": [], "progress": [], "change": None}
    summary = trends.client_summary(client)
    assert summary["session_stats"]["total_sessions"] == 0 and summary["keyword_frequency"] == []
    assert summary["sentiment"]["mean"] is None and summary["emotions"]["dominant"] is None


def test_a_date_is_a_datetime(caseload):
    assert isinstance(trends.emotion_trends(caseload["client"])[0]["date"], datetime.datetime)


def test_a_renamed_client_keeps_the_speech_labelled_with_the_old_name(caseload, clinician):
    """Renaming a client made the sentences labelled with the old name someone else's: the trends dropped them
    (the first session's "Robin Vale: Some good.") until a re-analysis. The old name is kept as a former name."""
    client = caseload["client"]

    services.client_update(client=client, by=clinician, display_name="Robin V.")

    client.refresh_from_db()
    assert client.former_names == ["Robin Vale"]
    points = trends.emotion_trends(client)
    assert [(p["sentences"], p["sentiment"]) for p in points] == [(2, -0.2), (1, 0.6)]
    assert "robin vale" in scales.client_speakers(client.display_name, client.former_names)


def test_former_names_are_kept_once_newest_last_and_at_most_ten(caseload, clinician):
    client = caseload["client"]
    for number in range(12):
        services.client_update(client=client, by=clinician, display_name=f"Name {number}")
    services.client_update(client=client, by=clinician, display_name="name  3")  # back to a former one
    services.client_update(client=client, by=clinician, age=40)  # no rename: names untouched

    client.refresh_from_db()
    # Robin Vale and Name 0 fell off the end; Name 3 is the name again (as a label), so not a former one.
    assert client.former_names == [f"Name {n}" for n in (1, 2, 4, 5, 6, 7, 8, 9, 10, 11)]
    assert client.display_name == "name  3"
