"""Generated speech for the speech-practice tests: espeak-ng voices turned into 16 kHz mono 16-bit WAV bytes.

Everything here is made on the machine (espeak-ng, ffmpeg, praat-parselmouth); nothing is downloaded. Results are
cached per arguments, so many tests can ask for the same talk cheaply.

- ``speak(text, wpm=, pitch=, gap_ms=)``: one utterance. espeak-ng writes to a temporary file with ``-w`` (its
  ``--stdout`` WAV has placeholder sizes when piped), then ffmpeg resamples it to 16 kHz mono.
- ``silence(seconds)`` and ``concat(*wavs)``: build talks with silences at known places.
- ``with_pauses(sentences, pause_seconds=)``: sentences joined by exact silences; returns the WAV and where each
  inserted pause starts and ends (espeak's own lead-in and tail silences are trimmed first, so a pause is exactly
  the inserted silence, give or take the soft edges of the first and last phoneme).
- ``flat_and_varied(text)``: the same utterance resynthesised (Praat overlap-add) with a constant pitch and with
  an exaggerated contour (a +-6 semitone swing), for the monotone flag.
- ``convert(wav, fmt)``: the WAV as webm (Opus), ogg (Opus or Vorbis), mp3, m4a (AAC), wav, or mp4 video with the
  audio track, as a browser or phone would upload it.
- ``talk(seconds=120)``: a long talk with pauses between sentences and a known transcript, for the benchmark.
- ``with_noise(wav, snr_db=)``: the WAV with steady background hiss, as a laptop microphone adds.
"""

import functools
import io
import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np

RATE = 16000
ESPEAK = "espeak-ng"
FFMPEG = "ffmpeg"


def _read(wav: bytes) -> np.ndarray:
    with wave.open(io.BytesIO(wav), "rb") as reader:
        assert reader.getframerate() == RATE and reader.getnchannels() == 1 and reader.getsampwidth() == 2
        return np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2")


def _write(samples: np.ndarray) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(RATE)
        writer.writeframes(np.clip(samples, -32768, 32767).astype("<i2").tobytes())
    return out.getvalue()


def samples(wav: bytes) -> np.ndarray:
    """The WAV's samples as int16 (16 kHz mono)."""
    return _read(wav)


def duration(wav: bytes) -> float:
    return len(_read(wav)) / RATE


