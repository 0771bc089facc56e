"""Speech intake: an upload is judged by its content (ffprobe), converted to 16 kHz mono WAV (ffmpeg), and a
refused one leaves nothing behind."""

import io
import subprocess
import tempfile
import wave

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from myApp.curriculum.speech import intake
from myApp.curriculum.speech.intake import AudioToolsUnavailable, normalise
from myApp.lib.exceptions import ServiceError
from tests import speech_audio

SENTENCE = "Thank you all for coming tonight. I want to tell you a short story about my first talk."


@pytest.fixture(autouse=True)
def scratch(tmp_path, monkeypatch):
    """Every temporary file intake makes goes here, so that a test can see that none is left."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture(scope="module")
def speech() -> bytes:
    return speech_audio.speak(SENTENCE)


def upload(content: bytes, name: str = "talk.webm", content_type: str = "audio/webm") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(content, **kwargs) -> str:
    with pytest.raises(ServiceError) as refused:
        normalise(content if not isinstance(content, bytes) else upload(content, **kwargs))
    assert refused.value.status_code == 400 and refused.value.detail == "Invalid audio."
    assert list(refused.value.errors) == ["audio"] and len(refused.value.errors["audio"]) == 1
    return refused.value.errors["audio"][0]


def wav_facts(wav: bytes) -> tuple[int, int, int, float]:
    with wave.open(io.BytesIO(wav), "rb") as reader:
        return reader.getframerate(), reader.getnchannels(), reader.getsampwidth(), reader.getnframes() / 16000


def ffmpeg(*args: str) -> bytes:
    return subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", *args, "-"], capture_output=True, check=True
    ).stdout


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("wav", "wav"), ("webm", "webm"), ("ogg", "ogg"), ("ogg-vorbis", "ogg"), ("mp3", "mp3"), ("m4a", "m4a")],
)
def test_it_converts_every_accepted_format_to_16k_mono_wav(fmt, expected, speech, scratch):
    content = speech_audio.convert(speech, fmt)
    result = normalise(upload(content, name="whatever.bin", content_type="application/octet-stream"))
    rate, channels, width, seconds = wav_facts(result.wav)
    assert (rate, channels, width) == (16000, 1, 2)
    assert result.source_format == expected and result.source_bytes == len(content)
    # Codecs pad a few milliseconds (mp3 and aac priming), never more.
    assert abs(result.duration_seconds - speech_audio.duration(speech)) < 0.15
    assert abs(seconds - result.duration_seconds) < 0.01
    # It is the same talk: loud where the source is loud.
    level = np.abs(speech_audio.samples(result.wav).astype(np.int32)).mean()
    assert level > 0.5 * np.abs(speech_audio.samples(speech).astype(np.int32)).mean()
    assert list(scratch.iterdir()) == []


def test_it_ignores_the_name_and_content_type(speech):
    content = speech_audio.convert(speech, "mp3")
    result = normalise(upload(content, name="talk.wav", content_type="audio/wav"))
    assert result.source_format == "mp3"


def test_it_accepts_a_webm_that_declares_no_duration(speech):
    """Chrome's MediaRecorder writes WebM without a duration (a live stream): the decoded audio's is used."""
    webm = speech_audio.convert(speech, "webm")
    live = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", "-", "-c", "copy", "-live", "1", "-f", "webm", "-"],
        input=webm,
        capture_output=True,
        check=True,
    ).stdout
    result = normalise(upload(live))
    assert result.source_format == "webm"
    assert abs(result.duration_seconds - speech_audio.duration(speech)) < 0.15


def test_it_accepts_the_audio_track_of_a_video_and_discards_the_picture(speech):
    result = normalise(upload(speech_audio.convert(speech, "mp4-video"), name="talk.mp4"))
    assert result.source_format == "m4a"
    assert wav_facts(result.wav)[:3] == (16000, 1, 2)
    assert abs(result.duration_seconds - speech_audio.duration(speech)) < 0.15


def test_it_accepts_silence_only(scratch):
    result = normalise(upload(speech_audio.convert(speech_audio.silence(3.0), "ogg")))
    assert result.duration_seconds == pytest.approx(3.0, abs=0.05)
    assert not speech_audio.samples(result.wav).any()


def test_it_accepts_a_plain_file_object_and_odd_names(speech):
    content = speech_audio.convert(speech, "wav")
    handle = io.BytesIO(content)
    handle.name, handle.size = "ta\x00lk/../../etc/passwd\u202e.wav", len(content)
    handle.read(10)  # a reader left mid-file is rewound
    assert normalise(handle).source_bytes == len(content)
    assert normalise(upload(content, name="\u00e9\u00e8 \U0001f3a4 talk\x00.exe")).source_format == "wav"


def test_it_refuses_a_text_file_renamed_wav(scratch):
    message = refusal(b"Hello, this is not audio at all.\n" * 50, name="talk.wav", content_type="audio/wav")
    assert "not a recording we can read" in message and "WAV" in message
    assert list(scratch.iterdir()) == []


def test_it_refuses_an_image(scratch):
    png = ffmpeg("-f", "lavfi", "-i", "color=c=red:s=32x32:d=1", "-frames:v", "1", "-f", "image2pipe", "-c:v", "png")
    assert png[:4] == b"\x89PNG"
    assert "not a recording we can read" in refusal(png, name="talk.webm")
    assert list(scratch.iterdir()) == []


def test_it_refuses_a_playlist_without_reading_what_it_points_to(scratch, tmp_path):
    target = tmp_path / "secret.wav"
    target.write_bytes(speech_audio.convert(speech_audio.speak(SENTENCE), "wav"))
    playlist = f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile://{target}\n#EXT-X-ENDLIST\n".encode()
    assert "not a recording we can read" in refusal(playlist, name="talk.m3u8")
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize(
    "magic", [b"RIFF\x24\x00\x00\x00WAVEfmt ", b"ID3\x04\x00\x00", b"OggS\x00\x02", b"\x1aE\xdf\xa3"]
)
def test_it_refuses_garbage_behind_an_audio_magic_number(magic, scratch):
    garbage = magic + np.random.default_rng(3).integers(0, 256, 40_000, dtype=np.uint8).tobytes()
    message = refusal(garbage)
    assert any(words in message for words in ("not a recording we can read", "damaged", "no sound"))
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("fmt", ["mp3", "ogg", "webm", "m4a", "wav"])
def test_it_refuses_a_truncated_recording(fmt, scratch):
    content = speech_audio.convert(speech_audio.speak(SENTENCE + " " + SENTENCE), fmt)
    message = refusal(content[: len(content) // 3])
    assert any(words in message for words in ("incomplete", "damaged", "not a recording we can read", "at least"))
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("fmt", ["wav", "ogg", "ogg-vorbis"])
def test_it_says_a_wav_or_ogg_cut_at_a_clean_boundary_is_incomplete(fmt, scratch):
    content = speech_audio.convert(speech_audio.speak(SENTENCE + " " + SENTENCE), fmt)
    cut = len(content) // 2
    if fmt == "wav":
        cut -= cut % 2  # whole samples: nothing but the declared size tells it was cut
    else:
        cut = content.rfind(b"OggS", 0, cut)  # whole pages: nothing but the missing end-of-stream mark tells
    assert "incomplete" in refusal(content[:cut])
    assert list(scratch.iterdir()) == []


def test_it_accepts_a_wav_streamed_with_placeholder_sizes():
    """espeak-ng (and other streaming writers) piping a WAV cannot fill in its sizes: that is no truncation."""
    streamed = subprocess.run(
        ["espeak-ng", "--stdout", "--stdin"], input=SENTENCE.encode(), capture_output=True, check=True
    ).stdout
    assert int.from_bytes(streamed[40:44], "little") >= 0x7FFF0000
    result = normalise(upload(streamed))
    assert result.source_format == "wav" and result.duration_seconds > 3


def test_it_refuses_an_accepted_container_with_a_codec_it_does_not_take(scratch):
    flac_in_matroska = ffmpeg("-f", "lavfi", "-i", "sine=f=220:d=3", "-c:a", "flac", "-f", "matroska")
    message = refusal(flac_in_matroska)
    assert "encoded as flac" in message and "not accepted" in message
    assert list(scratch.iterdir()) == []


def test_it_refuses_an_empty_file(scratch):
    assert refusal(b"") == "The file is empty."
    assert list(scratch.iterdir()) == []


@override_settings(SPEECH_MAX_UPLOAD_BYTES=10_000)
def test_it_refuses_a_file_too_large_before_reading_it(speech, scratch):
    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("read although declared too large")

    handle = Unreadable(b"x")
    handle.name, handle.size = "talk.webm", 10_001
    assert "larger than" in refusal(handle)
    assert list(scratch.iterdir()) == []


@override_settings(SPEECH_MAX_UPLOAD_BYTES=10_000)
def test_it_refuses_a_file_larger_than_it_declared(speech, scratch):
    handle = io.BytesIO(speech_audio.convert(speech, "wav"))
    handle.name, handle.size = "talk.wav", 100
    assert "larger than" in refusal(handle)
    assert list(scratch.iterdir()) == []


def test_it_refuses_a_recording_too_short(scratch):
    short = speech_audio.trim(speech_audio.speak("Hello."))
    assert speech_audio.duration(short) < 2
    assert refusal(speech_audio.convert(short, "ogg")).startswith("The recording is 0.")
    assert list(scratch.iterdir()) == []


def test_it_accepts_a_recording_just_over_the_minimum():
    assert normalise(upload(speech_audio.convert(speech_audio.silence(2.1), "wav"))).duration_seconds == 2.1


@override_settings(SPEECH_MAX_SECONDS=10)
@pytest.mark.parametrize("fmt", ["wav", "webm"])
def test_it_refuses_a_recording_too_long(fmt, scratch):
    long = speech_audio.concat(speech_audio.speak(SENTENCE), speech_audio.silence(8))
    message = refusal(speech_audio.convert(long, fmt))
    assert "10 seconds" in message and ("at most" in message or "longer than" in message)
    assert list(scratch.iterdir()) == []


@override_settings(SPEECH_MAX_SECONDS=10)
def test_it_refuses_a_too_long_webm_that_declares_no_duration(scratch):
    long = speech_audio.concat(speech_audio.speak(SENTENCE), speech_audio.silence(8))
    live = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", "-", "-c:a", "libopus", "-live", "1", "-f", "webm", "-"],
        input=long,
        capture_output=True,
        check=True,
    ).stdout
    assert "longer than 10 seconds" in refusal(live)
    assert list(scratch.iterdir()) == []


def test_it_says_so_when_ffmpeg_is_missing(speech, scratch):
    with override_settings(FFPROBE_BINARY="/nonexistent/ffprobe"), pytest.raises(AudioToolsUnavailable) as missing:
        normalise(upload(speech_audio.convert(speech, "wav")))
    assert missing.value.status_code == 503
    assert list(scratch.iterdir()) == []


def test_it_runs_ffmpeg_without_a_shell_and_with_timeouts(speech, monkeypatch):
    calls = []
    real = subprocess.run

    def spy(args, **kwargs):
        calls.append((args, kwargs))
        return real(args, **kwargs)

    monkeypatch.setattr(intake.subprocess, "run", spy)
    normalise(upload(speech_audio.convert(speech, "ogg")))
    assert len(calls) == 2
    for args, kwargs in calls:
        assert isinstance(args, list) and kwargs["timeout"] > 0 and kwargs["stdin"] == subprocess.DEVNULL
        assert "-nostdin" in args or args[0].endswith("ffprobe")
        assert not kwargs.get("shell") and args[args.index("-protocol_whitelist") + 1] == "file"
