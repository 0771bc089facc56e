"""Transcripts as clinicians have them: segments validated, and WebVTT, SRT and JSON files parsed into segments.

A segment is ``{"start": seconds, "end": seconds, "text": str, "speaker": str, "confidence": float | None}``
(seed 003's ``save_transcript`` input). ``validate_segments`` is the one check every path goes through (the API's
JSON, an uploaded file, the page); it raises ``TranscriptError`` with a message per field, named like
``segments.3.end``, which the API answers as 400.

Speaker labels: WebVTT voice spans (``<v Dr Lee>text</v>``, also ``<v.loud Dr Lee>``); SRT and VTT lines that
start with a short label and a colon (``DR LEE: text``). Parsers are small and strict: the file must be UTF-8,
without NUL, a subtitle file's lines at most ``MAX_LINE_CHARS``, and every timestamp well formed with end >= start.
"""

import math
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from myApp.lib import json_input
from myApp.lib.text import BIDI_CONTROLS
from myApp.lib.timestamps import session_clock
from myApp.sessions.models.clinical import SENTENCE_TEXT_MAX, SPEAKER_MAX

MAX_SEGMENTS = 5_000
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_LINE_CHARS = 10_000
MAX_END_SECONDS = 24 * 60 * 60  # a session is shorter than a day
DEFAULT_SPEAKER = "unknown"
FORMATS = ("vtt", "srt", "json")
SEGMENT_FIELDS = frozenset({"start", "end", "text", "speaker", "confidence"})
# A segment's unknown fields named one by one, at most (a segment of 100,000 keys answers 11 messages, not 100,000).
MAX_UNKNOWN_REPORTED = 10


