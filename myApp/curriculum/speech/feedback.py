"""Feedback on a recorded talk: each measure with its value, its target band, what it means, and one suggestion.

Pure functions over the stored acoustic measures (``acoustics.measure``) and the transcript's measures
(``language.measure``, derived whenever shown, so a corrected transcript never leaves stale figures). The
suggestion depends on where the value falls: below the band, inside it, or above it; a measure that could not
be taken (no transcript, too little voiced speech) says what would make it measurable instead.
"""

from dataclasses import dataclass
from typing import Any

from myApp.curriculum.speech import targets

UNKNOWN = "Not measured"


@dataclass(frozen=True)
class MeasureFeedback:
    name: str
    label: str
    value: str  # the figure, in words ("142 words per minute"), or UNKNOWN
    band: str  # the target, in words ("110-160 words per minute"); "" when the measure has no target
    within: bool | None  # inside the target band; None when unknown or without a target
    meaning: str  # what the measure tells, one sentence
    suggestion: str  # one concrete thing to try next time


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _fmt(value: float, digits: int = 1) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text or "0"


def _seconds(value: float) -> str:
    return f"{_fmt(value)} second{'' if _fmt(value) == '1' else 's'}"


def _speaking_time(acoustic: dict) -> MeasureFeedback:
    duration = _number(acoustic.get("duration_seconds"))
    speaking = _number(acoustic.get("speaking_seconds"))
    meaning = "How much of the recording is your voice, as opposed to silence before, between and after words."
    if duration is None or speaking is None or duration <= 0:
        return MeasureFeedback(
            "speaking_time", "Speaking time", UNKNOWN, "", None, meaning, "Record again closer to the microphone."
        )
    share = speaking / duration
    value = f"{_seconds(speaking)} of speech in {_seconds(duration)} ({round(share * 100)}%)"
    if speaking < 1:
        suggestion = (
            "Almost no speech was heard: check that the right microphone is chosen and speak at arm's length from it."
        )
    elif share < 0.6:
        suggestion = (
            "Much of the take is silence: start speaking within two seconds of pressing Record, and stop the "
            "recording as soon as you finish your last sentence."
        )
    else:
        suggestion = "Good use of the time: keep starting promptly and ending on a clear final sentence."
    return MeasureFeedback("speaking_time", "Speaking time", value, "", None, meaning, suggestion)


def _pauses(acoustic: dict) -> MeasureFeedback:
    band = targets.PAUSES
    per_minute = _number(acoustic.get("pauses_per_minute"))
    count = acoustic.get("pause_count")
    meaning = (
        f"Silences of at least {_fmt(targets.PAUSE_MIN_SECONDS)} seconds between stretches of speech: a few give "
        "listeners time to take in a point; none at all sounds rushed, too many sounds hesitant."
    )
    if per_minute is None:
        return MeasureFeedback(
            band.name, band.label, UNKNOWN, band.describe(), None, meaning, "Speak for longer to measure pauses."
        )
    value = f"{_fmt(per_minute)} per minute ({count if isinstance(count, int) else 0} in all)"
    if band.low is not None and per_minute < band.low:
        suggestion = (
            "Pause on purpose: after each main point, stop for a full second and look at your audience before going on."
        )
    elif band.high is not None and per_minute > band.high:
        suggestion = (
            "Your speech breaks up often: plan your next sentence while finishing the current one, and try "
            "joining short phrases into one breath."
        )
    else:
        suggestion = "Your pauses are well spaced: keep placing them after key points rather than mid-sentence."
    return MeasureFeedback(
        band.name, band.label, value, band.describe(), band.contains(per_minute), meaning, suggestion
    )


def _longest_pause(acoustic: dict) -> MeasureFeedback:
    band = targets.LONGEST_PAUSE
    longest = _number(acoustic.get("longest_pause_seconds"))
    meaning = "The longest silence inside the talk: a long one can read as losing the thread."
    if longest is None:
        return MeasureFeedback(band.name, band.label, UNKNOWN, band.describe(), None, meaning, "Speak for longer.")
    if not acoustic.get("pause_count"):
        return MeasureFeedback(
            band.name,
            band.label,
            "No pauses",
            band.describe(),
            True,
            meaning,
            "You never stopped: allow yourself one deliberate pause before your conclusion.",
        )
    within = band.contains(longest)
    if within:
        suggestion = "No pause lost the thread: when you need time to think, a short pause like these is fine."
    else:
        suggestion = (
            "When you lose the thread, repeat your last point in one sentence instead of waiting in silence; "
            "a three-word note per point helps you find the next one."
        )
    return MeasureFeedback(band.name, band.label, _seconds(longest), band.describe(), within, meaning, suggestion)


