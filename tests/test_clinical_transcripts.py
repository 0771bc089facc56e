"""Transcript save: segments become ordered sentences, validated, replaced or appended by choice, with every
status change recorded; WebVTT, SRT and JSON files with speaker labels."""

import pytest
from django.db import IntegrityError, transaction

from myApp.lib.exceptions import NotAllowed, ServiceError
from myApp.sessions import transcripts
from myApp.sessions.models import InsightStatus, SessionInsight, SessionSentence, SessionStatusChange
from myApp.sessions.services import clinical as services
from tests.clinical_helpers import (
    client_create,
    clinician_create,
    cpu_of_this_code,
    draft_insight,
    segments,
    session_create,
    session_with_transcript,
)


@pytest.fixture
def clinician(db):
    return clinician_create()


@pytest.fixture
def session(clinician):
    return session_create(client_create(clinician))


def _errors(call) -> dict:
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value.errors


def test_it_stores_segments_as_sentences_in_order(session, clinician):
    saved = services.transcript_save(session=session, by=clinician, segments=segments(3), mode="replace")

    rows = list(SessionSentence.objects.filter(session=session).order_by("sequence_number"))
    assert (saved.added, saved.total) == (3, 3)
    assert [(row.sequence_number, row.start_ms, row.end_ms) for row in rows] == [
        (0, 0, 3500),
        (1, 4000, 7500),
        (2, 8000, 11500),
    ]
    assert rows[0].speaker == "Dr Lee" and rows[0].confidence == 0.9
    session.refresh_from_db()
    assert session.transcript_status == "completed"


def test_it_appends_after_the_last_sentence_and_continues_the_numbering(session, clinician):
    services.transcript_save(session=session, by=clinician, segments=segments(2), mode="replace")

    saved = services.transcript_save(session=session, by=clinician, segments=segments(2, start=8), mode="append")

    assert (saved.added, saved.total) == (2, 4)
    numbers = list(SessionSentence.objects.filter(session=session).values_list("sequence_number", "start_ms"))
    assert sorted(numbers) == [(0, 0), (1, 4000), (2, 8000), (3, 12000)]


def test_it_refuses_an_append_that_starts_before_the_transcript_ends(session, clinician):
    services.transcript_save(session=session, by=clinician, segments=segments(3), mode="replace")

    errors = _errors(
        lambda: services.transcript_save(session=session, by=clinician, segments=segments(1), mode="append")
    )

    assert "segments.0.start" in errors
    assert SessionSentence.objects.filter(session=session).count() == 3


def test_an_append_before_the_transcript_ends_names_the_transcript_for_every_segment(session, clinician):
    """Each appended segment that starts before the transcript's last sentence is told so: segments 1 and 2
    were told they started before "the previous segment", which they did not (they follow segment 0)."""
    services.transcript_save(session=session, by=clinician, segments=segments(5, start=100), mode="replace")

    errors = _errors(
        lambda: services.transcript_save(session=session, by=clinician, segments=segments(3), mode="append")
    )

    assert list(errors) == ["segments.0.start", "segments.1.start", "segments.2.start"]
    for messages in errors.values():
        # ... and when it starts (segment 4 of the first save: 100 s + 4 x 4 s), as the page shows sentences' times
        assert messages == [
            "Must not be before the transcript's last sentence, which starts at 01:56 (segments in order)."
        ]
    bad = segments(3, start=200)
    bad[2]["start"], bad[2]["end"] = 201, 202  # after the transcript, but before segment 1
    assert _errors(lambda: services.transcript_save(session=session, by=clinician, segments=bad, mode="append")) == {
        "segments.2.start": ["Must not be before the previous segment (segments in order)."]
    }


