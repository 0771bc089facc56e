"""An uploaded recording checked by what it contains and converted to 16 kHz mono 16-bit PCM WAV.

The rules, in the order they are applied (the first that fails refuses the upload with a message for a person):

1. Size: an empty file, or one larger than ``settings.SPEECH_MAX_UPLOAD_BYTES``, is refused before it is read
   (and again while it is copied, should the declared size be wrong).
2. Content, as ffprobe reads it: the file name, its extension and the declared content type are never used (the
   copy on disk is called ``upload``, so neither can steer ffmpeg's format guessing). Only these demuxers are
   allowed at all (``-format_whitelist``), so a playlist, an image or a text file is refused without being
   interpreted; files are read from local disk only (``-protocol_whitelist file``). Accepted containers and
   audio codecs:
   webm (Matroska/WebM: Opus or Vorbis), ogg (Opus or Vorbis), wav (PCM), mp3 (MP3), m4a (MP4/M4A/MOV: AAC or
   ALAC). A video file in one of these containers is accepted for its first audio track: the picture is
   discarded at once and never stored (a phone's video of a talk is a talk; an MP3's cover art is a "video"
   stream too). A file with no audio track is refused.
3. Decoding, with ffmpeg, to 16 kHz mono 16-bit PCM WAV, at most ``SPEECH_MAX_SECONDS`` + 1 seconds of it. A
   file ffmpeg cannot decode, one that decodes to no audio, or one that decodes to less than half of the
   duration its header declares (truncated or damaged) is refused. Before that, two formats that can say so are
   checked for a cut-off end: a WAV whose ``data`` chunk declares more bytes than follow it (a streaming
   writer's placeholder size declares nothing), and an OGG with a page whose segment table declares more bytes
   than the file holds (cut inside a page) or whose last page is not marked end-of-stream (cut between pages).
   (An MP3 whose Xing/LAME header declares its length, as encoders write it, is caught by the half-duration rule;
   one without that header, or a live WebM, cut short cannot be told from a shorter recording, and is measured as
   what it holds.)
4. Duration, of the decoded audio (a browser's WebM often declares none): from ``SPEECH_MIN_SECONDS`` to
   ``SPEECH_MAX_SECONDS`` inclusive. A silent recording is accepted here; the analysis reports that it found no
   speech.

ffprobe and ffmpeg run without a shell, with timeouts and no standard input (``-nostdin`` for ffmpeg; ffprobe has
no such option and gets an empty stdin), on a temporary folder that is always
removed, so nothing of a refused upload is kept.
"""

import io
import json
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from rest_framework import status

from myApp.lib.exceptions import ServiceError

TARGET_RATE = 16000
PROBE_TIMEOUT_SECONDS = 15
CONVERT_TIMEOUT_SECONDS = 90
COPY_CHUNK_BYTES = 256 * 1024

# ffmpeg demuxer → (our name, accepted audio codecs). The demuxer names are ffmpeg's own ("mov" reads mp4/m4a).
ACCEPTED = {
    "matroska": ("webm", {"opus", "vorbis"}),
    "ogg": ("ogg", {"opus", "vorbis"}),
    "wav": ("wav", {"pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_u8", "pcm_f32le", "pcm_f64le", "pcm_s16be"}),
    "mp3": ("mp3", {"mp3"}),
    "mov": ("m4a", {"aac", "alac"}),
}
FORMAT_WHITELIST = ",".join(ACCEPTED)
ACCEPTED_TEXT = "WebM or OGG (Opus), WAV, MP3 or M4A"


@dataclass(frozen=True)
class NormalisedAudio:
    wav: bytes  # 16 kHz mono 16-bit PCM WAV
    duration_seconds: float
    source_format: str  # "webm", "ogg", "wav", "mp3" or "m4a"
    source_bytes: int