def _pitch(acoustic: dict) -> MeasureFeedback:
    band = targets.PITCH_VARIETY
    pitch = acoustic.get("pitch") if isinstance(acoustic.get("pitch"), dict) else {}
    variability = _number(pitch.get("variability_semitones"))
    meaning = (
        "How much your voice rises and falls (the spread of its pitch in semitones): a voice that barely moves "
        "sounds flat and is harder to follow."
    )
    if variability is None:
        return MeasureFeedback(
            band.name,
            band.label,
            UNKNOWN,
            band.describe(),
            None,
            meaning,
            "Too little voiced speech to measure: speak in full sentences for at least ten seconds.",
        )
    monotone = acoustic.get("monotone")
    value = f"{_fmt(variability)} semitones" + (" (monotone)" if monotone else "")
    within = band.contains(variability)
    if not within:
        suggestion = (
            "Lift your voice on the key word of each sentence and let it fall at the full stop; try reading one "
            "sentence aloud as a question, then as an announcement."
        )
    else:
        suggestion = "Your voice moves: keep saving the biggest rise for the word you most want remembered."
    return MeasureFeedback(band.name, band.label, value, band.describe(), within, meaning, suggestion)


def _loudness(acoustic: dict) -> MeasureFeedback:
    band = targets.LOUDNESS_VARIABILITY
    loudness = acoustic.get("loudness") if isinstance(acoustic.get("loudness"), dict) else {}
    variability = _number(loudness.get("variability_db"))
    meaning = "How steady your volume is while you speak: big swings make listeners strain to catch words."
    if variability is None:
        return MeasureFeedback(band.name, band.label, UNKNOWN, band.describe(), None, meaning, "Speak for longer.")
    within = band.contains(variability)
    if within:
        suggestion = "Your volume holds steady: keep the ends of sentences as loud as their beginnings."
    else:
        suggestion = (
            "Your volume swings: keep the same distance from the microphone and breathe in before each sentence "
            "so its end does not fade."
        )
    return MeasureFeedback(
        band.name, band.label, f"varies by {_fmt(variability)} dB", band.describe(), within, meaning, suggestion
    )


def _pace(language: dict) -> MeasureFeedback:
    band = targets.PACE
    wpm = _number(language.get("words_per_minute"))
    meaning = "Words per minute of speaking time: too fast loses listeners, too slow loses their attention."
    if wpm is None:
        return MeasureFeedback(
            band.name, band.label, UNKNOWN, band.describe(), None, meaning, "Add a transcript to measure your pace."
        )
    if band.high is not None and wpm > band.high:
        suggestion = (
            f"Pause for a breath at each full stop; aim for about {_fmt(band.high - 15, 0)} words a minute by "
            "saying one sentence, breathing, then the next."
        )
    elif band.low is not None and wpm < band.low:
        suggestion = (
            f"Join words into phrases instead of stopping after each one; aim for about {_fmt(band.low + 15, 0)} "
            "words a minute by rehearsing your opening sentence until it flows."
        )
    else:
        suggestion = "Your pace is easy to follow: slow down a little more for the one sentence that matters most."
    return MeasureFeedback(
        band.name,
        band.label,
        f"{round(wpm)} words per minute",
        band.describe(),
        band.contains(wpm),
        meaning,
        suggestion,
    )


def _fillers(language: dict) -> MeasureFeedback:
    band = targets.FILLERS
    per_minute = _number(language.get("fillers_per_minute"))
    count = language.get("filler_count") or 0
    meaning = "Words like um, uh, like and you know that fill a silence without adding meaning."
    if per_minute is None:
        return MeasureFeedback(band.name, band.label, UNKNOWN, band.describe(), None, meaning, "Add a transcript.")
    words = sorted({str(item.get("text", "")).lower() for item in language.get("fillers") or [] if item.get("text")})
    value = f"{_fmt(per_minute)} per minute ({count} in all{': ' + ', '.join(words) if words else ''})"
    within = band.contains(per_minute)
    if within:
        suggestion = "Few fillers: when you feel one coming, keep replacing it with a short silent pause."
    else:
        common = f"“{words[0]}”" if len(words) == 1 else "a filler"
        suggestion = (
            f"When you feel {common} coming, close your mouth and pause instead; practise by recording the same "
            "minute again and counting them."
        )
    return MeasureFeedback(band.name, band.label, value, band.describe(), within, meaning, suggestion)


