"""The project's one error path.

Services raise ``ServiceError`` (or a subclass); views and viewsets let it
propagate; ``api_exception_handler`` turns it and every DRF/Django error into
``{"detail": ..., "errors": {field: [messages]}}``.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler


class ServiceError(Exception):
    """A business rule refused the request; carries the HTTP status to answer with."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The request could not be completed."

    def __init__(self, detail: str | None = None, *, errors: dict[str, list[str]] | None = None):
        self.detail = detail or self.default_detail
        self.errors = errors or {}
        super().__init__(self.detail)


class Conflict(ServiceError):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state."


class InsufficientBalance(Conflict):
    default_detail = "Not enough balance for this action."


class NotAllowed(ServiceError):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "You do not have permission to perform this action."


def field_errors(data: Any, prefix: str = "") -> dict[str, list[str]]:
    """Flatten DRF's error tree; nested fields become dotted names (``profile.coins``)."""
    if isinstance(data, dict):
        errors: dict[str, list[str]] = {}
        for field, messages in data.items():
            errors.update(field_errors(messages, f"{prefix}{field}."))
        return errors
    name = prefix.rstrip(".") or "nonfield_errors"
    if isinstance(data, list):
        if any(isinstance(item, dict | list) for item in data):  # a list of nested objects
            errors = {}
            for index, item in enumerate(data):
                errors.update(field_errors(item, f"{prefix}{index}."))
            return errors
        return {name: [str(message) for message in data]}
    return {name: [str(data)]}


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ServiceError):
        return Response({"detail": exc.detail, "errors": exc.errors}, status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):  # Django's own body limit, met before a parser's
        return Response(
            {
                "detail": f"Request body too large (at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024} KB).",
                "errors": {},
            },
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: a bug, left to Django's 500 handling and logging
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": "Invalid input.", "errors": field_errors(exc.detail)}
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        response.data = {"detail": str(detail), "errors": {}}
    return response
