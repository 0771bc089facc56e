"""The API's JSON renderer: DRF's, with every datetime in the one timestamp format."""

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
