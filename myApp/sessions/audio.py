"""Spoken replies synthesised locally with espeak-ng (a WAV file, base64-encoded for JSON).

Two things about espeak-ng's ``--stdout`` decide the shape of this module:

- Writing to a pipe, it cannot seek back to fill in the RIFF and ``data`` chunk
  sizes, so it leaves its streaming placeholders (2,147,479,588 bytes): players
  and Python's ``wave`` then see a 13-hour file. The audio is re-written here
  with the real sizes.
- It speaks at about 17 characters a second, so a long answer becomes minutes of
  audio and megabytes of base64. Only the opening of an answer is spoken: at most
  ``MAX_SPOKEN_CHARS`` characters (about 30 seconds), cut at the last sentence end
  inside that window (else the last word end), and never more than
  ``MAX_SPOKEN_SECONDS`` of audio whatever the voice's pace. The text answer
  stays complete; the response's metadata says what was spoken.
"""

import base64
import functools
import io
import re
import shutil
import subprocess
import wave
from dataclasses import dataclass

from django.conf import settings

from myApp.lib.exceptions import ServiceError

ENGINE = "espeak-ng"
FORMAT = "audio/wav"
MAX_SPOKEN_CHARS = 500
MAX_SPOKEN_SECONDS = 45
SYNTH_TIMEOUT_SECONDS = 20
# A sentence ends at . ! ? or an ellipsis (with closing quotes or brackets) before whitespace, at a CJK full stop,
# exclamation or question mark, or at a line break.
SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)|[\u3002\uff01\uff1f]|\n")


class AudioUnavailable(ServiceError):
    status_code = 503
    default_detail = "Speech synthesis is not available on this server (espeak-ng is not installed)."


@dataclass(frozen=True)
class Speech:
    """A spoken answer: the WAV file and what it holds."""

    wav: bytes
    language: str  # the BCP 47 tag asked for (the voice is the closest espeak-ng has)
    duration_seconds: float
    spoken_characters: int  # the answer's first N characters were spoken
    truncated: bool  # True when the rest of the answer was not spoken

    @property
    def base64(self) -> str:
        return base64.b64encode(self.wav).decode("ascii")

    @property
    def metadata(self) -> dict:
        """What a client is told about the audio: how it was made, its size and length, and how much of the
        answer it speaks."""
        return {
            "language": self.language,
            "engine": ENGINE,
            "format": FORMAT,
            "size_bytes": len(self.wav),
            "duration_seconds": self.duration_seconds,
            "spoken_characters": self.spoken_characters,
            "truncated": self.truncated,
        }


def _binary() -> str | None:
    return shutil.which(settings.ESPEAK_BINARY)


@functools.cache
def _voices(binary: str) -> frozenset[str]:
    listing = subprocess.run([binary, "--voices"], capture_output=True, text=True, timeout=10, check=False).stdout
    return frozenset(line.split()[1].lower() for line in listing.splitlines()[1:] if len(line.split()) > 1)


def voice_for(language: str, voices: frozenset[str]) -> str:
    """The espeak-ng voice for a BCP 47 tag: exact (en-gb), then the base language (en-IN → en), else en."""
    tag = (language or "en").strip().lower().replace("_", "-")
    base = tag.split("-")[0]
    for candidate in (tag, base, f"{base}-{base}"):
        if candidate in voices:
            return candidate
    return "en-us" if base == "en" and "en-us" in voices else ("en" if "en" in voices else "en-us")


def spoken_part(text: str, limit: int = MAX_SPOKEN_CHARS) -> str:
    """The opening of ``text`` to speak: all of it when short, else up to the last sentence end within ``limit``
    characters (the last word end when no sentence ends in its final two thirds)."""
    if len(text) <= limit:
        return text
    # One character past the window, so that a sentence ending exactly at the limit is seen to be followed by a space.
    ends = (match.end() for match in SENTENCE_END.finditer(text[: limit + 1]))
    sentence = max((end for end in ends if end <= limit), default=0)
    if sentence > limit // 3:
        return text[:sentence].rstrip()
    word = text[: limit + 1].rstrip().rfind(" ")
    return text[: word if word > limit // 3 else limit].rstrip()


def _with_real_sizes(raw: bytes, max_seconds: float) -> tuple[bytes, float, bool]:
    """espeak-ng's stream re-written with correct RIFF and data sizes, at most ``max_seconds`` long.

    Returns (wav, duration in seconds, whether audio was cut)."""
    try:
        with wave.open(io.BytesIO(raw), "rb") as reader:
            params = reader.getparams()
            frame_size = params.nchannels * params.sampwidth
            max_frames = int(max_seconds * params.framerate)
            frames = reader.readframes(max_frames)  # the placeholder size is ignored: this stops at the real end
            cut = len(reader.readframes(1)) > 0
    except (wave.Error, EOFError) as error:
        raise AudioUnavailable("Speech synthesis produced unreadable audio for this reply.") from error
    frames = frames[: len(frames) - len(frames) % frame_size]  # whole frames only
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(params.nchannels)
        writer.setsampwidth(params.sampwidth)
        writer.setframerate(params.framerate)
        writer.writeframes(frames)  # the header is written with the sizes of what was written
    return out.getvalue(), len(frames) // frame_size / params.framerate, cut


def synthesize(text: str, language: str = "en") -> Speech:
    binary = _binary()
    if binary is None:
        raise AudioUnavailable()
    voice = voice_for(language, _voices(binary))
    spoken = spoken_part(text)
    result = subprocess.run(
        [binary, "-v", voice, "--stdout", "--stdin"],  # text on stdin: an answer starting with "-" is no option
        input=spoken.encode("utf-8", errors="replace"),
        capture_output=True,
        timeout=SYNTH_TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0 or result.stdout[:4] != b"RIFF":
        raise AudioUnavailable("Speech synthesis failed for this reply.")
    wav, duration, cut = _with_real_sizes(result.stdout, MAX_SPOKEN_SECONDS)
    truncated = cut or bool(text[len(spoken) :].strip())
    return Speech(
        wav=wav,
        language=language,
        duration_seconds=round(duration, 3),
        spoken_characters=len(spoken),
        truncated=truncated,
    )
