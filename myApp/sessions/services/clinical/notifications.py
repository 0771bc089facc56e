"""Clinicians' notifications of urgent insights: in the app, and by email through Django's mail backend.

Idempotent end to end:

- one notification per (insight, recipient), a database constraint; ``notify_urgent`` inserts with
  ``ignore_conflicts``, so raising or delivering the same insight again (a retried task, two workers) adds none;
- the email is sent at most once: the sender first claims the notification by setting ``email_sent_at`` where it
  is still empty (one UPDATE, a compare-and-set), and only the one claim that changed the row sends. A send that
  fails gives the claim back (only its own, by its timestamp) and raises, so a retry sends it;
- emails are enqueued as ``django.tasks`` tasks after the surrounding transaction commits, never inside it.

The email names no client and quotes no evidence: it says an urgent insight waits and links to the review page.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from myApp.sessions.clinical_selectors import is_clinician
from myApp.sessions.models import ClinicianNotification, InsightStatus, Priority, SessionInsight

logger = logging.getLogger(__name__)


def notify_urgent(insights: list[SessionInsight]) -> int:
    """Notify each urgent insight's clinician (in the app, and by email after commit); other insights are left
    alone. Returns how many notifications are waiting for their email (new ones and any not yet sent). The
    analysis task's hook ``insights_created(session, insights)`` calls this with what it created."""
    ids = [insight.pk for insight in insights if insight.intervention_priority == Priority.URGENT]
    if not ids:
        return 0
    rows = SessionInsight.objects.filter(pk__in=ids, intervention_priority=Priority.URGENT).select_related(
        "client__clinician"
    )
    recipients = {row.pk: row.client.clinician for row in rows if is_clinician(row.client.clinician)}
    for row in rows:
        if row.pk not in recipients:
            # Nobody in the app will see it: the client's clinician was deactivated or is no longer a psychologist
            # (their caseload needs handing over, in the admin). Say so where operators look.
            logger.warning(
                "urgent insight %s of client %s notifies nobody: its clinician (user %s) is not an active psychologist",
                row.pk,
                row.client_id,
                row.client.clinician_id,
            )
    if not recipients:
        return 0
    ClinicianNotification.objects.bulk_create(
        [ClinicianNotification(insight_id=pk, recipient=clinician) for pk, clinician in recipients.items()],
        ignore_conflicts=True,
    )
    waiting = list(
        ClinicianNotification.objects.filter(insight_id__in=list(recipients), email_sent_at__isnull=True)
        .exclude(recipient__email="")
        .values_list("pk", flat=True)
    )
    for pk in waiting:
        transaction.on_commit(lambda pk=pk: _enqueue_email(pk))
    return len(waiting)


def notify_handed_over(*, client) -> int:
    """After ``client`` is handed to another clinician: notify them of the client's undecided urgent insights, as
    the analysis notified the clinician before (idempotent: a second save adds nothing). Without it the new
    clinician learnt of a waiting self-harm alert only from the caseload's count."""
    return notify_urgent(
        list(
            SessionInsight.objects.filter(
                client=client, intervention_priority=Priority.URGENT, status=InsightStatus.DRAFT
            )
        )
    )


def _enqueue_email(notification_id: int) -> None:
    from myApp.sessions.tasks import send_notification_email  # tasks import services

    send_notification_email.enqueue(notification_id)


def notification_email_send(*, notification_id: int) -> bool:
    """Send ``notification_id``'s email unless it was sent (or is being sent) already; True if this call sent it."""
    notification = (
        ClinicianNotification.objects.select_related("recipient", "insight").filter(pk=notification_id).first()
    )
    if notification is None or notification.email_sent_at is not None or not notification.recipient.email:
        return False
    claimed_at = timezone.now()
    # The claim's conditions are on the row itself (no join): a filter through another table makes Django update
    # "WHERE id IN (subquery)", and PostgreSQL does not re-check a subquery when a concurrent claim commits first,
    # so two workers would both claim it.
    claimed = ClinicianNotification.objects.filter(pk=notification_id, email_sent_at__isnull=True).update(
        email_sent_at=claimed_at
    )
    if not claimed:
        return False
    try:
        send_mail(
            subject="Urgent insight to review",
            message=_email_body(notification),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient.email],
        )
    except Exception:
        # Give back this claim only (not a later one), so a retry sends it; the failure is the task's to report.
        ClinicianNotification.objects.filter(pk=notification_id, email_sent_at=claimed_at).update(email_sent_at=None)
        raise
    return True


def _email_body(notification: ClinicianNotification) -> str:
    link = settings.SITE_URL + reverse("clinic:insight_review", args=[notification.insight_id])
    return (
        f"Hello {notification.recipient.get_username()},\n\n"
        f"An urgent insight needs your review: {notification.insight.title}.\n"
        f"Read it and its evidence, signed in, at:\n{link}\n\n"
        "This email leaves out the client's name and words on purpose.\n"
    )


def notification_mark_read(*, notification: ClinicianNotification, user) -> ClinicianNotification:
    """Mark one of ``user``'s notifications read (the first time only; reading again changes nothing)."""
    ClinicianNotification.objects.filter(pk=notification.pk, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    return ClinicianNotification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
