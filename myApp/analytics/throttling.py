"""The learner report's PDF: drawing one takes a second or more of CPU (WeasyPrint and its charts), so each user
has a small budget of them (``THROTTLE_REPORT_PDF_RATE``); the page and the JSON are not limited beyond the
site's usual rates."""

from django.http import HttpRequest, HttpResponse

from myApp.lib.throttling import WindowThrottle, throttled_page


class ReportPdfRateThrottle(WindowThrottle):
    scope = "report_pdf"

    def get_cache_key(self, request, view) -> str:
        return f"throttle_report_pdf_user_{request.user.pk}"


def report_pdf_throttled(request: HttpRequest, *, back_url: str) -> HttpResponse | None:
    """The 429 page (with the way back to the report) when the user asked for too many PDFs."""
    return throttled_page(request, ReportPdfRateThrottle(), back_url=back_url, back_label="Back to the report")
