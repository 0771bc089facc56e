"""Request parsers shared by the API."""

import io

from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser

SMALL_BODY_BYTES = 64 * 1024


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Request body too large."
    default_code = "request_too_large"


class SmallJSONParser(JSONParser):
    """JSON bodies of at most ``max_bytes`` (64 KB); larger ones get 413 before any parsing.

    The declared Content-Length is checked first, then the bytes actually read,
    so a missing or wrong header cannot smuggle a larger body in.
    """

    max_bytes = SMALL_BODY_BYTES

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        too_large = RequestTooLarge(f"Request body too large (at most {self.max_bytes // 1024} KB).")
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError:
            declared = 0  # an unreadable header: the bytes read below decide
        if declared > self.max_bytes:
            raise too_large
        body = stream.read(self.max_bytes + 1)
        if len(body) > self.max_bytes:
            raise too_large
        return super().parse(io.BytesIO(body), media_type, parser_context)
