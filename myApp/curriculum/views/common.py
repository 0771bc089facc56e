"""What every curriculum page shares: how a refused action is shown, and safe redirects back."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from myApp.lib.exceptions import ServiceError


def refuse(request: HttpRequest, error: ServiceError, *, back_url: str, back_label: str) -> HttpResponse:
    """A service said no (locked, already done, not enough tickets): say why, with the error's
    status (409 for a conflict), and offer the way back. Every page answers refusals this way."""
    messages.error(request, error.detail)
    context = {"error": error, "back_url": back_url, "back_label": back_label}
    return render(request, "curriculum/refused.html", context, status=error.status_code)


def redirect_back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Return to the ``next`` page the form named when it is ours, else to ``fallback``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)
