"""Issue 13's row P11: a 2-minute recorded talk analysed (intake, acoustics, language) in a few seconds.

The talk is generated on the machine (espeak-ng, ``tests/speech_audio.talk``: sentences with 0.8 s pauses and a
known transcript) and encoded as WebM/Opus, what Chrome's recorder uploads. Side A is the whole analysis a
recording gets: ``intake.normalise`` (ffprobe, ffmpeg to 16 kHz WAV), ``acoustics.measure`` and
``language.measure`` on the transcript. Side B, the baseline, is ffmpeg alone decoding the same file to the same
WAV in the same run: the least any analysis of the upload must spend. The two alternate (A B A B ...), medians
quoted. The ratio A ÷ B says how much the analysis costs beyond reading the audio; the verdict is A ≤ 5 s (the
issue asks for "a few seconds"). The note gives the real-time factor (A ÷ the talk's duration) and each stage's
median.

No data set, no database, no server: ``bash bench/run --only P11`` skips the build, and
``python -m bench.speech_probe [--runs 5] [--seconds 120]`` prints the row on its own.
"""

import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

BUDGET_SECONDS = 5.0


def _talk(seconds: float) -> tuple[bytes, str, float]:
    from tests import speech_audio

    wav, transcript = speech_audio.talk(seconds)
    return speech_audio.convert(wav, "webm"), transcript, speech_audio.duration(wav)


def _decode(webm: bytes) -> float:
    """ffmpeg decoding the upload to 16 kHz mono WAV, as intake does, from a file to a file; seconds."""
    from django.conf import settings

    with tempfile.TemporaryDirectory(prefix="bench-speech-") as folder:
        source, target = Path(folder) / "upload", Path(folder) / "out.wav"
        source.write_bytes(webm)
        began = time.perf_counter()
        subprocess.run(
            [
                *(settings.FFMPEG_BINARY, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", str(source)),
                *("-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", "-f", "wav", str(target)),
            ],
            check=True,
            timeout=120,
        )
        return time.perf_counter() - began


def _analyse(webm: bytes, transcript: str) -> dict[str, float]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from myApp.curriculum.speech import acoustics, intake, language

    stages = {}
    began = time.perf_counter()
    audio = intake.normalise(SimpleUploadedFile("talk.webm", webm, content_type="audio/webm"))
    stages["intake"] = time.perf_counter() - began
    mark = time.perf_counter()
    measures = acoustics.measure(audio.wav)
    stages["acoustics"] = time.perf_counter() - mark
    mark = time.perf_counter()
    language.measure(transcript, speaking_seconds=measures["speaking_seconds"])
    stages["language"] = time.perf_counter() - mark
    stages["total"] = time.perf_counter() - began
    stages["pauses"] = measures["pause_count"]
    return stages


def p11(runs: int, seconds: float = 120.0):
    """The row (a ``bench.measures.Row``)."""
    from bench.measures import Row

    webm, transcript, duration = _talk(seconds)
    _analyse(webm, transcript)  # warm: imports, Praat, the page cache
    _decode(webm)
    analyses, decodes = [], []
    for _ in range(max(runs, 1)):
        analyses.append(_analyse(webm, transcript))
        decodes.append(_decode(webm))
    total = statistics.median(run["total"] for run in analyses)
    decode = statistics.median(decodes)
    stage = {name: statistics.median(run[name] for run in analyses) for name in ("intake", "acoustics", "language")}
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return Row(
        "P11",
        f"speech analysis of a {duration:.0f} s talk (WebM/Opus, {len(webm) // 1024} KB, {len(transcript.split())}"
        " words): intake + acoustics + language",
        f"{total:.2f} s",
        f"{decode:.2f} s (ffmpeg decode)",
        total / decode if decode > 0 else None,
        f"A ≤ {BUDGET_SECONDS:g} s",
        total <= BUDGET_SECONDS,
        f"median of {len(analyses)} alternations; real-time factor {total / duration:.3f} (A ÷ {duration:.0f} s); "
        f"intake {stage['intake']:.2f} s, acoustics {stage['acoustics']:.2f} s, language {stage['language']:.3f} s; "
        f"{analyses[-1]['pauses']} pauses found; slowest A {max(run['total'] for run in analyses):.2f} s; "
        f"load average {load}",
    )


if __name__ == "__main__":
    import argparse

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "myProject.settings")
    import django

    django.setup()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=120.0)
    options = parser.parse_args()
    row = p11(options.runs, options.seconds)
    print(
        f"{row.id} {row.measure}: {row.a} vs {row.b} (ratio {row.ratio:.2f}; {row.target}: {row.passed}) - {row.note}"
    )
