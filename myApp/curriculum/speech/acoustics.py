"""What the audio alone tells about a talk: where the speaker spoke and paused, how varied the pitch was, how
steady the loudness. Input: 16 kHz mono 16-bit WAV (as ``intake.normalise`` makes). Output: a JSON-safe dict
(floats rounded to 2 decimals) stored in ``SpeechRecording.acoustic``.

Speech and silence (``segments``, ``pauses``):
- WebRTC's voice activity detector judges 30 ms frames at aggressiveness ``VAD_AGGRESSIVENESS`` (chosen by
  ``tests/test_speech_acoustics.py``: the most aggressive setting that still finds every inserted pause in speech
  with background hiss, and none in continuous speech). A frame counts as speech only when it is also louder than
  ``SILENCE_FLOOR_DBFS`` (no detector should hear speech in near-digital silence).
- Smoothing: a gap shorter than ``BRIDGE_SECONDS`` between speech frames is bridged (the closure before a "p" or
  "t", a breath between two words is no pause), then a speech stretch shorter than ``MIN_SPEECH_SECONDS`` is
  dropped (a click, a cough's edge).
- A pause is a silence of at least ``targets.PAUSE_MIN_SECONDS`` between two speech stretches; the silence before
  the first word and after the last is not a pause. ``pauses_per_minute`` is per minute of the talk from its
  first to its last speech (None when there was no speech).

Pitch (``pitch``, ``monotone``): Praat's autocorrelation pitch (via praat-parselmouth) every 10 ms between 75 and
500 Hz, kept only inside speech stretches. Each voiced frame is expressed in semitones from the talk's median
pitch; frames more than ``OCTAVE_JUMP_SEMITONES`` from it are octave errors of the tracker and are ignored.
``variability_semitones`` is the standard deviation of the rest, ``range_semitones`` the spread between their 5th
and 95th percentiles. With less than ``MIN_VOICED_SECONDS`` of voiced speech they are None, and so is
``monotone``; otherwise ``monotone`` is variability below ``targets.MONOTONE_BELOW_SEMITONES``.

Loudness (``loudness``, ``loudness_consistent``): the speech frames only, joined, cut into windows of
``LOUDNESS_WINDOW_SECONDS``; ``mean_db`` is the RMS level of all speech in dB below full scale, and
``variability_db`` the standard deviation of the windows' RMS levels: a talk that fades or shouts moves it, the
ordinary rise and fall of syllables inside a second does not. Fewer than ``MIN_LOUDNESS_WINDOWS`` windows: None.
``loudness_consistent`` is variability within ``targets.LOUDNESS_VARIABILITY``.
"""

import io
import itertools
import wave

import numpy as np
import webrtcvad

from myApp.curriculum.speech import targets

VERSION = 1
RATE = 16000
FRAME_SECONDS = 0.03
FRAME_SAMPLES = int(RATE * FRAME_SECONDS)
VAD_AGGRESSIVENESS = 2
SILENCE_FLOOR_DBFS = -55.0
BRIDGE_SECONDS = 0.3
MIN_SPEECH_SECONDS = 0.15
PITCH_FLOOR_HZ = 75.0
PITCH_CEILING_HZ = 500.0
PITCH_STEP_SECONDS = 0.01
OCTAVE_JUMP_SEMITONES = 12.0
MIN_VOICED_SECONDS = 1.0
LOUDNESS_WINDOW_SECONDS = 1.0
MIN_LOUDNESS_WINDOWS = 3


def _samples(wav: bytes) -> np.ndarray:
    with wave.open(io.BytesIO(wav), "rb") as reader:
        if (reader.getframerate(), reader.getnchannels(), reader.getsampwidth()) != (RATE, 1, 2):
            raise ValueError("acoustics.measure needs 16 kHz mono 16-bit WAV (intake.normalise makes it).")
        return np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2")


def _db(rms: np.ndarray | float) -> np.ndarray | float:
    return 20 * np.log10(np.maximum(rms, 1e-9) / 32768.0)


