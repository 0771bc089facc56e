"""The one timestamp format the API emits: ISO 8601 in UTC, milliseconds, ``Z``.

It is what JavaScript's ``Date.prototype.toISOString()`` produces
(``2026-01-18T10:15:00.000Z``), whatever ``TIME_ZONE`` is. Every timestamp
reaches clients through here: datetimes in API responses go through
``myApp.lib.renderers.JSONRenderer`` (DRF's ``DATETIME_FORMAT`` is ``None``, so
serializers hand it the datetime itself), and timestamps written into JSON
documents (``metadata.module_status``, the history cache) are made with
``format_timestamp`` before they are stored.
"""

import re
from datetime import UTC, datetime

from django.utils import timezone

TIMESTAMP_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def format_timestamp(value: datetime) -> str:
    """``value`` in UTC to the millisecond; a naive value is taken as in the default time zone."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    value = value.astimezone(UTC)
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 1000:03d}Z"


def now_timestamp() -> str:
    return format_timestamp(timezone.now())


def reformat_timestamp(value: str) -> str:
    """An ISO 8601 string in any offset or precision, rewritten in the one format (for stored documents)."""
    return format_timestamp(datetime.fromisoformat(value))


def session_clock(ms: int) -> str:
    """A time within a session as transcripts show it: minutes:seconds, hours too past the first (1:02:03)."""
    minutes, seconds = divmod(ms // 1000, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"
