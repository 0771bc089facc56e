"""Concurrent transcript writes and insight decisions on PostgreSQL: no lost or duplicated sentences."""

import pytest

from myApp.sessions.models import SessionSentence, SessionStatusChange
from myApp.sessions.services import clinical as services
from tests.clinical_helpers import client_create, clinician_create, draft_insight, segments, session_create
from tests.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_appends_each_take_their_own_sequence_numbers():
    clinician = clinician_create()
    session = session_create(client_create(clinician))

    results = race(
        *[
            lambda n=n: services.transcript_save(
                session=session, by=clinician, segments=segments(3, start=100 * n), mode="append"
            )
            for n in range(4)
        ]
    )

    saved = [result for result in results if isinstance(result, services.TranscriptSaved)]
    numbers = list(SessionSentence.objects.filter(session=session).values_list("sequence_number", flat=True))
    # Appends that arrive after a later one start too early and are refused (400), never interleaved.
    assert len(numbers) == 3 * len(saved) and sorted(numbers) == list(range(len(numbers)))
    assert SessionStatusChange.objects.filter(session=session, field="transcript_status").count() == len(saved)


def test_concurrent_replacements_leave_exactly_one_transcript():
    clinician = clinician_create()
    session = session_create(client_create(clinician))

    race(
        *[
            lambda n=n: services.transcript_save(
                session=session, by=clinician, segments=segments(2 + n), mode="replace"
            )
            for n in range(4)
        ]
    )

    numbers = sorted(SessionSentence.objects.filter(session=session).values_list("sequence_number", flat=True))
    assert numbers == list(range(len(numbers))) and 2 <= len(numbers) <= 5


def test_concurrent_decisions_leave_one_consistent_review():
    clinician = clinician_create()
    insight = draft_insight(session_create(client_create(clinician)))

    race(
        lambda: services.insight_approve(insight=insight, by=clinician),
        lambda: services.insight_reject(insight=insight, by=clinician),
    )

    insight.refresh_from_db()
    assert insight.status in ("approved", "rejected")
    assert insight.reviewed_by == clinician and insight.reviewed_at is not None
