"""The learner report page and its PDF: ``/report/`` (your own) and ``/report/<user_id>/`` (a learner you may
see, through ``myApp.lib.access``: a consenting child's parent, a linked client's clinician, staff; each such
view recorded). The PDF is the same data through a print template."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from myApp.analytics.learner_report import learner_report
from myApp.analytics.report_charts import report_charts
from myApp.analytics.report_pdf import html_to_pdf
from myApp.analytics.throttling import report_pdf_throttled
from myApp.lib import access
from myApp.sessions.risk_selectors import CLINICIAN_OF_LINKED_CLIENT


def _context(request: HttpRequest, user_id: int | None) -> dict[str, Any]:
    seen = access.subject_visible_to(
        viewer=request.user,
        subject_id=user_id,
        what=access.LEARNER_REPORT,
        where=request.path,
        staff_operations=True,
    )
    report = learner_report(user=seen.subject)
    return {
        "subject": seen.subject,
        "is_own": seen.is_own,
        "as_staff": seen.through == access.STAFF_OPERATIONS,
        "as_clinician": seen.through == CLINICIAN_OF_LINKED_CLIENT,
        "report": report,
        "charts": report_charts(report),
    }


@never_cache
@login_required
@require_GET
def report_page(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    context = _context(request, user_id)
    with timezone.override(context["report"]["learner"]["time_zone"]):
        return render(request, "analytics/learner_report.html", context)


@never_cache
@login_required
@require_GET
def report_pdf(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    context = _context(request, user_id)
    back_url = request.path.removesuffix("report.pdf")
    if refused := report_pdf_throttled(request, back_url=back_url):
        return refused
    with timezone.override(context["report"]["learner"]["time_zone"]):
        html = render_to_string("analytics/learner_report_print.html", context, request=request)
    pdf = html_to_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    # RFC 6266 with an ASCII fallback and filename*= for any other name (a header of raw UTF-8 was unreadable)
    response["Content-Disposition"] = content_disposition_header(True, f"report-{context['subject'].username}.pdf")
    return response
