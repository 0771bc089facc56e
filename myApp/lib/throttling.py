"""Rate limits shared by the API and the server-rendered pages (one counter for both).

Every throttle identifies an anonymous client by ``client_ip`` (REMOTE_ADDR unless
``TRUSTED_PROXY_COUNT`` says proxies append to X-Forwarded-For), never by a header
the client can rotate.
"""

import math

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework import throttling

from myApp.lib.client import client_ip


class _ClientAddressMixin:
    def get_ident(self, request) -> str:
        return client_ip(request) or "unknown"


class AnonRateThrottle(_ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_ClientAddressMixin, throttling.UserRateThrottle):
    pass


class _ClientIPThrottle(_ClientAddressMixin, throttling.SimpleRateThrottle):
    """Counts requests per client address, whoever is logged in."""

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginRateThrottle(_ClientIPThrottle):
    scope = "login"


class RegisterRateThrottle(_ClientIPThrottle):
    scope = "register"


class ChatRateThrottle(UserRateThrottle):
    """Chat turns per user (``THROTTLE_CHAT_RATE``), counted across the API and the chat page."""

    scope = "chat"


def too_many_requests(
    request: HttpRequest, throttle: throttling.SimpleRateThrottle, *, back_url: str = "", back_label: str = ""
) -> HttpResponse:
    """The page answer to a throttled form post: 429 with Retry-After."""
    wait = math.ceil(throttle.wait() or 60)
    context = {"wait": wait, "wait_minutes": math.ceil(wait / 60), "back_url": back_url, "back_label": back_label}
    response = render(request, "too_many_requests.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response
