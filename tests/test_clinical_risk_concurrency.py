"""The risk path under real threads on PostgreSQL: two workers delivering the same notification send one email,
and the same message raised at once makes one alert and one notification."""

import pytest
from django.core import mail

from myApp.sessions.models import ClinicianNotification, InsightSource, SessionInsight
from myApp.sessions.services.clinical.notifications import notification_email_send, notify_urgent
from myApp.sessions.services.clinical.risk import urgent_insight_raise
from tests.clinical_helpers import client_create, clinician_create, draft_insight, session_create
from tests.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_deliveries_send_one_email():
    clinician = clinician_create()
    insight = draft_insight(
        session_create(client_create(clinician)), insight_type="risk", intervention_priority="urgent"
    )
    ClinicianNotification.objects.create(insight=insight, recipient=clinician)  # its email not yet sent
    notification = ClinicianNotification.objects.get()
    mail.outbox = []

    results = race(*[lambda: notification_email_send(notification_id=notification.pk) for _ in range(6)])

    assert sorted(results) == [False] * 5 + [True]
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_sent_at is not None


def test_concurrent_notify_makes_one_notification_and_one_email():
    clinician = clinician_create()
    insight = draft_insight(
        session_create(client_create(clinician)), insight_type="risk", intervention_priority="urgent"
    )
    mail.outbox = []

    race(*[lambda: notify_urgent([insight]) for _ in range(6)])  # autocommit: each enqueues on commit, at once

    assert ClinicianNotification.objects.filter(insight=insight).count() == 1
    assert len(mail.outbox) == 1


def test_the_same_message_raised_at_once_makes_one_alert():
    clinician = clinician_create()
    client = client_create(clinician)
    mail.outbox = []

    insights = race(
        *[
            lambda: urgent_insight_raise(
                client=client, evidence="I want to die", source=InsightSource.CHAT, source_key="message:41"
            )
            for _ in range(6)
        ]
    )

    assert len({insight.pk for insight in insights}) == 1
    assert SessionInsight.objects.count() == 1 and ClinicianNotification.objects.count() == 1
    assert len(mail.outbox) == 1