def _repeats(language: dict) -> MeasureFeedback:
    repeats = language.get("repeats") or []
    meaning = "A word said twice in a row (“the the”): usually a sign of restarting a sentence."
    if not repeats:
        return MeasureFeedback(
            "repeats",
            "Repeated words",
            "None",
            "",
            True,
            meaning,
            "No restarts: keep finishing each sentence you begin.",
        )
    examples = ", ".join(sorted({str(item.get("text", "")) for item in repeats})[:3])
    return MeasureFeedback(
        "repeats",
        "Repeated words",
        f"{len(repeats)} ({examples})",
        "",
        False,
        meaning,
        "When a sentence goes wrong, pause and start it again cleanly rather than repeating its first word.",
    )


def _hedges(language: dict) -> MeasureFeedback:
    hedges = language.get("hedges") or []
    count = language.get("hedge_count", len(hedges)) or 0
    meaning = "Phrases like “kind of”, “sort of” or “I think” that soften a point until it sounds unsure."
    if not count:
        return MeasureFeedback(
            "hedges", "Hedges", "None", "", True, meaning, "Your points sound certain: keep stating them plainly."
        )
    # Each hedge quoted as the learner wrote it (the transcript's own text at its offsets): the first time it
    # occurs, whatever the case of later ones ("I think" and "i think" are one hedge, shown as first written).
    written: dict[str, str] = {}
    for item in hedges:
        text = str(item.get("text", "")).strip()
        if text:
            written.setdefault(text.lower(), text)
    examples = ", ".join(f"“{written[key]}”" for key in sorted(written)[:3])
    return MeasureFeedback(
        "hedges",
        "Hedges",
        f"{count}{' (' + examples + ')' if examples else ''}",
        "",
        False,
        meaning,
        "Say your main point once without “kind of” or “I think”: state it, then give your reason.",
    )


def measures_from(acoustic: dict | None, language: dict | None) -> list[MeasureFeedback]:
    """Feedback for every measure the recording has: the acoustic ones when analysed, and the transcript's
    (pace, fillers, repeats, hedges) when there is a transcript."""
    rows: list[MeasureFeedback] = []
    if acoustic:
        rows += [_speaking_time(acoustic), _pauses(acoustic), _longest_pause(acoustic), _pitch(acoustic)]
        rows.append(_loudness(acoustic))
    if language:
        rows += [_pace(language), _fillers(language), _repeats(language), _hedges(language)]
    return rows


def measures_for(recording: Any, language: dict | None) -> list[MeasureFeedback]:
    """Feedback for one recording given its transcript's measures (``speech_selectors.language_measures``): only
    what it has, so no acoustic measure before its analysis has finished."""
    completed = recording.analysis_status == "completed"
    return measures_from((recording.acoustic or {}) if completed else None, language)


@dataclass(frozen=True)
class TranscriptPart:
    text: str
    kind: str  # "" plain, "filler" or "hedge"


def marked_transcript(transcript: str, language: dict | None) -> list[TranscriptPart]:
    """The transcript cut into plain text and the fillers and hedges ``language.measure`` found (by their
    character offsets), for the page to mark; the template escapes every part."""
    if not transcript:
        return []
    spans = []
    for kind, key in (("filler", "fillers"), ("hedge", "hedges")):
        for item in (language or {}).get(key) or []:
            start, end = item.get("start"), item.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(transcript):
                spans.append((start, end, kind))
    parts: list[TranscriptPart] = []
    position = 0
    for start, end, kind in sorted(spans):
        if start < position:  # overlaps one already marked
            continue
        if start > position:
            parts.append(TranscriptPart(transcript[position:start], ""))
        parts.append(TranscriptPart(transcript[start:end], kind))
        position = end
    if position < len(transcript):
        parts.append(TranscriptPart(transcript[position:], ""))
    return parts
