"""Spoken replies: espeak-ng's WAV with real RIFF/data sizes, and only the opening of a long answer spoken."""

import base64
import io
import struct
import wave

import pytest
from django.test import override_settings

from myApp.sessions import audio
from myApp.sessions.audio import AudioUnavailable, _binary, _voices, spoken_part, synthesize, voice_for
from myApp.sessions.models import Message
from tests.factories import KnowledgeBlockFactory

SENTENCE = "Slow breathing with a long exhale settles the body before you speak to a room. "


def chunks(wav: bytes) -> dict[bytes, tuple[int, int]]:
    """The RIFF file's chunks as {id: (declared size, bytes actually present after the header)}."""
    assert wav[:4] == b"RIFF" and wav[8:12] == b"WAVE"
    found, offset = {}, 12
    while offset + 8 <= len(wav):
        chunk_id, size = wav[offset : offset + 4], struct.unpack("<I", wav[offset + 4 : offset + 8])[0]
        found[chunk_id] = (size, len(wav) - offset - 8)
        offset += 8 + size + size % 2
    return found


def assert_honest_wav(wav: bytes) -> float:
    """RIFF and data sizes match the bytes; ``wave`` reads a frame count that fits the data. Returns seconds."""
    assert struct.unpack("<I", wav[4:8])[0] == len(wav) - 8
    data_size, present = chunks(wav)[b"data"]
    assert data_size == present
    with wave.open(io.BytesIO(wav)) as reader:
        frames, frame_size, rate = (
            reader.getnframes(),
            reader.getnchannels() * reader.getsampwidth(),
            reader.getframerate(),
        )
        assert frames * frame_size == data_size
        assert len(reader.readframes(frames + 1)) == data_size
    return frames / rate


def chat_with_audio(client, message: str, **extra):
    response = client.post("/api/chat-with-audio", {"message": message, **extra})
    assert response.status_code == 200, response.json()
    return response.json()


# --- through the API ----------------------------------------------------------------------


def test_it_returns_a_wav_whose_header_tells_its_real_length(api_as, owner):
    reply = chat_with_audio(api_as(owner), "Hello", language="en-IN")
    wav = base64.b64decode(reply["audio_data"])
    seconds = assert_honest_wav(wav)
    assert 0.5 < seconds < 10  # "Hello! Ask me about speaking skills, your lessons or courses." is a few seconds
    assert reply["metadata"] == {
        "language": "en-IN",
        "engine": "espeak-ng",
        "format": "audio/wav",
        "size_bytes": len(wav),
        "duration_seconds": round(seconds, 3),
        "spoken_characters": len(reply["answer"]),
        "truncated": False,
    }
    assert Message.objects.filter(conversation__session_id=reply["session_id"]).count() == 2


def test_it_describes_the_audio_as_the_synthesiser_does(api_as, owner):
    reply = chat_with_audio(api_as(owner), "Hello", language="en-GB")

    speech = synthesize(reply["answer"], "en-GB")

    assert reply["metadata"] == speech.metadata
    assert base64.b64decode(reply["audio_data"]) == speech.wav


def test_it_speaks_only_the_opening_of_a_long_answer(api_as, owner):
    KnowledgeBlockFactory(title="Breathing before you speak", summary=SENTENCE * 5, body=SENTENCE * 8)
    reply = chat_with_audio(api_as(owner), "breathing exhale")
    answer, metadata = reply["answer"], reply["metadata"]
    assert len(answer) > audio.MAX_SPOKEN_CHARS + 200  # the text answer stays complete
    assert metadata["truncated"] is True
    assert 200 < metadata["spoken_characters"] <= audio.MAX_SPOKEN_CHARS
    assert answer[: metadata["spoken_characters"]].endswith(".")  # cut at a sentence end
    seconds = assert_honest_wav(base64.b64decode(reply["audio_data"]))
    assert seconds == pytest.approx(metadata["duration_seconds"], abs=0.001)
    assert 10 < seconds <= audio.MAX_SPOKEN_SECONDS
    assert Message.objects.get(role="assistant").content == answer


def test_it_answers_503_and_keeps_the_text_when_speech_is_unavailable(api_as, owner):
    with override_settings(ESPEAK_BINARY="espeak-ng-not-installed"):
        response = api_as(owner).post("/api/chat-with-audio", {"message": "Hi, my name is Alice"})
    assert response.status_code == 503
    body = response.json()
    assert set(body) == {"detail", "errors", "answer", "session_id"}
    assert "espeak-ng" in body["detail"] and body["errors"] == {}
    saved = Message.objects.filter(conversation__session_id=body["session_id"])
    assert list(saved.values_list("role", "content")) == [
        ("user", "Hi, my name is Alice"),
        ("assistant", body["answer"]),
    ]


# --- the synthesiser ------------------------------------------------------------------------


def test_it_synthesises_an_honest_wav():
    speech = synthesize("Take a slow breath.", "en")
    assert assert_honest_wav(speech.wav) == pytest.approx(speech.duration_seconds, abs=0.001)
    assert (speech.spoken_characters, speech.truncated) == (len("Take a slow breath."), False)
    assert base64.b64decode(speech.base64) == speech.wav


def test_it_never_reads_an_answer_as_options():
    speech = synthesize("--version -v xx", "en")
    assert assert_honest_wav(speech.wav) > 0.5


def test_it_caps_the_audio_whatever_the_pace(monkeypatch):
    monkeypatch.setattr(audio, "MAX_SPOKEN_SECONDS", 1.5)
    speech = synthesize(SENTENCE * 2, "en")  # about ten seconds of speech
    assert speech.truncated is True
    assert assert_honest_wav(speech.wav) == pytest.approx(1.5, abs=0.001)


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Short answer.", "Short answer."),
        ("One. " + "x" * 600, ("One. " + "x" * 600)[:500]),  # no usable sentence or word end: a hard cut
        ("First sentence here. " * 30, ("First sentence here. " * 23).rstrip()),
        ("Is it? Yes! " + "word " * 200, None),
        ("word " * 60 + "\n" + "y" * 600, ("word " * 60).rstrip()),  # a line break ends a sentence
        ("Was it \u201cdone.\u201d " * 40, ("Was it \u201cdone.\u201d " * 33).rstrip()),
        ("\u4f60\u597d\u3002" * 200, "\u4f60\u597d\u3002" * 166),
        ("z" * 700, "z" * 500),
    ],
)
def test_it_cuts_a_long_answer_at_a_sentence_end(text, spoken):
    part = spoken_part(text)
    assert len(part) <= audio.MAX_SPOKEN_CHARS
    assert text.startswith(part)
    if spoken is not None:
        assert part == spoken
    else:
        assert part.endswith("word")  # no sentence end late enough: the last whole word


@pytest.mark.parametrize(
    ("language", "prefix"),
    [
        ("en", "en"),
        ("en-IN", "en"),
        ("en_GB", "en-gb"),
        ("fr", "fr"),
        ("fr-CA", "fr"),
        ("xx-unknown", "en"),
        ("", "en"),
    ],
)
def test_it_picks_a_voice_for_the_language(language, prefix):
    voices = _voices(_binary())
    voice = voice_for(language, voices)
    assert voice in voices
    assert voice.startswith(prefix)


def test_it_says_audio_is_unavailable_without_espeak(db):
    with override_settings(ESPEAK_BINARY="/nonexistent/espeak-ng"), pytest.raises(AudioUnavailable) as refused:
        synthesize("Hello")
    assert refused.value.status_code == 503
    assert "espeak-ng" in str(refused.value.detail)
