from django.conf import settings
from django.db import models


class AnalyticsEvent(models.Model):
    """Product analytics: sign-ups, logins, milestones, chat interactions (seed 002, 2.7).

    ``event_data`` holds small facts about the action (ids, lengths, sources),
    never message text or other personal content.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="analytics_events"
    )
    event_type = models.CharField(max_length=64)
    event_data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["event_type", "-created_at"], name="analytics_event_type_time"),
            models.Index(fields=["user", "-created_at"], name="analytics_event_user_time"),
            models.Index(fields=["-created_at"], name="analytics_event_time"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} @ {self.created_at:%Y-%m-%d %H:%M}"


class TelemetryEvent(models.Model):
    """Higher-volume event stream for dashboards, indexed by name and module code."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="telemetry_events"
    )
    name = models.CharField(max_length=64)
    module_code = models.CharField(max_length=32, blank=True)
    properties = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["name", "-created_at"], name="telemetry_name_time"),
            models.Index(fields=["module_code", "-created_at"], name="telemetry_module_time"),
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.module_code or '-'}]"
