"""Spoken replies synthesised locally with espeak-ng (a WAV file, base64-encoded for JSON)."""

import base64
import functools
import shutil
import subprocess

from django.conf import settings

from myApp.lib.exceptions import ServiceError

MAX_SPOKEN_CHARS = 2000
SYNTH_TIMEOUT_SECONDS = 20


class AudioUnavailable(ServiceError):
    status_code = 503
    default_detail = "Speech synthesis is not available on this server (espeak-ng is not installed)."


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


def synthesize_wav(text: str, language: str = "en") -> bytes:
    binary = _binary()
    if binary is None:
        raise AudioUnavailable()
    voice = voice_for(language, _voices(binary))
    result = subprocess.run(
        [binary, "-v", voice, "--stdout", text[:MAX_SPOKEN_CHARS]],
        capture_output=True,
        timeout=SYNTH_TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0 or result.stdout[:4] != b"RIFF":
        raise AudioUnavailable("Speech synthesis failed for this reply.")
    return result.stdout


def synthesize_base64(text: str, language: str = "en") -> str:
    return base64.b64encode(synthesize_wav(text, language)).decode("ascii")
