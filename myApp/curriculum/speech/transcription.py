"""The transcription backend for recorded talks, chosen by ``settings.TRANSCRIPTION_BACKEND``:

- ``none`` (the default): nothing leaves the machine; ``transcribe`` returns None and the talk gets the acoustic
  feedback only (the learner may type a transcript).
- ``openai``: any server speaking the OpenAI-compatible ``POST /v1/audio/transcriptions`` protocol (whisper.cpp's
  server, faster-whisper servers, vLLM, a hosted API). The 16 kHz WAV goes as multipart ``file`` with ``model``,
  ``language``, ``response_format=verbose_json`` and ``timestamp_granularities[]=word``. Word timings are read
  from the reply's ``words`` list when the server gives one; a server that gives only ``segments`` has its
  segments' words spread evenly over each segment's time (close enough for placing fillers on a timeline), and a
  plain ``{"text"}`` reply gives the text without timings.

Any failure (unreachable server, timeout, HTTP error, a reply that is not the protocol's JSON, a reply larger
than ``MAX_RESPONSE_BYTES``) raises ``TranscriptionFailed`` with a short reason for the learner's page; the
reason never holds the API key nor the server's own words (which could echo the request).
"""

import logging
import math
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field

from django.conf import settings

from myApp.lib import json_input, outbound

logger = logging.getLogger(__name__)

# A five-minute talk's verbose JSON is some tens of KB; anything past this is not a transcription.
MAX_RESPONSE_BYTES = 2 * 1024 * 1024
MAX_TRANSCRIPT_CHARS = 20_000
MAX_WORDS = 5_000
REASON_CHARS = 200


class TranscriptionFailed(Exception):
    """The backend could not transcribe; ``reason`` is short and safe to show."""

    def __init__(self, reason: str):
        self.reason = reason[:REASON_CHARS]
        super().__init__(self.reason)


@dataclass(frozen=True)
class Transcription:
    text: str
    # [{"word": str, "start": float, "end": float}, ...] in seconds; empty when the server gave no timings.
    words: list[dict] = field(default_factory=list)


def transcribe(wav: bytes) -> Transcription | None:
    """Transcribe a 16 kHz mono WAV with the configured backend; None when the backend is ``none``."""
    backend = settings.TRANSCRIPTION_BACKEND
    if backend == "none":
        return None
    if backend == "openai":
        return _openai(wav)
    raise TranscriptionFailed(f"Unknown transcription backend {backend!r}.")


def endpoint() -> str:
    base = settings.TRANSCRIPTION_BASE_URL.rstrip("/").removesuffix("/v1")
    return f"{base}/v1/audio/transcriptions"


def _multipart(fields: list[tuple[str, str]], wav: bytes) -> tuple[bytes, str]:
    boundary = f"speakpro-{uuid.uuid4().hex}"
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="recording.wav"\r\n'
        "Content-Type: audio/wav\r\n\r\n".encode()
    )
    parts.append(wav)
    parts.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _openai(wav: bytes) -> Transcription:
    fields = [
        ("model", settings.TRANSCRIPTION_MODEL),
        ("language", settings.TRANSCRIPTION_LANGUAGE),
        ("response_format", "verbose_json"),
        ("timestamp_granularities[]", "word"),
    ]
    body, content_type = _multipart(fields, wav)
    headers = {"Content-Type": content_type, "Accept": "application/json"}
    if settings.TRANSCRIPTION_API_KEY:
        headers["Authorization"] = f"Bearer {settings.TRANSCRIPTION_API_KEY}"
    request = urllib.request.Request(endpoint(), data=body, headers=headers, method="POST")
    timeout = settings.TRANSCRIPTION_TIMEOUT_SECONDS
    try:
        with outbound.urlopen(request, timeout=timeout) as response:
            raw = _read_bounded(response, deadline=time.monotonic() + timeout)
    except urllib.error.HTTPError as error:
        raise TranscriptionFailed(f"The transcription server answered HTTP {error.code}.") from None
    except TimeoutError:
        raise TranscriptionFailed("The transcription server did not answer in time.") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise TranscriptionFailed("The transcription server did not answer in time.") from None
        raise TranscriptionFailed("The transcription server could not be reached.") from None
    except OSError:
        raise TranscriptionFailed("The transcription server could not be reached.") from None
    if len(raw) > MAX_RESPONSE_BYTES:
        raise TranscriptionFailed("The transcription server's reply was too large.")
    try:
        return parse_reply(json_input.loads(raw))
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        logger.warning("transcription reply not understood: %s", type(error).__name__)
        raise TranscriptionFailed("The transcription server's reply was not understood.") from None


def _read_bounded(response, *, deadline: float) -> bytes:
    """At most ``MAX_RESPONSE_BYTES + 1`` bytes, within the deadline: the socket's timeout bounds each read, so
    a server trickling its reply a byte at a time is cut off here."""
    chunks, size = [], 0
    while size <= MAX_RESPONSE_BYTES:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = response.read1(min(64 * 1024, MAX_RESPONSE_BYTES + 1 - size))  # what has arrived, not 64 KB
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _seconds(value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise ValueError("a time must be a non-negative number of seconds")
    return round(float(value), 2)


def _word(text, start, end) -> dict:
    if not isinstance(text, str):
        raise ValueError("a word must be text")
    start, end = _seconds(start), _seconds(end)
    return {"word": text.strip(), "start": start, "end": max(start, end)}


def _segment_words(segments: list) -> list[dict]:
    """Words spread evenly over each segment's time: for servers that time segments only."""
    words = []
    for segment in segments:
        start, end = _seconds(segment["start"]), _seconds(segment["end"])
        tokens = str(segment.get("text", "")).split()
        if not tokens:
            continue
        step = max(end - start, 0) / len(tokens)
        words += [_word(token, start + step * i, start + step * (i + 1)) for i, token in enumerate(tokens)]
    return words


def parse_reply(reply) -> Transcription:
    """The protocol's JSON reply: ``{"text", "words"?: [{"word","start","end"}], "segments"?: [...]}``."""
    if not isinstance(reply, dict) or not isinstance(reply.get("text"), str):
        raise ValueError("no text in the reply")
    text = reply["text"].strip()
    if "\x00" in text:
        raise ValueError("NUL in the transcript")
    text = text[:MAX_TRANSCRIPT_CHARS]
    words: list[dict] = []
    if isinstance(reply.get("words"), list) and reply["words"]:
        words = [_word(item["word"], item["start"], item["end"]) for item in reply["words"][:MAX_WORDS]]
    elif isinstance(reply.get("segments"), list):
        words = _segment_words(reply["segments"])[:MAX_WORDS]
    return Transcription(text=text, words=[word for word in words if word["word"]])
