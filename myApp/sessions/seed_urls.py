"""Seed 000's guided-module routes, kept at their original root-level addresses."""

from django.urls import path

from myApp.sessions import api

urlpatterns = [
    path("conversations/<int:conversation_id>/modules", api.ConversationModulesView.as_view(), name="api-modules"),
    path(
        "conversations/<int:conversation_id>/modules/<str:module_id>/complete",
        api.ModuleCompleteView.as_view(),
        name="api-module-complete",
    ),
    path(
        "conversations/<int:conversation_id>/modules/<str:module_id>/recommend",
        api.ModuleRecommendView.as_view(),
        name="api-module-recommend",
    ),
]
