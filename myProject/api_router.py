"""The one router: every app's viewsets are registered here, under /api/v1/."""

from rest_framework.routers import DefaultRouter

from myApp.accounts.api import ChildLinkViewSet

router = DefaultRouter()
router.register("child-links", ChildLinkViewSet, basename="child-link")
