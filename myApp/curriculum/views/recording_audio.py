"""A recorded talk's audio: played through this view (no URL serves the recordings storage), to whoever
``speech_selectors.recording_for_listener`` lets listen, never cached by the browser or a proxy.

A single byte range (``Range: bytes=a-b``, what a browser's audio element asks for when seeking) is answered with
206; several ranges or an unreadable header get the whole file, a range past the end 416 (RFC 9110).
"""

import re

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.views.decorators.http import require_GET

from myApp.curriculum.models import SpeechRecording
from myApp.curriculum.speech_selectors import recording_for_listener

_RANGE = re.compile(r"^bytes=(\d{0,19})-(\d{0,19})$")


def _headers(response: HttpResponse, recording: SpeechRecording) -> HttpResponse:
    response["Content-Disposition"] = f'inline; filename="recording-{recording.pk}.wav"'
    response["Cache-Control"] = "private, no-store"
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _byte_range(header: str, size: int) -> tuple[int, int] | str | None:
    """(first, last) inclusive; None for the whole file; "unsatisfiable" for a range past the end."""
    match = _RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(size - length, 0), size - 1
    first = int(first)
    last = min(int(last), size - 1) if last else size - 1
    if first >= size or last < first:
        return "unsatisfiable"
    return first, last


def audio_response(request, recording: SpeechRecording) -> HttpResponse:
    """The recording's WAV (or the asked byte range of it) with private, uncached, inline headers."""
    storage, name = recording.audio.storage, recording.audio.name
    size = storage.size(name)
    wanted = _byte_range(request.headers.get("Range", ""), size)
    if wanted == "unsatisfiable":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return _headers(response, recording)
    if wanted is None:
        response = FileResponse(storage.open(name, "rb"), content_type="audio/wav")
        response["Content-Length"] = str(size)
        return _headers(response, recording)
    first, last = wanted
    with storage.open(name, "rb") as stored:
        stored.seek(first)
        part = stored.read(last - first + 1)
    response = HttpResponse(part, status=206, content_type="audio/wav")
    response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return _headers(response, recording)


@login_required
@require_GET
def recording_audio(request, pk: int):
    return audio_response(request, recording_for_listener(user=request.user, pk=pk))
