"""Recorded talks: each upload costs an ffmpeg run and megabytes of disk, so each learner has a budget of them
(``THROTTLE_RECORDING_RATE``); a submission without a recording is not counted."""

from django.http import HttpRequest, HttpResponse

from myApp.lib.throttling import WindowThrottle, throttled_page


class RecordingRateThrottle(WindowThrottle):
    scope = "recording"

    def get_cache_key(self, request, view) -> str | None:
        if not request.FILES.get("audio"):
            return None  # no recording: not counted
        return f"throttle_recording_user_{request.user.pk}"


def recording_throttled(request: HttpRequest, *, back_url: str, back_label: str) -> HttpResponse | None:
    """The 429 page (with a way back) when a form post carries a recording over the learner's budget."""
    return throttled_page(request, RecordingRateThrottle(), back_url=back_url, back_label=back_label)
