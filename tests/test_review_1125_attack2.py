"""Second-round attacker review of issue 13 (speech practice): the first round's fixes attacked, each finding a
failing test."""

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.speech_helpers import talk_webm

pytestmark = pytest.mark.django_db


def stored_names() -> list[str]:
    storage = storages["recordings"]
    folders, files = storage.listdir("")
    names = list(files)
    for folder in folders:
        names += [f"{folder}/{name}" for name in storage.listdir(folder)[1]]
    return names


@pytest.fixture(autouse=True)
def _empty_recordings_storage():
    storage = storages["recordings"]
    for name in stored_names():
        storage.delete(name)


def webm():
    return SimpleUploadedFile("talk.webm", talk_webm(), content_type="audio/webm")


def test_the_ogg_truncation_check_reads_a_crafted_upload_about_once_not_thousands_of_times(tmp_path):
    """``_ogg_truncated`` runs in the web request, before ffmpeg. Bytes between pages are skipped with
    ``_next_capture``, which reads a 64 KB chunk for every skip: an upload made of tiny pages each preceded by one
    junk byte (28 bytes a page, ffprobe accepts it as OGG: "CRC mismatch", then decodes the real talk at its
    start) makes it read 64 KB per 28 bytes, about 2,300 times the file. Measured on a 20 MB upload: 3.1 s of
    the request's CPU in this check against 0.46 s for ffmpeg's whole decode (which the throttle and the upload
    limits are sized for). The check should read each byte of the file a bounded number of times."""
    from myApp.curriculum.speech import intake
    from tests import speech_audio

    talk = speech_audio.convert(speech_audio.speak("Good evening everyone. Tonight I talk about bridges."), "ogg")
    # "x", then an empty page: "OggS", version 0, flags end-of-stream, granule, serial, sequence, CRC, 0 segments.
    junk_then_page = b"x" + b"OggS" + bytes([0, 4]) + bytes(20) + bytes([0])
    assert len(junk_then_page) == 28
    path = tmp_path / "upload"
    path.write_bytes(talk + junk_then_page * 20_000)
    size = path.stat().st_size

    read = 0

    class Counting(type(path)):
        def open(self, *args, **kwargs):
            handle = super().open(*args, **kwargs)
            original = handle.read

            def counted(*a):
                nonlocal read
                data = original(*a)
                read += len(data)
                return data

            handle.read = counted
            return handle

    intake._ogg_truncated(Counting(path))

    assert read <= 4 * size, f"read {read / size:.0f} times the {size} byte file"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("scores", '{"clarity": 1e400}', "finite"),
        ("scores", '{"clarity\\u0000": 60}', "NUL"),
        ("markers", "[" + "[" * 40 + "]" * 40 + "]", "nested too deeply"),
    ],
)
def test_a_multipart_json_field_refused_by_the_json_bounds_says_why(api_as, owner, field, value, reason):
    """``lib/json_input.loads`` refuses valid JSON the server cannot keep and names the limit and the value
    (``JSONInputError``): a JSON body with ``{"scores": {"clarity": 1e400}}`` answers "Numbers must be finite." on
    ``scores.clarity``. The same value sent as a multipart JSON string (the new ``JSONObjectField`` /
    ``JSONListField``, the only way to send scores with a recording) answers only "Send a JSON object." / "Send a
    JSON list.": ``_json_text`` catches the ``JSONInputError`` as any ``ValueError`` and drops its message, so a
    client whose JSON is well formed is told its JSON is not an object and cannot tell what to fix."""
    client = api_as(owner)
    session = client.post("/api/v1/amphitheatre-sessions/hub/").json()
    form = {"exercise_key": "impromptu", "scores": '{"clarity": 60}', field: value}

    response = client.post(f"/api/v1/amphitheatre-sessions/{session['id']}/submit/", form, format="multipart")

    assert response.status_code == 400, response.content
    assert reason in response.content.decode(), response.content