class TranscriptError(ValueError):
    """Input that is not a valid transcript; ``errors`` maps field names to messages."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


@dataclass(frozen=True)
class Segment:
    start_ms: int
    end_ms: int
    text: str
    speaker: str
    confidence: float | None


# --- Validation ---------------------------------------------------------------------------------------------------


def _control_characters(text: str) -> bool:
    return any((unicodedata.category(char) == "Cc" and char not in "\n\t") or char in BIDI_CONTROLS for char in text)


def _seconds(value: Any, name: str, errors: dict[str, list[str]]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors.setdefault(name, []).append("A number of seconds is required.")
        return None
    if (isinstance(value, float) and not math.isfinite(value)) or not 0 <= value <= MAX_END_SECONDS:
        errors.setdefault(name, []).append(f"Must be between 0 and {MAX_END_SECONDS} seconds.")
        return None
    return round(value * 1000)


def _text(value: Any, name: str, errors: dict[str, list[str]], *, max_chars: int, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        errors.setdefault(name, []).append("Text is required." if value is None else "Must be text.")
        return None
    value = " ".join(value.split()) if name.endswith("speaker") else value.strip()
    if required and not value:
        errors.setdefault(name, []).append("Must not be blank.")
    elif len(value) > max_chars:
        errors.setdefault(name, []).append(f"At most {max_chars} characters.")
    elif _control_characters(value) or json_input.text_problem(value):
        errors.setdefault(name, []).append(
            "Must not contain control characters (bidirectional overrides included) or invalid Unicode."
        )
    else:
        return value
    return None


def _confidence(value: Any, name: str, errors: dict[str, list[str]]) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        errors.setdefault(name, []).append("Must be a number from 0 to 1.")
        return None
    return float(value)


def validate_segments(
    segments: Any, *, after_ms: int = 0, room: int = MAX_SEGMENTS, stored_at_start: Collection[Segment] = ()
) -> list[Segment]:
    """Segments as sentences to store, in order, or ``TranscriptError`` naming every bad field.

    Each segment ends at or after its start; each starts at or after the one before (and at or after
    ``after_ms``, where an appended transcript must continue); at most ``room`` segments, each with text.
    ``stored_at_start``: the transcript's sentences that start at ``after_ms``. A segment the same as one of them
    (times, speaker and text) is refused: sending the last part of a transcript again would store it twice."""
    if not isinstance(segments, list):
        raise TranscriptError("Invalid transcript.", {"segments": ["Must be a list of segments."]})
    if not segments:
        raise TranscriptError("Invalid transcript.", {"segments": ["At least one segment is required."]})
    if len(segments) > room:
        raise TranscriptError(
            "Invalid transcript.",
            {"segments": [f"At most {room} segments (more would pass the limit of {MAX_SEGMENTS} sentences)."]},
        )
    errors: dict[str, list[str]] = {}
    valid: list[Segment] = []
    # A set, not a scan per segment: 2,500 sentences at one start and 2,500 sent took 1.1 s of CPU (attack review).
    stored_keys = {_sentence_key(stored) for stored in stored_at_start}
    previous_start = after_ms
    bound_by_transcript = True  # ``previous_start`` is still the transcript's last sentence, not a segment's
    for index, raw in enumerate(segments):
        name = f"segments.{index}"
        if not isinstance(raw, dict):
            errors[name] = ["Must be an object with start, end and text."]
            continue
        errors_before = len(errors)  # every key below is this segment's own: more keys, a bad segment
        unknown = sorted(set(raw) - SEGMENT_FIELDS)
        for key in unknown[:MAX_UNKNOWN_REPORTED]:
            errors[f"{name}.{key}"] = ["Unknown field."]
        if len(unknown) > MAX_UNKNOWN_REPORTED:
            errors[name] = [f"{len(unknown)} unknown fields (the first {MAX_UNKNOWN_REPORTED} are named)."]
        start = _seconds(raw.get("start"), f"{name}.start", errors)
        end = _seconds(raw.get("end"), f"{name}.end", errors)
        text = _text(raw.get("text"), f"{name}.text", errors, max_chars=SENTENCE_TEXT_MAX, required=True)
        speaker = _text(raw.get("speaker"), f"{name}.speaker", errors, max_chars=SPEAKER_MAX, required=False)
        confidence = _confidence(raw.get("confidence"), f"{name}.confidence", errors)
        if start is not None and end is not None and end < start:
            errors.setdefault(f"{name}.end", []).append("Must not be before start.")
        if start is not None:
            if start < previous_start:
                where = (
                    f"the transcript's last sentence, which starts at {session_clock(after_ms)}"
                    if bound_by_transcript
                    else "the previous segment"
                )
                errors.setdefault(f"{name}.start", []).append(f"Must not be before {where} (segments in order).")
            else:
                bound_by_transcript = False
            previous_start = max(previous_start, start)
        if len(errors) == errors_before:
            segment = Segment(start, end, text, speaker or DEFAULT_SPEAKER, confidence)
            if _sentence_key(segment) in stored_keys:
                errors[name] = [
                    f"Already in the transcript (at {session_clock(start)}): appending it again would store it twice."
                ]
                continue
            valid.append(segment)
    if errors:
        raise TranscriptError("Invalid transcript.", errors)
    return valid


def _sentence_key(segment: Segment) -> tuple:
    """What makes two sentences the same one (the confidence aside)."""
    return (segment.start_ms, segment.end_ms, segment.speaker, segment.text)


# --- Files --------------------------------------------------------------------------------------------------------

_VTT_TIME = r"(?:(\d{1,3}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_SRT_TIME = r"(\d{1,3}):([0-5]\d):([0-5]\d)[,.](\d{3})"
_VTT_TIMING = re.compile(rf"^{_VTT_TIME}\s+-->\s+{_VTT_TIME}(?:\s+.*)?$")
_SRT_TIMING = re.compile(rf"^{_SRT_TIME}\s+-->\s+{_SRT_TIME}(?:\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^<>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>|<\d{1,3}:[^<>]*>")
_LABEL = re.compile(r"^\s*([A-Za-z][\w .'-]{0,39}?)\s*:\s+(\S.*)$")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " ", "&lrm;": "", "&rlm;": ""}


def _decoded(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise TranscriptError("File too large.", {"file": [f"At most {MAX_FILE_BYTES // (1024 * 1024)} MB."]})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TranscriptError("Unreadable file.", {"file": ["Must be UTF-8 text."]}) from None
    if "\x00" in text:
        raise TranscriptError("Unreadable file.", {"file": ["Must not contain NUL characters."]})
    return text


def _lines(data: bytes) -> list[str]:
    """A subtitle file's lines (WebVTT, SRT), each at most ``MAX_LINE_CHARS``. JSON has no such bound: tools
    write it on one line, and ``json_input`` bounds its nesting."""
    lines = _decoded(data).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            raise TranscriptError(
                "Invalid file.", {"file": [f"Line {number} is longer than {MAX_LINE_CHARS} characters."]}
            )
    return lines


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with its first line's number."""
    blocks, current, first = [], [], 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                first = number
            current.append(line)
        elif current:
            blocks.append((first, current))
            current = []
    if current:
        blocks.append((first, current))
    return blocks


def _ms(groups: tuple) -> int:
    hours, minutes, seconds, millis = (int(group or 0) for group in groups)
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def _speaker_and_text(lines: list[str], *, voice: bool) -> tuple[str | None, str]:
    joined = " ".join(line.strip() for line in lines)
    speaker = None
    if voice and (match := _VOICE.search(joined)):
        speaker = match.group(1).strip()
    text = _TAG.sub("", joined)
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    text = " ".join(text.split())
    if speaker is None and (match := _LABEL.match(text)) and _looks_like_a_name(match.group(1)):
        speaker, text = match.group(1).strip(), match.group(2).strip()
    return speaker, text


