"""The clinical API as a clinician uses it: clients, sessions, transcripts (JSON and files), insights,
keyword and full-text search, with query counts that do not grow with sentences or sessions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myApp.sessions.models import Client, ClientProfile, SessionInsight, SessionSentence, TherapySession
from tests.clinical_helpers import (
    client_create,
    clinician_create,
    draft_insight,
    keywords_set,
    segments,
    session_create,
    session_with_transcript,
)
from tests.test_clinical_files import SRT, VTT


@pytest.fixture
def clinician(db):
    return clinician_create()


@pytest.fixture
def api(api_as, clinician):
    return api_as(clinician)


@pytest.fixture
def client_(clinician):
    return client_create(clinician)


def test_it_creates_a_client_with_a_profile_and_schedules_a_session(api, clinician):
    response = api.post(reverse("client-list"), {"display_name": "Sam Doe", "age": 34, "risk_factors": {"sleep": 1}})
    assert response.status_code == 201, response.json()
    client = Client.objects.get(pk=response.json()["id"])
    assert client.clinician == clinician and ClientProfile.objects.filter(client=client).exists()

    response = api.post(
        reverse("therapy-session-list"),
        {"client": client.pk, "date": "2026-03-02T10:00:00Z", "duration_minutes": 50, "session_type": "family"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "scheduled" and response.json()["transcript_status"] == "pending"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"display_name": "A", "age": 200}, "age"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "A", "clinician": 1}, "clinician"),
        ({"display_name": "A", "demographics": [1, 2]}, "demographics"),
        ({"display_name": "nul\x00"}, "display_name"),
    ],
)
def test_it_answers_400_naming_the_field_of_a_bad_client(api, body, field):
    response = api.post(reverse("client-list"), body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_it_moves_a_session_along_its_statuses_and_refuses_going_back(api, client_):
    session = session_create(client_)
    url = reverse("therapy-session-set-status", args=[session.pk])

    assert api.post(url, {"status": "in_progress"}).json()["status"] == "in_progress"
    assert api.post(url, {"status": "completed"}).json()["status"] == "completed"
    response = api.post(url, {"status": "scheduled"})

    assert response.status_code == 409
    assert "status" in response.json()["errors"]
    assert list(session.status_changes.values_list("to_status", flat=True)) == ["in_progress", "completed"]


def test_it_saves_and_reads_a_transcript_through_the_api(api, client_):
    session = session_create(client_)
    url = reverse("therapy-session-transcript", args=[session.pk])

    response = api.post(url, {"mode": "replace", "segments": segments(3)}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() | {} == {
        "session": session.pk,
        "mode": "replace",
        "added": 3,
        "total": 3,
        "transcript_status": "completed",
        "analysis_status": "pending",
    }
    response = api.post(url, {"mode": "append", "segments": segments(1, start=20)}, format="json")
    assert response.json()["total"] == 4

    transcript = api.get(url).json()
    assert [row["sequence_number"] for row in transcript["sentences"]] == [0, 1, 2, 3]
    assert transcript["sentences"][0]["speaker"] == "Dr Lee"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"segments": segments(1)}, "mode"),
        ({"mode": "replace", "segments": "text"}, "segments"),
        ({"mode": "replace", "segments": [{"start": 3, "end": 1, "text": "x"}]}, "segments.0.end"),
        ({"mode": "replace", "segments": segments(1), "extra": 1}, "extra"),
    ],
)
def test_it_answers_400_naming_the_field_of_a_bad_transcript(api, client_, body, field):
    session = session_create(client_)

    response = api.post(reverse("therapy-session-transcript", args=[session.pk]), body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize(
    ("name", "data", "speakers"),
    [("s.vtt", VTT, ["Dr Lee", "Client", "CLIENT"]), ("s.srt", SRT, ["DR LEE", "Client", "unknown"])],
)
def test_it_saves_an_uploaded_transcript_file(api, client_, name, data, speakers):
    session = session_create(client_)

    response = api.post(
        reverse("therapy-session-transcript-file", args=[session.pk]),
        {"mode": "replace", "file": SimpleUploadedFile(name, data)},
        format="multipart",
    )

    assert response.status_code == 200, response.json()
    assert list(SessionSentence.objects.filter(session=session).values_list("speaker", flat=True)) == speakers


@pytest.mark.parametrize(
    ("name", "data", "extra", "field"),
    [
        ("s.srt", b"1\n00:00:01,000 --> 00:00:02,000\n\x00\x00", {}, "file"),
        ("s.srt", b"1\n00:00:01,000 --> 00:00:02,000\n" + b"a" * 1_048_576, {}, "file"),
        ("s.srt", b"1\n00:00:09,000 --> 00:00:02,000\nbackwards", {}, "file"),
        ("s.vtt", b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + b"x" * 6000, {}, "segments.0.text"),
        ("s.doc", b"anything", {}, "format"),
        ("s.srt", SRT, {"format": "pdf"}, "format"),
        ("s.srt", SRT, {"mode": "merge"}, "mode"),
    ],
)
def test_it_answers_400_for_a_bad_transcript_file(api, client_, name, data, extra, field):
    session = session_create(client_)
    body = {"mode": "replace", "file": SimpleUploadedFile(name, data), **extra}

    response = api.post(reverse("therapy-session-transcript-file", args=[session.pk]), body, format="multipart")

    assert response.status_code == 400, response.content[:300]
    assert field in response.json()["errors"]
    assert not SessionSentence.objects.filter(session=session).exists()


def test_insights_stay_drafts_until_the_clinician_decides(api, client_):
    session = session_with_transcript(client_)
    insight = draft_insight(session)
    list_url = reverse("session-insight-list")

    assert [row["status"] for row in api.get(list_url, {"status": "draft"}).json()["results"]] == ["draft"]
    assert api.get(list_url, {"status": "approved"}).json()["results"] == []
    response = api.post(reverse("session-insight-approve", args=[insight.pk]))
    assert response.status_code == 200
    assert response.json()["status"] == "approved" and response.json()["reviewed_by"] == client_.clinician.pk
    assert api.post(reverse("session-insight-reject", args=[insight.pk])).json()["status"] == "rejected"
    assert api.get(list_url, {"status": "bogus"}).status_code == 400


def test_it_finds_sentences_by_keyword(api, client_):
    older = session_with_transcript(client_, days_ago=7)
    newer = session_with_transcript(client_, days_ago=1)
    other = session_with_transcript(client_create(clinician_create("dr_other")))
    for session in (older, newer, other):
        first, second = SessionSentence.objects.filter(session=session).order_by("sequence_number")[:2]
        keywords_set(first, "week")
        keywords_set(second, "work", "mess")

    response = api.get(reverse("client-keyword-search", args=[client_.pk]), {"term": "  WORK "})

    rows = response.json()["results"]
    assert [(row["session"], row["sequence_number"]) for row in rows] == [(newer.pk, 1), (older.pk, 1)]
    empty = api.get(reverse("client-keyword-search", args=[client_.pk]), {"term": "wor"}).json()["results"]
    assert empty == []
    assert api.get(reverse("client-keyword-search", args=[client_.pk])).json()["results"] == []


def test_it_ranks_full_text_matches_and_highlights_them_safely(api, client_):
    lines = [
        ("Client", "Work & <b>again</b> and work and work."),
        ("Client", "Work was fine."),
        ("Dr Lee", "Tell me about your sleep."),
    ]
    session_with_transcript(client_, lines=lines, count=3)

    results = api.get(reverse("client-search", args=[client_.pk]), {"q": "work"}).json()["results"]

    assert [hit["sentence"]["sequence_number"] for hit in results] == [0, 1]
    assert results[0]["rank"] >= results[1]["rank"]
    snippet = results[0]["snippet"]
    # Escaped, never markup, and kept: what looks like a tag is part of what the sentence says.
    assert "<mark>Work</mark>" in snippet and "&amp;" in snippet and "again" in snippet and "<b>" not in snippet
    assert "&lt;b&gt;again&lt;/b&gt;" in snippet
    assert api.get(reverse("client-search", args=[client_.pk]), {"q": ""}).json()["results"] == []


def test_a_snippet_keeps_a_transcribers_note_in_angle_brackets(api, client_):
    """PostgreSQL's headline took "<laughs>" for a tag and left it out: the snippet read "I just don't know"."""
    session_with_transcript(client_, lines=[("Client", "I just <laughs> don't know, I always fail at it.")], count=1)

    results = api.get(reverse("client-search", args=[client_.pk]), {"q": "fail"}).json()["results"]

    assert "just &lt;laughs&gt; don&#x27;t know" in results[0]["snippet"]
    assert "<mark>fail</mark>" in results[0]["snippet"]


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "²", ""])
def test_a_page_that_is_not_a_page_number_is_a_400_naming_it(api, client_, page):
    session_create(client_)

    for url in (reverse("client-sessions", args=[client_.pk]), reverse("client-list")):
        response = api.get(url, {"page": page})
        assert response.status_code == 400, (url, response.status_code)
        assert "page" in response.json()["errors"]


