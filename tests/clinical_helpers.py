"""Clinical records built through the real services, as a clinician (a psychologist) would."""

import datetime
import gc
import time
from contextlib import contextmanager

from django.utils import timezone

from myApp.accounts.models import Role
from myApp.sessions.models import SessionSentence
from myApp.sessions.services import clinical as services
from tests.factories import UserFactory

LINES = [
    ("Dr Lee", "How has the week been since we last met?"),
    ("Client", "Honestly I always mess everything up at work."),
    ("Dr Lee", "What happened at work that made you feel that way?"),
    ("Client", "My manager frowned and I knew she thought I was useless."),
    ("Dr Lee", "Let's look at the evidence for that thought together."),
]


def clinician_create(username: str = "clinician"):
    return UserFactory(username=username, role=Role.PSYCHOLOGIST)


def client_create(clinician, *, name: str = "Robin Vale", user=None, **fields):
    return services.client_create(clinician=clinician, display_name=name, user=user, **fields)


def session_create(client, *, days_ago: int = 0, **fields):
    date = timezone.now() - datetime.timedelta(days=days_ago)
    return services.therapy_session_create(client=client, by=client.clinician, date=date, **fields)


def segments(count: int = len(LINES), *, start: float = 0.0, lines=LINES) -> list[dict]:
    """``count`` ordered segments of 4 seconds each, cycling through ``lines``."""
    return [
        {
            "start": start + 4 * index,
            "end": start + 4 * index + 3.5,
            "speaker": lines[index % len(lines)][0],
            "text": lines[index % len(lines)][1],
            "confidence": 0.9,
        }
        for index in range(count)
    ]


def session_with_transcript(client, *, count: int = len(LINES), days_ago: int = 0, lines=LINES):
    session = session_create(client, days_ago=days_ago)
    services.transcript_save(
        session=session, by=client.clinician, segments=segments(count, lines=lines), mode="replace"
    )
    return session


def keywords_set(sentence: SessionSentence, *terms: str) -> None:
    """What the analysis writes (its document shape): ``{"term": [...], "score": {...}}``."""
    SessionSentence.objects.filter(pk=sentence.pk).update(
        keywords={"term": list(terms), "score": dict.fromkeys(terms, 0.1)}
    )


def draft_insight(session, **fields):
    values = {
        "insight_type": "cognitive_distortion",
        "confidence": 0.7,
        "title": "All-or-nothing thinking",
        "description": "Absolute words about work performance.",
        "therapeutic_method": "CBT",
    }
    values.update(fields)
    return services.insight_create(session=session, **values)


def urgent_notification(session, *, text: str = "I want to end my life."):
    """An urgent risk insight on ``session`` raised through the risk service, and its clinician's notification."""
    from myApp.sessions.models import ClinicianNotification
    from myApp.sessions.services.clinical.risk import urgent_insight_raise

    insight = urgent_insight_raise(client=session.client, session=session, evidence=text, risk="self_harm")
    return ClinicianNotification.objects.get(insight=insight)


@contextmanager
def cpu_of_this_code():
    """``with cpu_of_this_code() as elapsed:`` then ``elapsed()``: the CPU seconds the block spent, on this thread
    with the garbage collector paused. A full collection of the test process's heap (large after thousands of
    tests) and the live servers and task workers on other threads are not the code's cost; a timing bound that
    counted them failed in CI at 1.008 s for code that takes 0.02-0.09 s."""
    was_enabled = gc.isenabled()
    gc.disable()
    started, spent = time.thread_time(), []
    try:
        yield lambda: spent[0] if spent else time.thread_time() - started
    finally:
        spent.append(time.thread_time() - started)
        if was_enabled:
            gc.enable()
