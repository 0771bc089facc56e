"""The client's network address, as far as this server can trust it.

Every place that keys on or records an address (rate limits, login lockouts,
what a chat session stores as observed) calls ``client_ip``; what a new chat
session records about its client comes from ``client_fields``, for the pages
and the API alike. ``X-Forwarded-For``
is read only when the operator says how many proxies in front of the app append
to it (``TRUSTED_PROXY_COUNT``); otherwise anyone could rotate the header and
appear to come from a new address on every request.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str | None) -> str | None:
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """``REMOTE_ADDR``, or with ``TRUSTED_PROXY_COUNT = n`` the address the outermost trusted proxy saw.

    Each trusted proxy appends the address it received the request from, so the
    client is the n-th entry from the right; entries further left were written by
    the client and are ignored.
    """
    remote = _valid(request.META.get("REMOTE_ADDR"))
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted == 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return _valid(forwarded[-min(trusted, len(forwarded))]) or remote


def client_fields(request: HttpRequest, *, user_agent: str | None = None) -> dict[str, str | None]:
    """The client as the server saw it: its address (``client_ip``) and its user agent, the one the caller
    states (an API body may) or else the request's ``User-Agent``."""
    return {
        "ip_address": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "") if user_agent is None else user_agent,
    }
