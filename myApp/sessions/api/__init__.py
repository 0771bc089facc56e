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
from myApp.sessions.api.modules import ConversationModulesView, ModuleCompleteView, ModuleRecommendView
from myApp.sessions.api.viewsets import ConversationViewSet, MessageViewSet, ModuleCompletionViewSet

__all__ = [
    "ChatView",
    "ChatWithAudioView",
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
]
