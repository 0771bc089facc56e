"""The one way every app records analytics and telemetry."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from myApp.analytics.models import AnalyticsEvent, TelemetryEvent

MAX_EVENT_TYPE_LENGTH = 64


def _actor(user: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return user if user is not None and user.is_authenticated else None


def track(
    *, event_type: str, user: AbstractBaseUser | None = None, data: dict[str, Any] | None = None
) -> AnalyticsEvent:
    """Record that ``user`` (or an anonymous visitor) did ``event_type``."""
    if not event_type or len(event_type) > MAX_EVENT_TYPE_LENGTH:
        raise ValueError(f"event_type must be 1-{MAX_EVENT_TYPE_LENGTH} characters")
    return AnalyticsEvent.objects.create(user=_actor(user), event_type=event_type, event_data=data or {})


def telemetry_record(
    *,
    name: str,
    module_code: str = "",
    user: AbstractBaseUser | None = None,
    properties: dict[str, Any] | None = None,
) -> TelemetryEvent:
    return TelemetryEvent.objects.create(
        user=_actor(user), name=name, module_code=module_code, properties=properties or {}
    )