def _ffmpeg(source: bytes, suffix: str, args: list[str], out_suffix: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="speech-test-") as folder:
        src = Path(folder) / f"in{suffix}"
        dst = Path(folder) / f"out{out_suffix}"
        src.write_bytes(source)
        subprocess.run(
            [FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", str(src), *args, str(dst)],
            check=True,
            timeout=60,
        )
        return dst.read_bytes()


def to_16k_mono(data: bytes, suffix: str = ".wav") -> bytes:
    return _ffmpeg(data, suffix, ["-ac", "1", "-ar", str(RATE), "-c:a", "pcm_s16le", "-f", "wav"], ".wav")


@functools.lru_cache(maxsize=256)
def speak(text: str, *, wpm: int = 160, pitch: int = 50, gap_ms: int | None = None, voice: str = "en-us") -> bytes:
    """``text`` spoken by espeak-ng at ``wpm`` words a minute and ``pitch`` (0-99), with ``gap_ms`` of extra
    silence between words when given; SSML (``<break time="1500ms"/>``) is understood. 16 kHz mono WAV."""
    args = [ESPEAK, "-v", voice, "-s", str(wpm), "-p", str(pitch), "-m"]
    if gap_ms is not None:
        args += ["-g", str(max(0, round(gap_ms / 10)))]  # espeak's word gap is in units of 10 ms
    with tempfile.TemporaryDirectory(prefix="speech-test-") as folder:
        out = Path(folder) / "speech.wav"
        subprocess.run([*args, "-w", str(out), "--stdin"], input=text.encode(), check=True, timeout=60)
        return to_16k_mono(out.read_bytes())


def silence(seconds: float) -> bytes:
    return _write(np.zeros(round(seconds * RATE), dtype=np.int16))


def concat(*wavs: bytes) -> bytes:
    return _write(np.concatenate([_read(wav) for wav in wavs]))


def trim(wav: bytes, threshold: int = 200) -> bytes:
    """The WAV without its leading and trailing near-silence (espeak pads every utterance)."""
    data = _read(wav)
    loud = np.flatnonzero(np.abs(data.astype(np.int32)) > threshold)
    if not len(loud):
        return _write(data[:0])
    return _write(data[loud[0] : loud[-1] + 1])


@functools.lru_cache(maxsize=64)
def with_pauses(
    sentences: tuple[str, ...], pause_seconds: float = 1.5, *, wpm: int = 160, lead_seconds: float = 0.5
) -> tuple[bytes, tuple[tuple[float, float], ...]]:
    """The sentences spoken one after another with exactly ``pause_seconds`` of silence between them (and
    ``lead_seconds`` before the first and after the last). Returns (wav, ((pause start, pause end), ...))."""
    parts = [silence(lead_seconds)]
    pauses = []
    position = lead_seconds
    for index, sentence in enumerate(sentences):
        spoken = trim(speak(sentence, wpm=wpm))
        parts.append(spoken)
        position += duration(spoken)
        if index < len(sentences) - 1:
            parts.append(silence(pause_seconds))
            pauses.append((round(position, 3), round(position + pause_seconds, 3)))
            position += pause_seconds
    parts.append(silence(lead_seconds))
    return concat(*parts), tuple(pauses)


def _resynthesise(wav: bytes, formula: str) -> bytes:
    import parselmouth
    from parselmouth.praat import call

    sound = parselmouth.Sound(_read(wav).astype(np.float64) / 32768.0, sampling_frequency=RATE)
    manipulation = call(sound, "To Manipulation", 0.01, 75, 600)
    tier = call(manipulation, "Extract pitch tier")
    call(tier, "Formula", formula)
    call([tier, manipulation], "Replace pitch tier")
    result = call(manipulation, "Get resynthesis (overlap-add)")
    return _write(np.round(result.values[0] * 32768.0))


@functools.lru_cache(maxsize=16)
def flat_and_varied(text: str, *, wpm: int = 150, hz: float = 120.0) -> tuple[bytes, bytes]:
    """The same utterance twice: at a constant ``hz`` (monotone), and swinging +-6 semitones around it twice
    a second (clearly varied: a standard deviation of about 4 semitones)."""
    base = speak(text, wpm=wpm)
    flat = _resynthesise(base, f"{hz}")
    varied = _resynthesise(base, f"{hz} * 2 ^ (6 * sin(2 * pi * 2 * x) / 12)")
    return flat, varied


FORMATS = {
    "wav": (".wav", ["-c:a", "pcm_s16le"]),
    "webm": (".webm", ["-c:a", "libopus", "-b:a", "32k"]),
    "ogg": (".ogg", ["-c:a", "libopus", "-b:a", "32k"]),
    "ogg-vorbis": (".ogg", ["-c:a", "libvorbis", "-q:a", "3"]),
    "mp3": (".mp3", ["-c:a", "libmp3lame", "-b:a", "64k"]),
    "m4a": (".m4a", ["-c:a", "aac", "-b:a", "64k"]),
}


@functools.lru_cache(maxsize=64)
def convert(wav: bytes, fmt: str) -> bytes:
    """The WAV encoded as ``fmt`` (see ``FORMATS``; "mp4-video" adds a small black video track)."""
    if fmt == "mp4-video":
        with tempfile.TemporaryDirectory(prefix="speech-test-") as folder:
            src = Path(folder) / "in.wav"
            dst = Path(folder) / "out.mp4"
            src.write_bytes(wav)
            seconds = f"{duration(wav):.2f}"
            subprocess.run(
                [
                    *(FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-y"),
                    *("-f", "lavfi", "-i", f"color=c=black:s=64x64:r=5:d={seconds}", "-i", str(src)),
                    *("-c:v", "mpeg4", "-c:a", "aac", "-shortest", str(dst)),
                ],
                check=True,
                timeout=60,
            )
            return dst.read_bytes()
    suffix, args = FORMATS[fmt]
    return _ffmpeg(wav, ".wav", ["-ac", "1", *args], suffix)


def with_noise(wav: bytes, *, snr_db: float = 30.0, seed: int = 7) -> bytes:
    """The WAV with white noise ``snr_db`` below the speech's RMS level, throughout (silences included)."""
    data = _read(wav).astype(np.float64)
    loud = data[np.abs(data) > 200]
    level = np.sqrt(np.mean(loud**2)) if len(loud) else 1000.0
    noise = np.random.default_rng(seed).normal(0.0, level / (10 ** (snr_db / 20)), len(data))
    return _write(np.round(data + noise))


TALK_SENTENCES = (
    "Good evening everyone, and thank you for coming tonight.",
    "I want to talk about something that scares most of us: speaking in public.",
    "Um, when I gave my first talk, my hands were shaking and my voice was flat.",
    "So I started practising every morning, for just five minutes.",
    "I recorded myself, and I listened back, which was, you know, painful at first.",
    "What I heard was a voice that rushed, and never paused to let an idea land.",
    "Slowing down felt strange, but the audience understood me better.",
    "A pause is not a failure. It gives people time to think about what you said.",
    "Basically, the habits that hold us back are small, and we can change them one at a time.",
    "First, breathe before you start. Second, look at one friendly face.",
    "Third, say less, and say it clearly, with some colour in your voice.",
    "I mean, nobody remembers a perfect talk. They remember a talk that meant something.",
    "So tonight, I would like you to try one thing: record yourself for two minutes.",
    "Then listen, and pick the one habit you want to change this week.",
)


@functools.lru_cache(maxsize=4)
def talk(seconds: float = 120.0, *, wpm: int = 150, pause_seconds: float = 0.8) -> tuple[bytes, str]:
    """A talk of about ``seconds`` (the sentences repeated until long enough) and its transcript."""
    sentences: list[str] = []
    total = 0.0
    while total < seconds:
        for sentence in TALK_SENTENCES:
            sentences.append(sentence)
            total += duration(trim(speak(sentence, wpm=wpm))) + pause_seconds
            if total >= seconds:
                break
    wav, _ = with_pauses(tuple(sentences), pause_seconds, wpm=wpm)
    return wav, " ".join(sentences)
