"""Rate-limit building blocks shared by the API and the server-rendered pages (one counter for both).

Every throttle identifies an anonymous client by ``client_ip`` (REMOTE_ADDR unless
``TRUSTED_PROXY_COUNT`` says proxies append to X-Forwarded-For), never by a header
the client can rotate. The apps declare their own scopes (``accounts/throttling.py``:
logins, sign-ups, pairing; ``sessions/throttling.py``: chat turns); a page form asks
``throttled_page`` and answers with the 429 page it returns.
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


class ClientAddressThrottle(_ClientAddressMixin, throttling.SimpleRateThrottle):
    """Counts requests per client address, whoever is logged in; subclasses name the ``scope``."""

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def throttled_page(
    request: HttpRequest, *throttles: throttling.SimpleRateThrottle, back_url: str = "", back_label: str = ""
) -> HttpResponse | None:
    """The page answer to a form post one of ``throttles`` refuses (asked in order, each counting the request
    it lets through): 429 with Retry-After, the wait in words and a way back. None when all let it through."""
    refusing = next((throttle for throttle in throttles if not throttle.allow_request(request, None)), None)
    if refusing is None:
        return None
    wait = math.ceil(refusing.wait() or 60)
    context = {"wait": wait, "wait_minutes": math.ceil(wait / 60), "back_url": back_url, "back_label": back_label}
    response = render(request, "too_many_requests.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response