def _speech_frames(samples: np.ndarray) -> np.ndarray:
    """One bool per whole 30 ms frame: speech or not, before smoothing."""
    count = len(samples) // FRAME_SAMPLES
    frames = samples[: count * FRAME_SAMPLES].reshape(count, FRAME_SAMPLES)
    loud = _db(np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))) > SILENCE_FLOOR_DBFS
    vad = webrtcvad.Vad(VAD_AGGRESSIVENESS)
    return np.array(
        [bool(is_loud) and vad.is_speech(frame.tobytes(), RATE) for frame, is_loud in zip(frames, loud, strict=True)],
        dtype=bool,
    )


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(first, past-last) frame index of each run of True."""
    padded = np.concatenate([[False], flags, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _smooth(flags: np.ndarray) -> list[tuple[int, int]]:
    runs = _runs(flags)
    bridge = round(BRIDGE_SECONDS / FRAME_SECONDS)
    merged: list[list[int]] = []
    for start, end in runs:
        if merged and start - merged[-1][1] < bridge:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    shortest = round(MIN_SPEECH_SECONDS / FRAME_SECONDS)
    return [(start, end) for start, end in merged if end - start >= shortest]


def _r(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _pitch(samples: np.ndarray, segments: list[tuple[float, float]]) -> dict:
    empty = {"median_hz": None, "variability_semitones": None, "range_semitones": None, "voiced_seconds": 0.0}
    if not segments:
        return empty
    import parselmouth

    sound = parselmouth.Sound(samples.astype(np.float64) / 32768.0, sampling_frequency=RATE)
    pitch = sound.to_pitch_ac(time_step=PITCH_STEP_SECONDS, pitch_floor=PITCH_FLOOR_HZ, pitch_ceiling=PITCH_CEILING_HZ)
    hz = pitch.selected_array["frequency"]
    times = pitch.xs()
    inside = np.zeros(len(hz), dtype=bool)
    for start, end in segments:
        inside |= (times >= start) & (times < end)
    voiced = hz[inside & (hz > 0)]
    if len(voiced) * PITCH_STEP_SECONDS < MIN_VOICED_SECONDS:
        return {**empty, "voiced_seconds": _r(len(voiced) * PITCH_STEP_SECONDS)}
    median = float(np.median(voiced))
    semitones = 12 * np.log2(voiced / median)
    kept = semitones[np.abs(semitones) <= OCTAVE_JUMP_SEMITONES]
    low, high = np.percentile(kept, [5, 95])
    return {
        "median_hz": _r(median),
        "variability_semitones": _r(np.std(kept)),
        "range_semitones": _r(high - low),
        "voiced_seconds": _r(len(voiced) * PITCH_STEP_SECONDS),
    }


def _loudness(samples: np.ndarray, frame_runs: list[tuple[int, int]]) -> dict:
    if not frame_runs:
        return {"mean_db": None, "variability_db": None}
    speech = np.concatenate([samples[start * FRAME_SAMPLES : end * FRAME_SAMPLES] for start, end in frame_runs])
    speech = speech.astype(np.float64)
    mean_db = _db(np.sqrt(np.mean(speech**2)))
    window = int(LOUDNESS_WINDOW_SECONDS * RATE)
    count = len(speech) // window
    if count < MIN_LOUDNESS_WINDOWS:
        return {"mean_db": _r(mean_db), "variability_db": None}
    levels = _db(np.sqrt(np.mean(speech[: count * window].reshape(count, window) ** 2, axis=1)))
    return {"mean_db": _r(mean_db), "variability_db": _r(np.std(levels))}


def measure(wav: bytes) -> dict:
    """The acoustic measures of a 16 kHz mono WAV (see the module's docstring for every rule)."""
    samples = _samples(wav)
    duration = len(samples) / RATE
    frame_runs = _smooth(_speech_frames(samples))
    segments = [(start * FRAME_SECONDS, min(end * FRAME_SECONDS, duration)) for start, end in frame_runs]
    pauses = [
        {"start": _r(before[1]), "end": _r(after[0]), "seconds": _r(after[0] - before[1])}
        for before, after in itertools.pairwise(segments)
        if after[0] - before[1] >= targets.PAUSE_MIN_SECONDS
    ]
    speaking = sum(end - start for start, end in segments)
    span = segments[-1][1] - segments[0][0] if segments else 0.0
    pitch = _pitch(samples, segments)
    variability = pitch["variability_semitones"]
    loudness = _loudness(samples, frame_runs)
    loud_band = targets.LOUDNESS_VARIABILITY
    return {
        "version": VERSION,
        "duration_seconds": _r(duration),
        "speaking_seconds": _r(speaking),
        "silence_seconds": _r(duration - speaking),
        "segments": [[_r(start), _r(end)] for start, end in segments],
        "pauses": pauses,
        "pause_count": len(pauses),
        "longest_pause_seconds": max((pause["seconds"] for pause in pauses), default=0.0),
        "pauses_per_minute": _r(len(pauses) / (span / 60)) if span > 0 else None,
        "pitch": pitch,
        "monotone": None if variability is None else variability < targets.MONOTONE_BELOW_SEMITONES,
        "loudness": loudness,
        "loudness_consistent": loud_band.contains(loudness["variability_db"]),
    }
