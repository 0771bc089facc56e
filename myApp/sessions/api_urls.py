"""Seed 004's session and chat routes and seed 003's client sessions, at their original addresses (under /api/,
outside /api/v1/)."""

from django.urls import path, re_path

from myApp.lib.api import ID_PATH_REGEX
from myApp.sessions import api

urlpatterns = [
    path("session/check", api.SessionCheckView.as_view(), name="api-session-check"),
    path("session/create", api.SessionCreateView.as_view(), name="api-session-create"),
    path("session/end", api.SessionEndView.as_view(), name="api-session-end"),
    path("session/history", api.SessionHistoryView.as_view(), name="api-session-history"),
    path("chat", api.ChatView.as_view(), name="api-chat"),
    path("chat-with-audio", api.ChatWithAudioView.as_view(), name="api-chat-with-audio"),
    re_path(
        rf"^clients/(?P<client_id>{ID_PATH_REGEX})/sessions$",
        api.ClientSessionsView.as_view(),
        name="api-client-sessions",
    ),
]