def test_it_refuses_to_append_the_transcripts_last_sentence_again(session, clinician):
    """Sending the last cue again (a resend of a one-cue append) stored it twice: it starts at the last sentence's
    start, which an append may. Another sentence at that moment (someone else speaking) is still added."""
    services.transcript_save(session=session, by=clinician, segments=segments(2), mode="replace")
    last = segments(2)[1]

    errors = _errors(lambda: services.transcript_save(session=session, by=clinician, segments=[last], mode="append"))

    assert errors == {"segments.0": ["Already in the transcript (at 00:04): appending it again would store it twice."]}
    assert SessionSentence.objects.filter(session=session).count() == 2
    overlapping = [{**last, "speaker": "Client", "text": "At the same moment."}, {**last, "text": "Said again."}]
    saved = services.transcript_save(session=session, by=clinician, segments=overlapping, mode="append")
    assert (saved.added, saved.total) == (2, 4)


def test_it_replaces_the_sentences_and_drops_only_draft_insights(session, clinician):
    services.transcript_save(session=session, by=clinician, segments=segments(4), mode="replace")
    draft = draft_insight(session)
    kept = draft_insight(session, title="Approved one")
    services.insight_approve(insight=kept, by=clinician)

    services.transcript_save(session=session, by=clinician, segments=segments(2), mode="replace")

    assert SessionSentence.objects.filter(session=session).count() == 2
    assert not SessionInsight.objects.filter(pk=draft.pk).exists()
    assert SessionInsight.objects.get(pk=kept.pk).status == InsightStatus.APPROVED


def test_it_records_every_status_change_and_makes_a_finished_analysis_due_again(session, clinician):
    services.transcript_save(session=session, by=clinician, segments=segments(1), mode="replace")
    type(session).objects.filter(pk=session.pk).update(analysis_status="completed")

    services.transcript_save(session=session, by=clinician, segments=segments(1, start=10), mode="append")

    changes = list(SessionStatusChange.objects.filter(session=session).values_list("field", "from_status", "to_status"))
    assert changes == [
        ("transcript_status", "pending", "completed"),
        ("transcript_status", "completed", "completed"),
        ("analysis_status", "completed", "pending"),
    ]
    session.refresh_from_db()
    assert session.analysis_status == "pending"


@pytest.mark.parametrize(
    ("segment", "field"),
    [
        ({"start": 5, "end": 4, "text": "x"}, "segments.0.end"),
        ({"start": -1, "end": 4, "text": "x"}, "segments.0.start"),
        ({"start": "1", "end": 4, "text": "x"}, "segments.0.start"),
        ({"start": 1, "end": float("inf"), "text": "x"}, "segments.0.end"),
        ({"start": 10**400, "end": 1, "text": "x"}, "segments.0.start"),
        ({"start": 1, "end": float("nan"), "text": "x"}, "segments.0.end"),
        ({"start": 1, "end": 2, "text": "   "}, "segments.0.text"),
        ({"start": 1, "end": 2, "text": "x" * 5001}, "segments.0.text"),
        ({"start": 1, "end": 2, "text": "nul\x00here"}, "segments.0.text"),
        ({"start": 1, "end": 2, "text": "bell\x07"}, "segments.0.text"),
        # Bidirectional overrides and isolates ("Trojan Source"): a page shows "abc\u202edef fail" as "abc liaf fed".
        ({"start": 1, "end": 2, "text": "abc\u202edef fail"}, "segments.0.text"),
        ({"start": 1, "end": 2, "text": "x", "speaker": "Dr Lee\u2067"}, "segments.0.speaker"),
        ({"start": 1, "end": 2, "text": "x", "speaker": "s" * 65}, "segments.0.speaker"),
        ({"start": 1, "end": 2, "text": "x", "confidence": 1.5}, "segments.0.confidence"),
        ({"start": 1, "end": 2, "text": "x", "colour": "red"}, "segments.0.colour"),
        ("not an object", "segments.0"),
    ],
)
def test_it_names_the_field_of_a_bad_segment(session, clinician, segment, field):
    errors = _errors(
        lambda: services.transcript_save(session=session, by=clinician, segments=[segment], mode="replace")
    )

    assert field in errors
    assert not SessionSentence.objects.filter(session=session).exists()


