"""Conversations (one chat session each), their messages, and guided-module completions."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class DeviceType(models.TextChoices):
    DESKTOP = "desktop", "Desktop"
    MOBILE = "mobile", "Mobile"
    TABLET = "tablet", "Tablet"
    UNKNOWN = "unknown", "Unknown"


class WellbeingModule(models.TextChoices):
    BREATHING = "breathing_exercise", "Breathing exercise"
    EMOTION_LABELING = "emotion_labeling", "Emotion labelling"
    INNER_DOODLING = "inner_doodling", "Inner doodling"
    QUICK_ASSESSMENT = "quick_assessment", "Quick assessment"


class Conversation(models.Model):
    """One chat session (seed 004's user session, seed 000's conversation).

    ``metadata`` keeps seed 000's document: ``module_status.<module_id>`` →
    ``{recommended_at, completed_at, completion_data}``. It is only changed by
    services, under a row lock, so concurrent module completions are all kept.

    Whether it is live (seed 004's "active session") is not stored: ``myApp/sessions/expiry.py`` decides it
    from ``ended_at`` and ``last_activity_at``. ``ended_at`` is null while the conversation is *open*; a user
    has at most one open conversation.
    """

    session_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations")
    metadata = models.JSONField(default=dict, blank=True)
    current_course = models.ForeignKey(
        "curriculum.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the server saw (myApp.lib.client.client_ip: REMOTE_ADDR, or the address the trusted proxies saw).
    ip_address = models.GenericIPAddressField("IP address (observed)", null=True, blank=True)
    # Seed 004 lets a client send an ``ip_address``; it is kept apart, unverified, never used as the address.
    client_reported_ip = models.GenericIPAddressField(
        "IP address reported by the client (unverified)", null=True, blank=True
    )
    user_agent = models.CharField(max_length=512, blank=True)
    device_type = models.CharField(max_length=16, choices=DeviceType.choices, default=DeviceType.UNKNOWN)
    message_count = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "conversations"
        ordering = ["-last_activity_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(ended_at__isnull=True), name="conversations_one_open_per_user"
            ),
            models.CheckConstraint(condition=Q(device_type__in=DeviceType.values), name="conversations_device_type"),
        ]
        indexes = [
            models.Index(fields=["user", "-last_activity_at"], name="conversations_user_activity"),
            models.Index(
                fields=["last_activity_at"], condition=Q(ended_at__isnull=True), name="conversations_open_activity"
            ),
            # The staff dashboard's sessions per day (the last 7 days, or a chosen range) by start.
            models.Index(fields=["started_at"], name="conversations_started"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.session_id}"

    @property
    def module_status(self) -> dict:
        return (self.metadata or {}).get("module_status", {})


class MessageRole(models.TextChoices):
    USER = "user", "User"
    ASSISTANT = "assistant", "Assistant"
    SYSTEM = "system", "System"


class SafetyFlag(models.TextChoices):
    """Why the assistant's safety layer flagged a user's message (the values of ``assistant.triage.Risk``)."""

    NONE = "", "None"
    SELF_HARM = "self_harm", "Self-harm or suicide"
    ABUSE = "abuse", "Abuse or violence against the person"
    HARM_TO_OTHERS = "harm_to_others", "Urge to harm others"


class Message(models.Model):
    """One chat turn (seed 004's ``messages`` table)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="chat_messages",
        db_index=False,  # messages_user_time leads with it
    )
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=16, choices=MessageRole.choices)
    content = models.TextField()
    message_type = models.CharField(max_length=32, default="text")
    course = models.ForeignKey("curriculum.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    module = models.ForeignKey("curriculum.Module", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    metadata = models.JSONField(default=dict, blank=True)
    tokens_used = models.PositiveIntegerField(null=True, blank=True)
    model_used = models.CharField(max_length=120, blank=True)
    audio_url = models.URLField(blank=True)
    transcript = models.TextField(blank=True)
    # Set on a user's message that showed risk; the answer was the crisis response and no model saw it.
    safety_flag = models.CharField(max_length=16, choices=SafetyFlag.choices, default=SafetyFlag.NONE, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "messages"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=MessageRole.values), name="messages_role_valid"),
            models.CheckConstraint(condition=Q(safety_flag__in=SafetyFlag.values), name="messages_safety_flag_valid"),
            models.CheckConstraint(
                condition=Q(safety_flag="") | Q(role=MessageRole.USER), name="messages_safety_flag_on_user_message"
            ),
        ]
        indexes = [
            models.Index(fields=["conversation", "-created_at", "-id"], name="messages_conversation_recent"),
            # A user's messages in the API's order, a page at a time (without it every page sorted them all).
            models.Index(fields=["user", "created_at", "id"], name="messages_user_time"),
            # Flagged messages are few: a partial index finds them for review without indexing every message.
            models.Index(fields=["-created_at"], condition=~Q(safety_flag=""), name="messages_flagged_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.content[:40]}"


class ModuleCompletion(models.Model):
    """Append-only history of guided-module completions; ``metadata.module_status`` keeps the latest."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="module_completions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_completions")
    module_id = models.CharField(max_length=32, choices=WellbeingModule.choices)
    completion_data = models.JSONField(default=dict)
    completed_at = models.DateTimeField()

    class Meta:
        ordering = ["completed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(module_id__in=WellbeingModule.values), name="module_completion_module_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "module_id", "completed_at"], name="module_completion_user_mod"),
            # The report's history: a learner's completions newest first, a page at a time.
            models.Index(fields=["user", "-completed_at", "-id"], name="module_completion_user_recent"),
            # The staff dashboard's module use and moods per day, over everyone's completions in a range.
            models.Index(fields=["completed_at"], name="module_completion_time"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.module_id} @ {self.completed_at:%Y-%m-%d %H:%M}"
