"""Data-rights pages: download my data, and erase my account (with the password). Thin: the services decide."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from myApp.accounts import services
from myApp.accounts.api.data_rights import export_response
from myApp.accounts.forms import EraseAccountForm
from myApp.accounts.throttling import ExportRateThrottle, LoginRateThrottle
from myApp.lib.exceptions import ServiceError
from myApp.lib.forms import add_service_errors
from myApp.lib.throttling import throttled_page


@login_required
@require_GET
def export(request):
    """The profile page's "Download my data": the same streamed JSON as ``GET /api/v1/me/export``."""
    if refused := throttled_page(request, ExportRateThrottle(), back_url="/", back_label="Back to your home page"):
        return refused
    return export_response(request.user)


@login_required
@require_http_methods(["GET", "POST"])
def erase(request):
    form = EraseAccountForm(request.POST or None)
    if request.method == "POST":
        if refused := throttled_page(request, LoginRateThrottle(), back_url=request.path, back_label="Try again"):
            return refused
        if form.is_valid():
            try:
                services.account_erase(user=request.user, by=request.user, password=form.cleaned_data["password"])
            except ServiceError as error:
                add_service_errors(form, error)
            else:
                logout(request)
                messages.success(request, "Your account and your data were erased.")
                return redirect("accounts:login")
    return render(request, "accounts/erase.html", {"form": form}, status=400 if form.errors else 200)
