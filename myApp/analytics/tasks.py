"""Background work for analytics: high-volume telemetry is written off the request path."""

from typing import Any

from django.contrib.auth import get_user_model
from django.tasks import task

from myApp.analytics.services import telemetry_record


@task
def record_telemetry(*, name: str, module_code: str = "", user_id: int | None = None, properties: dict[str, Any]):
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    event = telemetry_record(name=name, module_code=module_code, user=user, properties=properties)
    return event.pk