def test_a_page_past_the_end_is_still_a_404_and_last_is_the_last(api, client_):
    session_create(client_)
    url = reverse("client-sessions", args=[client_.pk])

    assert api.get(url, {"page": "99999999999999999999"}).status_code == 404
    assert api.get(url, {"page": "last"}).json()["count"] == 1


def test_seed_003_lists_a_clients_sessions(api, client_):
    older = session_create(client_, days_ago=5)
    newer = session_create(client_, days_ago=1)

    response = api.get(f"/api/clients/{client_.pk}/sessions")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["sessions"]] == [newer.pk, older.pk]


def _count(api, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url, params or {}).status_code == 200
    return len(queries)


def test_reads_cost_the_same_for_more_sentences_and_sessions(api, client_, clinician):
    session = session_with_transcript(client_, count=3)
    first = SessionSentence.objects.filter(session=session).first()
    keywords_set(first, "week")
    draft_insight(session)
    urls = [
        (reverse("client-list"), None),
        (reverse("client-sessions", args=[client_.pk]), None),
        (f"/api/clients/{client_.pk}/sessions", None),
        (reverse("therapy-session-list"), None),
        (reverse("therapy-session-transcript", args=[session.pk]), None),
        (reverse("session-insight-list"), None),
        (reverse("client-keyword-search", args=[client_.pk]), {"term": "week"}),
        (reverse("client-search", args=[client_.pk]), {"q": "week work"}),
    ]
    before = [_count(api, url, params) for url, params in urls]

    from myApp.sessions.services import clinical as services

    services.transcript_save(session=session, by=clinician, segments=segments(40, start=100), mode="append")
    for sentence in SessionSentence.objects.filter(session=session):
        keywords_set(sentence, "week")
    for days in range(4):
        more = session_with_transcript(client_, count=5, days_ago=days + 2)
        draft_insight(more)
        client_create(clinician, name=f"Client {days}")
        keywords_set(SessionSentence.objects.filter(session=more).first(), "week")

    assert [_count(api, url, params) for url, params in urls] == before
    assert SessionInsight.objects.count() == 5 and TherapySession.objects.count() == 5
