"""Seed 001's quest routes, at their original addresses (under /api/, outside /api/v1/)."""

from django.urls import path

from myApp.quests import api
from myApp.quests.api import builder

urlpatterns = [
    path("quests/marketplace", api.MarketplaceView.as_view(), name="api-quest-marketplace"),
    path("quests/marketplace/<int:pk>/library", api.MarketplaceLibraryView.as_view(), name="api-quest-library-add"),
    path("quests/marketplace/<int:pk>/rate", api.MarketplaceRateView.as_view(), name="api-quest-rate"),
    path("quests/<int:pk>/review", api.ReviewSubmitView.as_view(), name="api-quest-review"),
    path("quests/<int:pk>/review/approve", api.ReviewApproveView.as_view(), name="api-quest-review-approve"),
    path("quests/<int:pk>/review/reject", api.ReviewRejectView.as_view(), name="api-quest-review-reject"),
    path("builder/sessions", builder.BuilderSessionListView.as_view(), name="api-builder-sessions"),
    path("builder/sessions/<int:pk>", builder.BuilderSessionDetailView.as_view(), name="api-builder-session"),
    path("builder/sessions/<int:pk>/chat", builder.BuilderChatView.as_view(), name="api-builder-session-chat"),
    path("builder/sessions/<int:pk>/finish", builder.BuilderFinishView.as_view(), name="api-builder-session-finish"),
    path("users/tracks", api.UserTracksView.as_view(), name="api-user-tracks"),
]
