"""The risk path (issue 11): from each of its three sources (a transcript's urgent insight, a linked client's flagged
chat message, a linked client's self-check answer) to exactly one notification and one email, however often it
is raised or delivered."""

from unittest import mock

import pytest
from django.core import mail

from myApp.sessions import services as chat_services
from myApp.sessions.models import ClinicianNotification, InsightSource, InsightStatus, Message, SessionInsight
from myApp.sessions.services.clinical.notifications import notification_email_send, notify_urgent
from myApp.sessions.services.clinical.risk import chat_message_screen, self_check_screen, urgent_insight_raise
from myApp.sessions.tasks import send_notification_email
from tests.clinical_helpers import client_create, clinician_create, draft_insight, session_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RISKY = "I don't see the point anymore"


@pytest.fixture
def clinician(db):
    return clinician_create("dr_risk")


@pytest.fixture
def linked(clinician):
    """A platform user who is ``clinician``'s client."""
    person = UserFactory(username="linked_client")
    client_create(clinician, name="Sam Hart", user=person)
    return person


def _module_complete(user, note: str):
    conversation = chat_services.conversation_create(user=user)
    chat_services.conversation_module_complete(
        conversation=conversation,
        user=user,
        module_id="emotion_labeling",
        completion_data={"mood": "Sad", "note": note},
    )
    return user.module_completions.get()


# --- Source (a): a transcript's urgent insight, through the analysis hook's notify_urgent ---------------------


def test_a_transcripts_urgent_insight_notifies_its_clinician_once(clinician, django_capture_on_commit_callbacks):
    session = session_create(client_create(clinician))
    urgent = draft_insight(session, insight_type="risk", title="Possible self-harm", intervention_priority="urgent")
    ordinary = draft_insight(session, title="Should statements", intervention_priority="high")

    with django_capture_on_commit_callbacks(execute=True):
        assert notify_urgent([urgent, ordinary]) == 1
    with django_capture_on_commit_callbacks(execute=True):  # the analysis task retried: the same insights again
        notify_urgent([urgent, ordinary])

    notification = ClinicianNotification.objects.get()
    assert (notification.insight, notification.recipient) == (urgent, clinician)
    assert notification.email_sent_at is not None and notification.read_at is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [clinician.email]
    assert f"/clinic/insights/{urgent.pk}/" in mail.outbox[0].body
    assert "Robin Vale" not in mail.outbox[0].body  # the email names no client


def test_urgent_insight_raise_on_a_session_is_a_draft_with_its_evidence(clinician, django_capture_on_commit_callbacks):
    session = session_create(client_create(clinician))

    with django_capture_on_commit_callbacks(execute=True):
        insight = urgent_insight_raise(
            client=session.client, session=session, evidence="#3: " + RISKY, risk="self_harm"
        )

    assert (insight.status, insight.intervention_priority, insight.source) == ("draft", "urgent", "transcript")
    assert insight.client == session.client and insight.evidence == "#3: " + RISKY
    assert ClinicianNotification.objects.filter(insight=insight, recipient=clinician).count() == 1
    assert len(mail.outbox) == 1


def test_an_insight_raised_for_another_clients_session_is_refused(clinician):
    from myApp.lib.exceptions import ServiceError

    session = session_create(client_create(clinician))
    other = client_create(clinician, name="Other")

    with pytest.raises(ServiceError):
        urgent_insight_raise(client=other, session=session, evidence=RISKY)
    assert not SessionInsight.objects.exists()


# --- Source (b): a linked client's chat message flagged by the safety layer -----------------------------------


def test_a_linked_clients_flagged_chat_message_notifies_their_clinician_once(
    clinician, linked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = chat_services.chat_send(user=linked, message=RISKY)
        chat_services.chat_send(user=linked, message="Thanks, what is a good breathing exercise?")

    insight = SessionInsight.objects.get()
    assert insight.session is None and insight.source == InsightSource.CHAT
    assert insight.source_key == f"message:{result.user_message.pk}"
    assert insight.evidence == RISKY  # the flagged message alone, nothing else of the conversation
    assert (insight.status, insight.intervention_priority) == (InsightStatus.DRAFT, "urgent")
    assert ClinicianNotification.objects.get().recipient == clinician
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):  # raised again (a retry): nothing new
        chat_message_screen(message=Message.objects.get(pk=result.user_message.pk), user_id=linked.pk)
    assert (SessionInsight.objects.count(), ClinicianNotification.objects.count(), len(mail.outbox)) == (1, 1, 1)


