"""Accounts API: sign-up, per-device logins, the current user, and families (parents and children).

Registered in ``myProject.api_router`` (viewsets) and ``myApp.accounts.api_urls`` (views) under ``/api/v1/``.
"""

from myApp.accounts.api.devices import DeviceViewSet, LogoutEverywhereView, LogoutView, TokenView
from myApp.accounts.api.family import ChildLinkViewSet, ChildViewSet, PairingCodeViewSet
from myApp.accounts.api.users import MeView, RegisterView

__all__ = [
    "ChildLinkViewSet",
    "ChildViewSet",
    "DeviceViewSet",
    "LogoutEverywhereView",
    "LogoutView",
    "MeView",
    "PairingCodeViewSet",
    "RegisterView",
    "TokenView",
]
