"""The one way every app records analytics and telemetry."""

import re
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from myApp.analytics import events
from myApp.analytics.models import AnalyticsEvent, TelemetryEvent
from myApp.lib import json_input
from myApp.lib.exceptions import ServiceError

# Telemetry from clients: names like "screen.view" or "lesson_player:pause"; small properties.
TELEMETRY_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}(?:[.:][a-z0-9_]{1,31}){0,3}")
TELEMETRY_MODULE_CODE = re.compile(r"[A-Za-z0-9_.-]{0,32}")
MAX_TELEMETRY_BATCH = 100
MAX_TELEMETRY_PROPERTIES_BYTES = 2 * 1024
MAX_TELEMETRY_PROPERTIES_DEPTH = 4


def _actor(user: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return user if user is not None and user.is_authenticated else None


def track(
    *, event_type: str, user: AbstractBaseUser | None = None, data: dict[str, Any] | None = None
) -> AnalyticsEvent:
    """Record that ``user`` (or an anonymous visitor) did ``event_type``, one of ``events``' constants.

    An unknown type is a programming error (``ValueError``), not bad input: a name typed at a call site
    would otherwise start a series no dashboard reads. Callers record inside their own transaction, after
    the change succeeded, so a refused or rolled-back action leaves no event."""
    if event_type not in events.MEANINGS:
        raise ValueError(f"unknown analytics event type {event_type!r}: add it to myApp/analytics/events.py")
    return AnalyticsEvent.objects.create(user=_actor(user), event_type=event_type, event_data=data or {})


def _telemetry_event_errors(name: Any, module_code: Any, properties: Any) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(name, str) or len(name) > 64 or not TELEMETRY_NAME.fullmatch(name):
        errors["name"] = ["Lower-case letters, digits and _, in up to four parts joined by . or : (e.g. screen.view)."]
    if not isinstance(module_code, str) or not TELEMETRY_MODULE_CODE.fullmatch(module_code):
        errors["module_code"] = ["Up to 32 letters, digits, _ . or -."]
    if not isinstance(properties, dict):
        errors["properties"] = ["A JSON object."]
    else:
        try:
            json_input.check(properties, max_depth=MAX_TELEMETRY_PROPERTIES_DEPTH)
        except json_input.JSONInputError as error:
            errors["properties"] = [error.message]
        else:
            if json_input.encoded_size(properties) > MAX_TELEMETRY_PROPERTIES_BYTES:
                errors["properties"] = [f"At most {MAX_TELEMETRY_PROPERTIES_BYTES // 1024} KB of JSON."]
    return errors


def _telemetry_row(user: AbstractBaseUser | None, event: dict[str, Any], prefix: str = "") -> TelemetryEvent:
    name, module_code = event.get("name"), event.get("module_code", "")
    properties = event.get("properties", {})
    errors = _telemetry_event_errors(name, module_code, properties)
    if errors:
        raise ServiceError(
            "Invalid telemetry event.", errors={f"{prefix}{field}": messages for field, messages in errors.items()}
        )
    return TelemetryEvent(user=_actor(user), name=name, module_code=module_code, properties=properties)


def telemetry_record(
    *,
    name: str,
    module_code: str = "",
    user: AbstractBaseUser | None = None,
    properties: dict[str, Any] | None = None,
) -> TelemetryEvent:
    row = _telemetry_row(user, {"name": name, "module_code": module_code, "properties": properties or {}})
    row.save()
    return row


def telemetry_record_batch(*, user: AbstractBaseUser | None, events: list[dict[str, Any]]) -> int:
    """Record a client's batch of events in one INSERT, or none of them: a batch is 1 to
    ``MAX_TELEMETRY_BATCH`` events, each with a name from the allowed pattern, an optional
    module code and small, shallow JSON properties. Returns how many were recorded."""
    if not isinstance(events, list) or not 1 <= len(events) <= MAX_TELEMETRY_BATCH:
        raise ServiceError("Invalid telemetry batch.", errors={"events": [f"Send 1 to {MAX_TELEMETRY_BATCH} events."]})
    rows = []
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            raise ServiceError("Invalid telemetry event.", errors={f"events.{index}": ["An object."]})
        rows.append(_telemetry_row(user, event, prefix=f"events.{index}."))
    TelemetryEvent.objects.bulk_create(rows, batch_size=MAX_TELEMETRY_BATCH)
    return len(rows)