def _looks_like_a_name(label: str) -> bool:
    """``DR LEE``, ``Dr Lee``, ``Client``, ``Speaker 1``: at most four words, each capitalised or a number; so
    an ordinary sentence with a colon (``I said: no``) keeps its words."""
    words = label.split()
    return 0 < len(words) <= 4 and all(word[0].isupper() or word[0].isdigit() for word in words)


def _segment(start_ms: int, end_ms: int, speaker: str | None, text: str) -> dict:
    return {"start": start_ms / 1000, "end": end_ms / 1000, "text": text, "speaker": speaker}


def _cue(number: int, lines: list[str], timing: re.Pattern, *, voice: bool) -> dict:
    match = timing.match(lines[0].strip())
    if match is None:
        raise TranscriptError("Invalid file.", {"file": [f"Line {number}: expected a timing line (start --> end)."]})
    groups = match.groups()
    start_ms, end_ms = _ms(groups[:4]), _ms(groups[4:])
    if end_ms < start_ms:
        raise TranscriptError("Invalid file.", {"file": [f"Line {number}: the cue ends before it starts."]})
    speaker, text = _speaker_and_text(lines[1:], voice=voice)
    return _segment(start_ms, end_ms, speaker, text)


def parse_vtt(data: bytes) -> list[dict]:
    lines = _lines(data)
    if not lines or not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
        raise TranscriptError("Invalid file.", {"file": ["A WebVTT file starts with the line WEBVTT."]})
    segments = []
    for number, block in _blocks(lines)[1:]:  # the first block is the header
        head = block[0].strip()
        if head.startswith(("NOTE", "STYLE", "REGION")):
            continue
        if "-->" not in head:  # a cue identifier first
            number, block = number + 1, block[1:]
            if not block:
                raise TranscriptError("Invalid file.", {"file": [f"Line {number - 1}: a cue without timing."]})
        segments.append(_cue(number, block, _VTT_TIMING, voice=True))
        _check_count(segments)
    return segments


def parse_srt(data: bytes) -> list[dict]:
    segments = []
    for number, block in _blocks(_lines(data)):
        if block[0].strip().isdigit():
            number, block = number + 1, block[1:]
        if not block:
            raise TranscriptError("Invalid file.", {"file": [f"Line {number - 1}: a subtitle without timing."]})
        segments.append(_cue(number, block, _SRT_TIMING, voice=False))
        _check_count(segments)
    if not segments:
        raise TranscriptError("Invalid file.", {"file": ["No subtitles found."]})
    return segments


def parse_json(data: bytes) -> list[dict]:
    text = _decoded(data)
    try:
        document = json_input.loads(text)
    except json_input.JSONInputError as error:
        raise TranscriptError("Invalid file.", {"file": [error.message]}) from None
    except ValueError as error:
        raise TranscriptError("Invalid file.", {"file": [f"Not JSON: {error}"]}) from None
    segments = document.get("segments") if isinstance(document, dict) else document
    if not isinstance(segments, list):
        raise TranscriptError("Invalid file.", {"file": ['Expected a list of segments or {"segments": [...]}.']})
    _check_count(segments)
    # Speech-to-text tools write more per segment (ids, tokens, log-probabilities): a file keeps what a sentence
    # holds. The API's own JSON is strict instead (an unknown field there is a client's mistake).
    return [
        {key: value for key, value in segment.items() if key in SEGMENT_FIELDS}
        if isinstance(segment, dict)
        else segment
        for segment in segments
    ]


def _check_count(segments: list) -> None:
    if len(segments) > MAX_SEGMENTS:
        raise TranscriptError("Invalid file.", {"file": [f"At most {MAX_SEGMENTS} segments."]})


PARSERS = {"vtt": parse_vtt, "srt": parse_srt, "json": parse_json}


def file_format(name: str, declared: str | None) -> str:
    """The format a file is in: the one declared, else its name's extension."""
    if declared:
        return declared
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in PARSERS:
        return extension
    raise TranscriptError("Unknown format.", {"format": [f"Say which format: one of {', '.join(FORMATS)}."]})


def parse_file(data: bytes, *, name: str = "", declared: str | None = None) -> list[dict]:
    return PARSERS[file_format(name, declared)](data)


def segments_from_upload(upload, *, declared: str | None = None) -> list[dict]:
    """An uploaded file's segments (the API's and the page's uploads): its size checked before it is read."""
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        raise TranscriptError("File too large.", {"file": [f"At most {MAX_FILE_BYTES // (1024 * 1024)} MB."]})
    return parse_file(upload.read(MAX_FILE_BYTES + 1), name=upload.name or "", declared=declared)
