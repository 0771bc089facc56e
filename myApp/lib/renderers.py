"""The API's JSON renderer: DRF's, with every datetime in the one timestamp format."""

import json
from datetime import datetime

from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder as DRFJSONEncoder

from myApp.lib.timestamps import format_timestamp


class JSONEncoder(DRFJSONEncoder):
    def default(self, obj):
        if isinstance(obj, datetime):
            return format_timestamp(obj)
        return super().default(obj)


class JSONRenderer(renderers.JSONRenderer):
    """Serializers pass datetimes through unformatted (``DATETIME_FORMAT = None``); they are formatted here,
    so ModelSerializers and hand-built ``Response`` dicts come out the same."""

    encoder_class = JSONEncoder

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, RenderedJSON):
            if self.get_indent(accepted_media_type, renderer_context or {}) is None:
                return data.content
            data = json.loads(data.content)  # the client asked for indentation: encode it again
        return super().render(data, accepted_media_type, renderer_context)


class RenderedJSON:
    """A response body this renderer has already written (``encode``), passed through as it is: a cache can keep
    the JSON of what it holds and a hit answers without building and encoding the objects again."""

    __slots__ = ("content",)

    def __init__(self, content: bytes):
        self.content = content


def encode(data) -> bytes:
    """``data`` exactly as the API's renderer writes a response body (compact)."""
    return JSONRenderer().render(data)
