"""The AI quest builder's conversation (seed 001's ``QuestBuilderSession``); the flow comes later."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from myApp.lib.models import TimeStampedModel


class BuilderStage(models.TextChoices):
    GREETING = "greeting", "Greeting"
    COLLECTING_INFO = "collecting_info", "Collecting info"
    CLARIFYING = "clarifying", "Clarifying"
    GENERATING = "generating", "Generating"
    REVIEWING = "reviewing", "Reviewing"
    QUEST_READY = "quest_ready", "Quest ready"


class QuestBuilderSession(TimeStampedModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quest_builder_sessions")
    conversation_history = models.JSONField(default=list, blank=True)
    current_stage = models.CharField(max_length=16, choices=BuilderStage.choices, default=BuilderStage.GREETING)
    current_graph = models.JSONField(default=dict, blank=True)
    quest_context = models.JSONField(default=dict, blank=True)
    quest = models.ForeignKey(
        "quests.Quest", on_delete=models.SET_NULL, null=True, blank=True, related_name="builder_sessions"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(current_stage__in=BuilderStage.values), name="quests_builder_stage_valid"
            ),
        ]
        indexes = [models.Index(fields=["user", "created_at"], name="quests_builder_user_time")]

    def __str__(self) -> str:
        return f"Builder session {self.pk} of {self.user} ({self.current_stage})"
