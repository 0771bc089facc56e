"""A clinician's in-app notification of an urgent insight, and whether its email went out.

One per (insight, recipient), as a database constraint: raising the same alert twice, or two workers delivering
it at once, cannot make a second one. ``email_sent_at`` is claimed with a compare-and-set before the email is
sent (``services.clinical.notifications``), so the email goes out at most once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from myApp.sessions.models.clinical import SessionInsight


class ClinicianNotification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician_notifications"
    )
    insight = models.ForeignKey(SessionInsight, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["insight", "recipient"], name="clinical_notification_once"),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="clinical_notification_unread",
            ),
            models.Index(fields=["recipient", "-created_at"], name="clinical_notification_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.insight_id} ({'read' if self.read_at else 'unread'})"
