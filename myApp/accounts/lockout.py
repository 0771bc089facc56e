"""What a login refused by the lockout gets back, on every login path.

django-axes counts failed logins per username + client address in the database
(settings: ``LOGIN_FAILURE_LIMIT``, ``LOGIN_LOCKOUT_MINUTES``). Its middleware calls
``lockout_response`` for the login page and ``/admin/login/``; the API's token view
raises ``LoginLockedOut`` through the project's one error handler. Both answer 429 with
``Retry-After``: the time left. The pause is fixed from the failure that caused it
(``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT`` off): trying again early, even with the
right password, is refused but does not make the wait longer.
"""

import math
from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from rest_framework import exceptions, status

from myApp.lib.client import client_ip
from myApp.lib.errors import error_response, is_api_request

LOCKED_OUT_DETAIL = "Too many failed logins for this account from your address. Try again in {minutes} minutes."


def lockout_seconds(request: HttpRequest, username: str | None) -> int:
    """Seconds until this username may log in from this address again."""
    cool_off = get_cool_off(request) or timedelta(minutes=1)
    started = AccessAttempt.objects.filter(username=username, ip_address=client_ip(request)).aggregate(
        latest=Max("attempt_time")
    )["latest"]
    left = (started + cool_off - timezone.now()) if started else cool_off
    return max(1, math.ceil(left.total_seconds()))


def _detail(wait: int) -> str:
    return LOCKED_OUT_DETAIL.format(minutes=math.ceil(wait / 60))


def is_locked_out(request) -> bool:
    """True when axes refused (or just locked) the login this request attempted."""
    return bool(getattr(request, "axes_locked_out", False))


class LoginLockedOut(exceptions.APIException):
    """429 with ``Retry-After`` (DRF's handler sets it from ``wait``), in the project's error shape."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self, wait: int):
        self.wait = wait
        super().__init__(_detail(wait))


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: JSON for API paths, otherwise the project's 429 page."""
    wait = lockout_seconds(request, (credentials or {}).get("username") or request.POST.get("username"))
    if is_api_request(request):
        response = error_response(status.HTTP_429_TOO_MANY_REQUESTS, _detail(wait))
    else:
        context = {"wait": wait, "minutes": math.ceil(wait / 60)}
        response = render(request, "accounts/locked_out.html", context, status=status.HTTP_429_TOO_MANY_REQUESTS)
    response["Retry-After"] = str(wait)
    return response
