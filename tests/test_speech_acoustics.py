"""Speech acoustics measured on generated speech (espeak-ng) whose pace, pauses and pitch are known."""

import io
import itertools
import json
import wave

import numpy as np
import pytest

from myApp.curriculum.speech import acoustics, language, targets
from tests import speech_audio

SENTENCES = (
    "Thank you all for coming here tonight, it means a lot to me.",
    "I want to tell you a short story about my very first talk.",
    "It did not go well, but I learned a great deal from it.",
    "And that is why I am standing here in front of you today.",
)
PACE_TEXT = " ".join(speech_audio.TALK_SENTENCES[:6])
CONTINUOUS = (
    "Thank you all for coming here tonight, it means a lot to me, and I want to tell you a short story about "
    "my very first talk, which did not go well, although I learned a great deal from it"
)
# espeak-ng counts its own pauses at commas and full stops in its words-per-minute; pace here is over speaking
# time, pauses excluded, so it reads faster than asked: measured +15% at 120 and +7% at 200 words a minute
# (+22% at 100, where espeak's sentence pauses are longest). 25% covers that with a little room, and is still
# far narrower than the gap between the two paces compared.
PACE_TOLERANCE = 0.25
POSITION_TOLERANCE_SECONDS = 0.3


def gain(wav: bytes, db: float) -> bytes:
    return speech_audio.write(np.round(speech_audio.samples(wav).astype(np.float64) * 10 ** (db / 20)))


def pauses_at(measures: dict) -> list[tuple[float, float]]:
    return [(pause["start"], pause["end"]) for pause in measures["pauses"]]


def assert_pauses_found(measures: dict, expected) -> None:
    found = pauses_at(measures)
    assert len(found) == len(expected), found
    for (start, end), (want_start, want_end) in zip(found, expected, strict=True):
        assert abs(start - want_start) <= POSITION_TOLERANCE_SECONDS, (found, expected)
        assert abs(end - want_end) <= POSITION_TOLERANCE_SECONDS, (found, expected)


def floats_in(value):
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from floats_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from floats_in(item)


@pytest.fixture(scope="module")
def paused():
    return speech_audio.with_pauses(SENTENCES, 1.5)


def test_it_gives_the_slower_talk_more_speaking_time_and_a_lower_pace():
    slow, fast = speech_audio.speak(PACE_TEXT, wpm=120), speech_audio.speak(PACE_TEXT, wpm=200)
    slow_acoustic, fast_acoustic = acoustics.measure(slow), acoustics.measure(fast)
    assert slow_acoustic["speaking_seconds"] > 1.4 * fast_acoustic["speaking_seconds"]
    slow_pace = language.measure(PACE_TEXT, speaking_seconds=slow_acoustic["speaking_seconds"])["words_per_minute"]
    fast_pace = language.measure(PACE_TEXT, speaking_seconds=fast_acoustic["speaking_seconds"])["words_per_minute"]
    assert slow_pace < fast_pace
    assert slow_pace == pytest.approx(120, rel=PACE_TOLERANCE)
    assert fast_pace == pytest.approx(200, rel=PACE_TOLERANCE)


def test_it_finds_inserted_pauses_at_their_positions(paused):
    wav, expected = paused
    measures = acoustics.measure(wav)
    assert_pauses_found(measures, expected)
    assert measures["pause_count"] == 3
    assert measures["longest_pause_seconds"] == pytest.approx(1.5, abs=2 * POSITION_TOLERANCE_SECONDS)
    span = measures["segments"][-1][1] - measures["segments"][0][0]
    assert measures["pauses_per_minute"] == pytest.approx(3 / (span / 60), abs=0.01)
    for pause in measures["pauses"]:
        assert pause["seconds"] == pytest.approx(pause["end"] - pause["start"], abs=0.011)


def test_it_does_not_count_the_silence_before_the_first_word_or_after_the_last(paused):
    wav, expected = paused
    padded = speech_audio.concat(speech_audio.silence(2.5), wav, speech_audio.silence(2.5))
    measures = acoustics.measure(padded)
    assert_pauses_found(measures, [(start + 2.5, end + 2.5) for start, end in expected])
    assert measures["segments"][0][0] >= 2.5 + 0.5 - POSITION_TOLERANCE_SECONDS


@pytest.mark.parametrize("snr_db", [None, 20, 10])
def test_it_finds_no_pause_in_continuous_speech(snr_db):
    wav = speech_audio.speak(CONTINUOUS, wpm=160)
    if snr_db is not None:
        wav = speech_audio.with_noise(wav, snr_db=snr_db)
    measures = acoustics.measure(wav)
    assert measures["pauses"] == [] and measures["pause_count"] == 0 and measures["longest_pause_seconds"] == 0
    assert measures["pauses_per_minute"] == 0
    assert measures["speaking_seconds"] > 0.8 * (measures["segments"][-1][1] - measures["segments"][0][0])


# The conditions the detector's aggressiveness was chosen on: inserted pauses in clean speech, in speech with
# hiss 10 dB below it (a laptop in a noisy room), and in quiet speech (25 dB down) with hiss 15 dB below that.
VAD_CONDITIONS = {
    "clean": lambda wav: wav,
    "hiss at 10 dB SNR": lambda wav: speech_audio.with_noise(wav, snr_db=10),
    "quiet speech with hiss": lambda wav: speech_audio.with_noise(gain(wav, -25), snr_db=15),
}


def detector_passes(paused) -> bool:
    wav, expected = paused
    for condition in VAD_CONDITIONS.values():
        try:
            assert_pauses_found(acoustics.measure(condition(wav)), expected)
        except AssertionError:
            return False
    noisy_continuous = speech_audio.with_noise(speech_audio.speak(CONTINUOUS, wpm=160), snr_db=10)
    return acoustics.measure(noisy_continuous)["pause_count"] == 0


