"""Attack review of the negotiation track, the quest builder's change requests, the admin's time-zone change and
issue 11's creation keys, notifications and decisions (2026-11-24, second round). A test that is a finding failed
before its fix, or is a strict xfail naming the fix."""

import pytest

from myApp.quests import services as quest_services
from myApp.quests.builder import context as ctx
from myApp.sessions import risk_selectors
from myApp.sessions.models import Client
from myApp.sessions.services.clinical.notifications import notify_handed_over
from tests.clinical_helpers import client_create, clinician_create, session_create, urgent_notification
from tests.quest_builder_helpers import QUESTION_ANSWERS, builder_answer_all


@pytest.fixture
def clinician(db):
    return clinician_create("dr_attack")


@pytest.fixture
def session(author):
    return quest_services.builder_session_create(user=author)


# --- Notifications: an alert waits only for the clinician who can decide it ------------------------------------


def test_a_handed_over_clients_alert_no_longer_waits_for_the_clinician_who_gave_it_up(clinician):
    """``WAITING`` was 'unread and the insight undecided': after the client was handed over, the first
    clinician's alert kept waiting (their badge and home count '1', listed first as unread) though the insight
    can only be decided by the new clinician, who has their own notification. It now also needs the insight's
    client to be on the recipient's caseload."""
    notification = urgent_notification(session_create(client_create(clinician)))
    assert risk_selectors.unread_count(user=clinician) == 1

    successor = clinician_create("dr_next")
    Client.objects.filter(pk=notification.insight.client_id).update(clinician=successor)
    notify_handed_over(client=Client.objects.get(pk=notification.insight.client_id))

    assert risk_selectors.unread_count(user=clinician) == 0
    assert [n.waiting for n in risk_selectors.notifications_of(user=clinician)] == [False]
    assert risk_selectors.unread_count(user=successor) == 1


# --- Quest builder: answers that open like a change request -----------------------------------------------------


@pytest.mark.parametrize("answer", ["Change her fears about school", "Fix his temper", "Change the way she worries"])
def test_an_aim_that_opens_with_change_is_an_answer(session, author, answer):
    session = builder_answer_all(session, author, QUESTION_ANSWERS[:3])  # the aim is asked next
    session, turn = quest_services.builder_chat(session=session, by=author, message=answer)
    assert "psychological_module" in session.quest_context, turn.answer


def test_a_place_that_mentions_the_age_of_dinosaurs_keeps_the_childs_age(session, author):
    session = builder_answer_all(session, author, QUESTION_ANSWERS[:4])  # the place is asked next
    session, turn = quest_services.builder_chat(
        session=session, by=author, message="Go back in time to the age of dinosaurs"
    )
    assert session.quest_context["child_age"] == 8, turn.answer
    assert session.quest_context.get("location") == "Go back in time to the age of dinosaurs"


def test_a_builder_message_of_a_megabyte_is_refused_before_any_pattern_reads_it(session, author, monkeypatch):
    """The builder's patterns only ever read a message the chat service accepted (``MAX_MESSAGE_LENGTH``): a
    megabyte is refused with a field message, and no pattern is run on it (counted, not timed: a CPU bound on this
    test failed in CI when other threads ran)."""
    from myApp.lib.exceptions import ServiceError
    from myApp.sessions.services.conversations import MAX_MESSAGE_LENGTH

    read = []
    monkeypatch.setattr(ctx, "plain", lambda message: read.append(len(message)) or message)
    with pytest.raises(ServiceError) as refused:
        quest_services.builder_chat(session=session, by=author, message="no " * 300_000 + "x")
    assert "message" in refused.value.errors and read == []

    # At the longest message allowed, the worst shapes for the patterns finish (pytest-timeout bounds the run).
    for unit in ("no ", "!", "hang on ", "wait "):
        message = (unit * MAX_MESSAGE_LENGTH)[:MAX_MESSAGE_LENGTH]
        ctx.asks_to_change(message)
        ctx.problem_with("interests", message)
    assert max(read) == MAX_MESSAGE_LENGTH


# --- Transcripts: the append repeat check ---------------------------------------------------------------------


def test_the_repeat_check_of_an_append_is_not_quadratic(monkeypatch):
    """``validate_segments`` compared every segment sent with every stored sentence at the last start: 2,500 of
    each (the most the 5,000-sentence room allows) took 1.1 s of CPU under the session's row lock. A set now: each
    sentence's key is made once (counted, not timed: a CPU bound failed in CI when other threads ran)."""
    from myApp.sessions import transcripts

    made = []
    key = transcripts._sentence_key
    monkeypatch.setattr(transcripts, "_sentence_key", lambda segment: made.append(1) or key(segment))
    count = transcripts.MAX_SEGMENTS // 2
    stored = [transcripts.Segment(1000, 1000, f"stored {n}", "Client", None) for n in range(count)]
    sent = [{"start": 1.0, "end": 1.0, "text": f"sent {n}", "speaker": "Client"} for n in range(count)]
    valid = transcripts.validate_segments(sent, after_ms=1000, room=count, stored_at_start=stored)
    assert len(valid) == count and len(made) == 2 * count
    with pytest.raises(transcripts.TranscriptError):
        transcripts.validate_segments(
            [{"start": 1.0, "end": 1.0, "text": "stored 7", "speaker": "Client"}], after_ms=1000, stored_at_start=stored
        )


@pytest.mark.parametrize("answer", ["Liberty Island", "Property Brothers", "Liberty"])
def test_a_word_with_four_keyboard_keys_inside_it_is_an_answer(session, author, answer):
    """Four keys along a keyboard row anywhere in a word made it a mash: 'Liberty' ('erty' on the top row) and
    'Property Brothers' were asked again as 'That does not look like an answer'. The run must open the word."""
    session = builder_answer_all(session, author, QUESTION_ANSWERS[:4])  # the place is asked next
    session, turn = quest_services.builder_chat(session=session, by=author, message=answer)
    assert session.quest_context.get("location") == answer, turn.answer