def test_a_segment_with_many_unknown_fields_answers_a_bounded_list_of_errors():
    """100,000 unknown keys answered 100,000 messages (a 2 MB body, an 8 MB answer)."""
    segment = {"start": 0, "end": 1, "text": "x", **{f"k{number:06d}": 1 for number in range(100_000)}}

    with pytest.raises(transcripts.TranscriptError) as caught:
        transcripts.validate_segments([segment])

    errors = caught.value.errors
    assert len(errors) == transcripts.MAX_UNKNOWN_REPORTED + 1
    assert errors["segments.0.k000000"] == ["Unknown field."]
    assert errors["segments.0"] == ["100000 unknown fields (the first 10 are named)."]


def test_validating_many_bad_segments_takes_time_in_proportion_to_them():
    """Each segment used to look through every error found so far to know whether it was valid: 5,000 bad segments
    (a 340 KB body) took 4 s of CPU on the development machine, and one segment with 20,000 unknown fields before
    4,999 good ones 5 s. Now each segment counts its own errors."""
    bad = [{"start": "a", "end": "b", "text": 1, "speaker": 2, "confidence": "c", "z": 0}] * transcripts.MAX_SEGMENTS
    with cpu_of_this_code() as elapsed, pytest.raises(transcripts.TranscriptError) as caught:
        transcripts.validate_segments(bad)

    assert len(caught.value.errors) == 6 * transcripts.MAX_SEGMENTS
    assert elapsed() < 1.0, elapsed()  # 0.02-0.09 s measured on the development machine


def test_it_refuses_segments_out_of_order(session, clinician):
    bad = segments(3)
    bad[2]["start"], bad[2]["end"] = 1, 2

    errors = _errors(lambda: services.transcript_save(session=session, by=clinician, segments=bad, mode="replace"))

    assert list(errors) == ["segments.2.start"]


def test_it_bounds_the_number_of_sentences(session, clinician, monkeypatch):
    monkeypatch.setattr(transcripts, "MAX_SEGMENTS", 3)
    services.transcript_save(session=session, by=clinician, segments=segments(2), mode="replace")

    errors = _errors(
        lambda: services.transcript_save(session=session, by=clinician, segments=segments(2, start=20), mode="append")
    )

    assert "segments" in errors


@pytest.mark.parametrize("mode", ["", "merge", None])
def test_it_requires_an_explicit_mode(session, clinician, mode):
    errors = _errors(lambda: services.transcript_save(session=session, by=clinician, segments=segments(1), mode=mode))

    assert "mode" in errors


def test_it_lets_only_the_clients_clinician_save(session):
    with pytest.raises(NotAllowed):
        services.transcript_save(session=session, by=clinician_create("other"), segments=segments(1), mode="replace")


def test_the_database_refuses_a_sentence_that_ends_before_it_starts(session):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionSentence.objects.create(session=session, start_ms=10, end_ms=5, sequence_number=0, text="x")


def test_the_database_refuses_two_sentences_in_one_place(session, clinician):
    services.transcript_save(session=session, by=clinician, segments=segments(1), mode="replace")

    with pytest.raises(IntegrityError), transaction.atomic():
        SessionSentence.objects.create(session=session, start_ms=10, end_ms=15, sequence_number=0, text="x")


def test_it_saves_any_transcript_size_in_a_constant_number_of_queries(clinician, django_assert_num_queries):
    client = client_create(clinician)
    small, large = session_create(client), session_create(client)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        services.transcript_save(session=small, by=clinician, segments=segments(3), mode="replace")
    with django_assert_num_queries(len(few)):
        services.transcript_save(session=large, by=clinician, segments=segments(80), mode="replace")
    assert SessionSentence.objects.filter(session=large).count() == 80


def test_session_with_transcript_helper_keeps_order(clinician):
    session = session_with_transcript(client_create(clinician), count=7)

    assert list(SessionSentence.objects.filter(session=session).values_list("sequence_number", flat=True)) == list(
        range(7)
    )
