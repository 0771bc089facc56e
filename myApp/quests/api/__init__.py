"""Seed 001's quest routes (under /api/, outside /api/v1/): the marketplace, reviews and tracks. The /api/v1/
viewsets: ``api.v1``; daily quests and streaks: ``api.daily``."""

from myApp.quests.api.marketplace import MarketplaceLibraryView, MarketplaceRateView, MarketplaceView
from myApp.quests.api.reviews import ReviewApproveView, ReviewRejectView, ReviewSubmitView
from myApp.quests.api.tracks import UserTracksView

__all__ = [
    "MarketplaceLibraryView",
    "MarketplaceRateView",
    "MarketplaceView",
    "ReviewApproveView",
    "ReviewRejectView",
    "ReviewSubmitView",
    "UserTracksView",
]