@pytest.mark.parametrize("condition", list(VAD_CONDITIONS))
def test_it_finds_the_pauses_in_every_condition(condition, paused):
    wav, expected = paused
    assert_pauses_found(acoustics.measure(VAD_CONDITIONS[condition](wav)), expected)


def test_it_uses_the_only_detector_aggressiveness_that_passes_every_condition(paused, monkeypatch):
    """0 and 1 hear hiss at 10 dB SNR as speech (no pause found); 3 cuts quiet, noisy speech into pieces."""
    passing = []
    for aggressiveness in range(4):
        monkeypatch.setattr(acoustics, "VAD_AGGRESSIVENESS", aggressiveness)
        if detector_passes(paused):
            passing.append(aggressiveness)
    assert passing == [2]
    monkeypatch.undo()
    assert acoustics.VAD_AGGRESSIVENESS == 2


def test_it_flags_the_flat_voice_monotone_and_not_the_varied_one():
    flat, varied = speech_audio.flat_and_varied(CONTINUOUS)
    flat_measures, varied_measures = acoustics.measure(flat), acoustics.measure(varied)
    assert flat_measures["monotone"] is True and varied_measures["monotone"] is False
    assert flat_measures["pitch"]["variability_semitones"] < 0.5
    assert varied_measures["pitch"]["variability_semitones"] > 3
    assert varied_measures["pitch"]["range_semitones"] > 8 > flat_measures["pitch"]["range_semitones"]
    assert flat_measures["pitch"]["median_hz"] == pytest.approx(120, rel=0.03)
    assert flat_measures["pitch"]["voiced_seconds"] > 2


def test_it_ignores_octave_jumps_of_the_pitch_tracker(monkeypatch):
    """A short stretch more than an octave from the median (as a tracker's octave error reads) is left out."""
    flat = speech_audio.resynthesise(
        speech_audio.speak(CONTINUOUS, wpm=150), "if x > 1.5 and x < 1.9 then 260 else 120 fi"
    )
    assert acoustics.measure(flat)["monotone"] is True
    monkeypatch.setattr(acoustics, "OCTAVE_JUMP_SEMITONES", 100.0)
    assert acoustics.measure(flat)["monotone"] is False  # without the guard the jump alone would read as variety


def test_it_finds_no_speech_in_silence():
    measures = acoustics.measure(speech_audio.silence(3.0))
    assert measures == {
        "version": 1,
        "duration_seconds": 3.0,
        "speaking_seconds": 0.0,
        "silence_seconds": 3.0,
        "segments": [],
        "pauses": [],
        "pause_count": 0,
        "longest_pause_seconds": 0.0,
        "pauses_per_minute": None,
        "pitch": {"median_hz": None, "variability_semitones": None, "range_semitones": None, "voiced_seconds": 0.0},
        "monotone": None,
        "loudness": {"mean_db": None, "variability_db": None},
        "loudness_consistent": None,
    }


@pytest.mark.parametrize("level_db", [-60, -30])
def test_it_finds_no_speech_in_hiss_alone(level_db):
    rng = np.random.default_rng(1)
    hiss = speech_audio.write(np.round(rng.normal(0, 32768 * 10 ** (level_db / 20), 16000 * 4)))
    measures = acoustics.measure(hiss)
    assert measures["segments"] == [] and measures["speaking_seconds"] == 0


def test_it_keeps_segments_inside_the_recording_in_order(paused):
    wav, _ = paused
    measures = acoustics.measure(speech_audio.with_noise(wav, snr_db=20))
    segments = measures["segments"]
    assert segments and all(0 <= start < end <= measures["duration_seconds"] for start, end in segments)
    assert all(earlier[1] <= later[0] for earlier, later in itertools.pairwise(segments))
    assert measures["speaking_seconds"] == pytest.approx(sum(end - start for start, end in segments), abs=0.05)
    assert measures["speaking_seconds"] + measures["silence_seconds"] == pytest.approx(
        measures["duration_seconds"], abs=0.02
    )
    assert measures["duration_seconds"] == pytest.approx(speech_audio.duration(wav), abs=0.01)


def test_it_tells_a_fading_voice_from_a_steady_one():
    steady = speech_audio.speak(PACE_TEXT)
    samples = speech_audio.samples(steady).astype(np.float64)
    samples[len(samples) // 2 :] *= 10 ** (-15 / 20)
    fading = acoustics.measure(speech_audio.write(np.round(samples)))
    steady_measures = acoustics.measure(steady)
    assert steady_measures["loudness_consistent"] is True
    assert steady_measures["loudness"]["variability_db"] < targets.LOUDNESS_VARIABILITY.high
    assert fading["loudness_consistent"] is False
    assert fading["loudness"]["variability_db"] > targets.LOUDNESS_VARIABILITY.high
    assert steady_measures["loudness"]["mean_db"] > fading["loudness"]["mean_db"]


def test_it_returns_json_with_floats_rounded_to_two_places(paused):
    measures = acoustics.measure(paused[0])
    assert json.loads(json.dumps(measures)) == measures
    assert all(round(value, 2) == value for value in floats_in(measures))


def test_it_refuses_audio_that_intake_did_not_make():
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(44100)
        writer.writeframes(b"\x00\x00" * 44100)
    with pytest.raises(ValueError, match="16 kHz mono"):
        acoustics.measure(out.getvalue())
    with pytest.raises(ValueError, match="needs a WAV file"):
        acoustics.measure(b"not a wav at all")


def test_it_measures_an_empty_recording():
    measures = acoustics.measure(speech_audio.silence(0))
    assert measures["duration_seconds"] == 0 and measures["segments"] == [] and measures["monotone"] is None
