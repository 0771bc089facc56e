"""Template tags of speech practice: the recorder reads the talk's length limits from the settings the server
enforces (``SPEECH_MIN_SECONDS``, ``SPEECH_MAX_SECONDS``), so the two never disagree."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def speech_min_seconds() -> int:
    return settings.SPEECH_MIN_SECONDS


@register.simple_tag
def speech_max_seconds() -> int:
    return settings.SPEECH_MAX_SECONDS
