"""Request parsers shared by the API: every JSON body is parsed with the bounds of ``json_input``."""

from django.conf import settings
from rest_framework import exceptions, parsers, status

from myApp.lib import json_input

SMALL_BODY_BYTES = 64 * 1024


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Request body too large."
    default_code = "request_too_large"


class JSONParser(parsers.JSONParser):
    """JSON bodies nested at most ``json_input.MAX_DEPTH`` levels, without NUL characters, and no larger than
    ``max_bytes`` (Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` unless a view asks for less).

    The declared Content-Length is checked first, then the bytes actually read,
    so a missing or wrong header cannot smuggle a larger body in.
    """

    max_bytes: int | None = None

    def limit(self) -> int:
        return self.max_bytes or settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def parse(self, stream, media_type=None, parser_context=None):
        body = self.read_bounded(stream, parser_context)
        # UTF-8 (RFC 8259); a body declaring another charset never gets here (RequestGuardMiddleware).
        try:
            return json_input.loads(body.decode("utf-8"))
        except json_input.JSONInputError as error:
            from myApp.lib.exceptions import ServiceError  # not at import time: exceptions imports DRF's views

            raise ServiceError(error.message, errors={error.path: [error.message]} if error.path else {}) from None
        except ValueError as error:  # undecodable bytes or malformed JSON
            raise exceptions.ParseError(f"JSON parse error - {error}") from None

    def read_bounded(self, stream, parser_context) -> bytes:
        limit = self.limit()
        request = (parser_context or {}).get("request")
        too_large = RequestTooLarge(f"Request body too large (at most {limit // 1024} KB).")
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError:
            declared = 0  # an unreadable header: the bytes read below decide
        if declared > limit:
            raise too_large
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise too_large
        return body


class SmallJSONParser(JSONParser):
    """JSON bodies of at most 64 KB; larger ones get 413 before any parsing."""

    max_bytes = SMALL_BODY_BYTES
