"""Errors outside the views' own handling, in the project's error shape for API clients.

DRF renders the errors its views raise (``exceptions.api_exception_handler``).
Everything else under the API prefixes — an unknown path, a method Django
itself refuses, a crash, a database outage — would otherwise be one of Django's
HTML pages. ``ApiErrorMiddleware`` and the ``handler403``/``handler404``/``handler500`` views
make every such answer ``{"detail": ..., "errors": {}}`` JSON, in debug and in
production mode, and turn a database outage into 503 with ``Retry-After``.
Pages keep Django's HTML error pages.
"""

import logging
import sys
from http import HTTPStatus

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.http import parse_header_parameters
from django.views import defaults

logger = logging.getLogger("django.request")

# The seed routes (seed 000's /conversations/..., seed 004's /api/...) and /api/v1/.
API_PREFIXES = ("/api/", "/conversations/")
OUTAGE_RETRY_AFTER_SECONDS = 30
UTF8_NAMES = {"utf-8", "utf8", "us-ascii", "ascii"}
# Headers of the original answer that still hold for its JSON form.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIXES)


def error_response(status: int, detail: str, *, errors: dict | None = None) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": errors or {}}, status=status)


def outage_response() -> JsonResponse:
    response = error_response(503, "The service is temporarily unavailable. Try again shortly.")
    response["Retry-After"] = str(OUTAGE_RETRY_AFTER_SECONDS)
    return response


def _is_outage(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError | InterfaceError)


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() == "application/json"


class ApiErrorMiddleware:
    """Outermost middleware: an API answer that is an error but not JSON becomes the JSON error shape
    (same status, same Allow/Retry-After headers); a database outage in a view becomes 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not is_api_request(request) or _is_json(response):
            return response
        if getattr(response, "streaming", False):
            return response
        status = response.status_code
        replacement = error_response(status, _detail(status))
        for header in KEPT_HEADERS:
            if header in response:
                replacement[header] = response[header]
        return replacement

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not (is_api_request(request) and _is_outage(exception)):
            return None  # Django's own handling: logged, then handler500
        logger.error("Database unavailable: %s", request.path, exc_info=exception)
        return outage_response()


class RequestGuardMiddleware:
    """What no request here may carry, refused at the door before anything reads it:

    - NUL in the path or the query string: never meaningful, and PostgreSQL refuses it in any text it is
      compared with (a 500 in, say, an admin list filter);
    - a body in a charset other than UTF-8: Django and JSON (RFC 8259) read UTF-8, and decoding with a
      declared ``rot13`` or ``latin-1`` failed as a 500 on forms and API bodies alike;
    - a body larger than ``MAX_REQUEST_BYTES`` (the largest legitimate one is a 10 MB recording): 413
      before it is received, instead of after 100 MB were streamed to disk.

    400 and 413 answers are JSON in the error shape for the API and a plain page elsewhere.
    """

    NUL_MESSAGE = "NUL (\\u0000) characters are not allowed in the address."
    CHARSET_MESSAGE = "Send the body as UTF-8; the request declared charset {charset!r}."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "%00" in query or "\x00" in query:
            return _refusal(request, 400, self.NUL_MESSAGE)
        _, params = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
        charset = params.get("charset", "utf-8")
        if charset.lower().replace("_", "-") not in UTF8_NAMES:
            return _refusal(request, 400, self.CHARSET_MESSAGE.format(charset=charset))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            limit = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            return _refusal(request, 413, f"Request body too large (at most {limit} MB).")
        return self.get_response(request)


def _refusal(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if is_api_request(request):
        return error_response(status, message)
    title = "Request too large" if status == 413 else "Bad request"
    return HttpResponse(f"<h1>{title}</h1><p>{escape(message)}</p>", status=status, content_type="text/html")


def _detail(status: int) -> str:
    if status == 404:
        return "Not found."
    if status == 500:
        return "A server error occurred. It has been logged."
    try:
        return f"{HTTPStatus(status).phrase}."
    except ValueError:
        return "The request could not be completed."


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return error_response(404, _detail(404))
    return defaults.page_not_found(request, exception)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler403``: a page the viewer's account may not use, in the site's layout with the reason and
    a way back (``templates/403.html``); the API keeps its JSON shape."""
    if is_api_request(request):
        return error_response(403, _detail(403))
    reason = str(exception) if exception is not None and exception.args else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def _plain_page(status: int, title: str, message: str) -> HttpResponse:
    """An error page that needs nothing: no template, no database, and above all no CSRF check. Django's
    own 400 and 500 views run the CSRF check, which reads the form body again, so the very error being
    answered (a body over the limit, say) was raised a second time and escaped as a bare server error."""
    return HttpResponse(f"<h1>{title}</h1><p>{message}</p>", status=status, content_type="text/html")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler400``: a request Django refused while reading it (a malformed or oversized body)."""
    if is_api_request(request):
        return error_response(400, _detail(400))
    return _plain_page(400, "Bad request", "The request could not be read. Go back and try again.")


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: Django calls it while handling the exception, so ``sys.exc_info`` names it."""
    if _is_outage(sys.exc_info()[1]):
        if is_api_request(request):
            return outage_response()
        response = _plain_page(503, "Service unavailable", "Please try again in a moment.")
        response["Retry-After"] = str(OUTAGE_RETRY_AFTER_SECONDS)
        return response
    if is_api_request(request):
        return error_response(500, _detail(500))
    return _plain_page(500, "Server error", "Something went wrong on our side. It has been logged.")