def test_an_unlinked_users_flagged_chat_raises_nothing(clinician, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        chat_services.chat_send(user=UserFactory(), message=RISKY)

    assert not SessionInsight.objects.exists() and not ClinicianNotification.objects.exists()
    assert mail.outbox == []


def test_a_client_of_two_clinicians_alerts_each(clinician, linked, django_capture_on_commit_callbacks):
    second = clinician_create("dr_second")
    client_create(second, name="S. Hart", user=linked)

    with django_capture_on_commit_callbacks(execute=True):
        chat_services.chat_send(user=linked, message=RISKY)

    assert sorted(ClinicianNotification.objects.values_list("recipient__username", flat=True)) == [
        "dr_risk",
        "dr_second",
    ]
    assert sorted(message.to[0] for message in mail.outbox) == [clinician.email, second.email]


# --- Source (c): a linked client's wellbeing self-check ---------------------------------------------------------


def test_a_linked_clients_self_check_answer_showing_risk_notifies_once(
    clinician, linked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        completion = _module_complete(linked, "I want to kill myself")

    insight = SessionInsight.objects.get()
    assert (insight.source, insight.source_key) == (InsightSource.SELF_CHECK, f"completion:{completion.pk}")
    assert insight.evidence == "I want to kill myself" and insight.session is None
    assert ClinicianNotification.objects.get().recipient == clinician
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        self_check_screen(completion=completion, user_id=linked.pk)
    assert (SessionInsight.objects.count(), ClinicianNotification.objects.count(), len(mail.outbox)) == (1, 1, 1)


@pytest.mark.parametrize("note", ["A calm day at the park.", "I'm not suicidal, just tired.", ""])
def test_a_self_check_without_risk_raises_nothing(linked, note, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _module_complete(linked, note)

    assert not SessionInsight.objects.exists() and mail.outbox == []


# --- Delivery: at most one email --------------------------------------------------------------------------------


def test_the_email_task_run_again_sends_nothing_more(clinician, django_capture_on_commit_callbacks):
    session = session_create(client_create(clinician))
    with django_capture_on_commit_callbacks(execute=True):
        insight = urgent_insight_raise(client=session.client, session=session, evidence=RISKY)
    notification = ClinicianNotification.objects.get(insight=insight)

    assert send_notification_email.call(notification.pk) is False
    assert notification_email_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_send_gives_its_claim_back_so_a_retry_sends(clinician, django_capture_on_commit_callbacks):
    session = session_create(client_create(clinician))
    with mock.patch("myApp.sessions.services.clinical.notifications.send_mail", side_effect=OSError("SMTP down")):
        urgent_insight_raise(client=session.client, session=session, evidence=RISKY)
        notification = ClinicianNotification.objects.get()
        with pytest.raises(OSError):  # the task's failure is the worker's to record and retry
            notification_email_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.email_sent_at is None and mail.outbox == []

    assert notification_email_send(notification_id=notification.pk) is True
    assert notification_email_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_an_inactive_clinician_is_not_notified(clinician, django_capture_on_commit_callbacks, caplog):
    session = session_create(client_create(clinician))
    type(clinician).objects.filter(pk=clinician.pk).update(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        insight = urgent_insight_raise(client=session.client, session=session, evidence=RISKY)

    assert not ClinicianNotification.objects.exists() and mail.outbox == []
    # ... and the alert that reaches nobody in the app is not silent: operators are told which one it is.
    warnings = [record for record in caplog.records if record.levelname == "WARNING"]
    assert [
        f"urgent insight {insight.pk} of client {session.client_id} notifies nobody" in record.getMessage()
        for record in warnings
    ] == [True]
