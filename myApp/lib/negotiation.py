"""DRF's content negotiation, with the common case answered without parsing: a request that accepts anything
(no ``Accept`` header, or ``*/*``) or exactly the first renderer's media type, with no format override, gets the
first renderer, as DRF's own negotiation would choose it. Every other request is negotiated by DRF."""

from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        if renderers and not format_suffix and self.settings.URL_FORMAT_OVERRIDE not in request.query_params:
            first = renderers[0]
            if request.META.get("HTTP_ACCEPT", "*/*") in ("*/*", first.media_type):
                return first, first.media_type
        return super().select_renderer(request, renderers, format_suffix)