class AudioToolsUnavailable(ServiceError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Recordings cannot be processed on this server right now (ffmpeg is not available)."


def _refuse(message: str) -> ServiceError:
    return ServiceError("Invalid audio.", errors={"audio": [message]})


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _declared_size(upload) -> int | None:
    size = getattr(upload, "size", None)
    return size if isinstance(size, int) else None


def _copy(upload, target: Path, limit: int) -> int:
    """The upload written to ``target``; its size. Refuses an empty or oversized one without reading on."""
    too_large = _refuse(f"The recording is larger than {_megabytes(limit)}. Record a shorter talk.")
    declared = _declared_size(upload)
    if declared is not None and declared > limit:
        raise too_large
    if hasattr(upload, "seek"):
        upload.seek(0)
    chunks = (
        upload.chunks(COPY_CHUNK_BYTES)
        if hasattr(upload, "chunks")
        else iter(lambda: upload.read(COPY_CHUNK_BYTES), b"")
    )
    written = 0
    with target.open("wb") as out:
        for chunk in chunks:
            if isinstance(chunk, str):
                raise _refuse("The upload is text, not a recording.")
            written += len(chunk)
            if written > limit:
                raise too_large
            out.write(chunk)
    if written == 0:
        raise _refuse("The file is empty.")
    return written


def _run(args: list[str], timeout: int) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(args, capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL)
    except FileNotFoundError as missing:
        raise AudioToolsUnavailable() from missing
    except subprocess.TimeoutExpired as slow:
        raise _refuse("The recording took too long to read; it may be damaged. Try recording it again.") from slow


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise AudioToolsUnavailable()
    return found


def _probe(path: Path) -> dict:
    result = _run(
        [
            _binary(settings.FFPROBE_BINARY),
            *("-v", "error", "-protocol_whitelist", "file", "-format_whitelist", FORMAT_WHITELIST),
            *("-show_entries", "format=format_name,duration:stream=index,codec_type,codec_name,duration"),
            *("-of", "json", str(path)),
        ],
        PROBE_TIMEOUT_SECONDS,
    )
    try:
        report = json.loads(result.stdout or b"{}")
    except ValueError:
        report = {}
    if result.returncode != 0 or not isinstance(report.get("format"), dict):
        raise _refuse(f"This file is not a recording we can read. Upload {ACCEPTED_TEXT} audio.")
    return report


def _demuxer(format_name: str) -> str | None:
    names = set(format_name.split(","))
    return next((demuxer for demuxer in ACCEPTED if demuxer in names), None)


def _seconds(value) -> float | None:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if seconds >= 0 else None


def _check_probe(report: dict) -> tuple[str, int, float | None]:
    """(demuxer, audio stream index, declared duration) of an accepted file."""
    demuxer = _demuxer(str(report["format"].get("format_name", "")))
    if demuxer is None:
        raise _refuse(f"This file is not a recording we can read. Upload {ACCEPTED_TEXT} audio.")
    audio = [stream for stream in report.get("streams", []) if stream.get("codec_type") == "audio"]
    if not audio:
        raise _refuse("This file has no sound in it. Upload a recording of your talk.")
    stream = audio[0]
    name, codecs = ACCEPTED[demuxer]
    codec = str(stream.get("codec_name", "unknown"))
    if codec not in codecs:
        raise _refuse(f"This {name} file's sound is encoded as {codec}, which is not accepted. Upload {ACCEPTED_TEXT}.")
    declared = _seconds(stream.get("duration")) or _seconds(report["format"].get("duration"))
    return demuxer, int(stream.get("index", 0)), declared


def _wav_truncated(path: Path) -> bool:
    """True when the WAV's ``data`` chunk declares more bytes than the file holds. A size of 0, or one of the
    placeholders streaming writers leave (0xFFFFFFFF, espeak-ng's 0x7FFFF000 and the like), declares nothing."""
    with path.open("rb") as source:
        header = source.read(12)
        if header[:4] not in (b"RIFF", b"RF64") or header[8:12] != b"WAVE":
            return False
        while chunk := source.read(8):
            if len(chunk) < 8:
                return True
            size = int.from_bytes(chunk[4:8], "little")
            if chunk[:4] == b"data":
                present = path.stat().st_size - source.tell()
                return 0 < size < 0x7FFF0000 and present < size - 4
            source.seek(size + size % 2, 1)
    return True


OGG_HEADER_BYTES = 27  # "OggS", version, flags, granule (8), serial (4), sequence (4), CRC (4), segment count


def _ogg_truncated(path: Path) -> bool:
    """True when the OGG file was cut: a page whose segment table declares more bytes than the file still holds
    (cut inside a page, even the last one, whose header and end-of-stream flag survive), or a last page not
    marked end-of-stream (cut between pages). The pages are walked from the start by their declared sizes, so a
    capture pattern ("OggS") inside audio data is never taken for a page; bytes that are not a page are skipped
    to the next capture pattern, as a demuxer resynchronises."""
    data = path.read_bytes()  # at most SPEECH_MAX_UPLOAD_BYTES; each byte is looked at a bounded number of times
    size = len(data)
    position, last_flags = 0, None
    while position < size:
        header = data[position : position + OGG_HEADER_BYTES]
        if header[:4] != b"OggS":
            found = data.find(b"OggS", position + 1)
            if found < 0:
                break  # trailing bytes that are not a page
            position = found
            continue
        if len(header) < OGG_HEADER_BYTES:
            return True
        table_end = position + OGG_HEADER_BYTES + header[26]
        if table_end > size:
            return True
        position = table_end + sum(data[position + OGG_HEADER_BYTES : table_end])
        if position > size:
            return True
        last_flags = header[5]
    return last_flags is None or not last_flags & 0x04


TRUNCATION_CHECKS = {"wav": _wav_truncated, "ogg": _ogg_truncated}


def _describe_limit(seconds: int) -> str:
    if seconds % 60 == 0 and seconds >= 60:
        minutes = seconds // 60
        return f"{seconds} seconds ({minutes} minute{'s' if minutes != 1 else ''})"
    return f"{seconds} seconds"


def _convert(path: Path, demuxer: str, stream_index: int, out: Path, max_seconds: int) -> bytes:
    result = _run(
        [
            _binary(settings.FFMPEG_BINARY),
            *("-nostdin", "-hide_banner", "-loglevel", "error", "-y"),
            *("-protocol_whitelist", "file", "-format_whitelist", FORMAT_WHITELIST, "-f", demuxer, "-i", str(path)),
            *("-map", f"0:{stream_index}", "-vn", "-sn", "-dn", "-map_metadata", "-1"),
            *("-ac", "1", "-ar", str(TARGET_RATE), "-c:a", "pcm_s16le", "-t", str(max_seconds + 1)),
            *("-f", "wav", str(out)),
        ],
        CONVERT_TIMEOUT_SECONDS,
    )
    if result.returncode != 0 or not out.exists():
        raise _refuse("The recording could not be decoded; it may be damaged or incomplete. Try recording it again.")
    return out.read_bytes()


def _frames_seconds(wav: bytes) -> float:
    try:
        with wave.open(io.BytesIO(wav), "rb") as reader:
            return reader.getnframes() / reader.getframerate()
    except (wave.Error, EOFError, ZeroDivisionError):
        return 0.0


def normalise(upload) -> NormalisedAudio:
    """The upload checked (size, content, duration) and converted to 16 kHz mono WAV; ``ServiceError`` (400) with
    ``errors["audio"]`` when refused, ``AudioToolsUnavailable`` (503) when ffmpeg is missing."""
    limit = settings.SPEECH_MAX_UPLOAD_BYTES
    min_seconds, max_seconds = settings.SPEECH_MIN_SECONDS, settings.SPEECH_MAX_SECONDS
    with tempfile.TemporaryDirectory(prefix="speech-intake-") as folder:
        source = Path(folder) / "upload"
        source_bytes = _copy(upload, source, limit)
        demuxer, stream_index, declared = _check_probe(_probe(source))
        if demuxer in TRUNCATION_CHECKS and TRUNCATION_CHECKS[demuxer](source):
            raise _refuse("The recording is incomplete or damaged (it stops early). Try recording it again.")
        if declared is not None and declared > max_seconds + 1:
            raise _refuse(
                f"The recording is {declared:.0f} seconds long; it must be at most {_describe_limit(max_seconds)}."
            )
        wav = _convert(source, demuxer, stream_index, Path(folder) / "normalised.wav", max_seconds)
    seconds = _frames_seconds(wav)
    if seconds <= 0:
        raise _refuse("The recording has no sound we could decode; it may be damaged. Try recording it again.")
    if declared is not None and declared >= 1 and seconds < declared / 2:
        raise _refuse("The recording is incomplete or damaged (it stops early). Try recording it again.")
    if seconds > max_seconds:
        raise _refuse(f"The recording is longer than {_describe_limit(max_seconds)}. Keep your talk under that.")
    if seconds < min_seconds:
        raise _refuse(
            f"The recording is {seconds:.1f} seconds long; it must be at least {_describe_limit(min_seconds)}."
        )
    return NormalisedAudio(
        wav=wav,
        duration_seconds=round(seconds, 2),
        source_format=ACCEPTED[demuxer][0],
        source_bytes=source_bytes,
    )
