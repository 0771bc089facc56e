"""Chat API: seed 000's module routes, seed 004's session and chat routes, /api/v1/ viewsets.

Viewsets are registered in ``myProject.api_router``; the seeds' routes keep their
addresses in ``myApp.sessions.api_urls`` (under /api/) and
``myApp.sessions.seed_urls`` (root level).
"""

from myApp.sessions.api.chat import (
    ChatView,
    ChatWithAudioView,
    SessionCheckView,
    SessionCreateView,
    SessionEndView,
    SessionHistoryView,
)
from myApp.sessions.api.clinical import ClientSessionsView, ClientViewSet, TherapySessionViewSet
from myApp.sessions.api.clinical_insights import SessionInsightViewSet
from myApp.sessions.api.clinical_notifications import ClinicianNotificationViewSet
from myApp.sessions.api.conversations import ConversationViewSet, MessageViewSet, ModuleCompletionViewSet
from myApp.sessions.api.modules import ConversationModulesView, ModuleCompleteView, ModuleRecommendView

__all__ = [
    "ChatView",
    "ChatWithAudioView",
    "ClientSessionsView",
    "ClientViewSet",
    "ClinicianNotificationViewSet",
    "ConversationModulesView",
    "ConversationViewSet",
    "MessageViewSet",
    "ModuleCompleteView",
    "ModuleCompletionViewSet",
    "ModuleRecommendView",
    "SessionCheckView",
    "SessionCreateView",
    "SessionEndView",
    "SessionHistoryView",
    "SessionInsightViewSet",
    "TherapySessionViewSet",
]
