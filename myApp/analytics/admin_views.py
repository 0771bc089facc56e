"""The staff dashboard page inside the Django admin (``/admin/dashboard/``) and its CSV downloads. Thin: the
figures come from ``dashboard_range``, the charts from ``dashboard_charts``, the tables from ``dashboard_tables``.

Mounted through ``admin.site.admin_view`` (``myProject/urls.py``), so anyone who is not active staff gets the
admin's own log-in redirect; the view checks ``access.is_staff_operator`` too, so the rule stays the one concept
even if the mounting changes.
"""

from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import render
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from myApp.analytics import dashboard_charts, dashboard_range, dashboard_tables
from myApp.analytics.forms import DashboardRangeForm
from myApp.lib import access


def _csp_with_style_nonce(view):
    """pygal's charts carry one ``<style>`` element each; the page allows it by nonce, nothing else inline."""
    policy = settings.SECURE_CSP
    if not policy:
        return view
    return csp_override({**policy, "style-src": [*policy.get("style-src", [CSP.SELF]), CSP.NONCE]})(view)


def _staff_only(request: HttpRequest) -> None:
    if not access.is_staff_operator(request.user):
        raise Http404


@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    form = DashboardRangeForm(request.GET or None)
    days = form.day_range() if form.is_bound else dashboard_range.default_range()
    figures = dashboard_range.range_figures(days)
    charts = dashboard_charts.charts(figures, str(get_nonce(request)))
    sections = [(table, charts[table.name]) for table in dashboard_tables.tables(figures)]
    context = {
        **admin.site.each_context(request),
        "title": "Dashboard",
        "form": form if form.is_bound else DashboardRangeForm(initial={"first": days.first, "last": days.last}),
        "days": days,
        "time_zone": settings.TIME_ZONE,
        "sections": sections,
    }
    return render(request, "admin/analytics/dashboard.html", context)


dashboard_page = _csp_with_style_nonce(dashboard_page)


@require_GET
def dashboard_csv(request: HttpRequest, name: str) -> HttpResponse:
    _staff_only(request)
    if name not in dashboard_range.TABLES:
        raise Http404
    form = DashboardRangeForm(request.GET)
    if not form.is_valid():
        messages = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
        return HttpResponse(messages, status=400, content_type="text/plain; charset=utf-8")
    days = dashboard_range.DayRange(form.cleaned_data["first"], form.cleaned_data["last"])
    (table,) = dashboard_tables.tables(dashboard_range.range_figures(days, [name]))
    response = HttpResponse(dashboard_tables.to_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{name}-{days.first}-{days.last}.csv"'
    return response
