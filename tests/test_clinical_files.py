"""WebVTT, SRT and JSON transcript files: speakers, times, and 400s naming the problem for bad files."""

import json

import pytest

from myApp.sessions import transcripts
from myApp.sessions.transcripts import TranscriptError, parse_file, parse_json, parse_srt, parse_vtt
from tests.clinical_helpers import cpu_of_this_code

VTT = b"""WEBVTT - session 12

NOTE recorded in room 3

1
00:00:01.000 --> 00:00:04.500
<v Dr Lee>How has the week been?</v>

00:05.000 --> 00:09.250 align:start
<v.loud Client>I always &amp; forever mess up.</v>

00:00:10.000 --> 00:00:12.000
CLIENT: Labelled without a voice span.
"""

SRT = b"""1
00:00:01,000 --> 00:00:04,500
DR LEE: How has the week been?

2
00:00:05,000 --> 00:00:09,250
Client: I always mess everything up,
every single time.

3
00:00:10,000 --> 00:00:11,000
<i>No speaker here.</i>
"""


def test_it_reads_voice_spans_and_labels_from_webvtt():
    assert parse_vtt(VTT) == [
        {"start": 1.0, "end": 4.5, "text": "How has the week been?", "speaker": "Dr Lee"},
        {"start": 5.0, "end": 9.25, "text": "I always & forever mess up.", "speaker": "Client"},
        {"start": 10.0, "end": 12.0, "text": "Labelled without a voice span.", "speaker": "CLIENT"},
    ]


def test_it_reads_speaker_labels_and_multi_line_text_from_srt():
    assert parse_srt(SRT) == [
        {"start": 1.0, "end": 4.5, "text": "How has the week been?", "speaker": "DR LEE"},
        {"start": 5.0, "end": 9.25, "text": "I always mess everything up, every single time.", "speaker": "Client"},
        {"start": 10.0, "end": 11.0, "text": "No speaker here.", "speaker": None},
    ]


def test_it_reads_crlf_and_a_byte_order_mark():
    assert len(parse_srt(b"\xef\xbb\xbf" + SRT.replace(b"\n", b"\r\n"))) == 3


def test_it_keeps_an_ordinary_sentence_with_a_colon_whole():
    srt = b"1\n00:00:01,000 --> 00:00:02,000\nI said: no way.\n\n2\n00:00:03,000 --> 00:00:04,000\nSpeaker 2: Yes.\n"

    assert [(row["speaker"], row["text"]) for row in parse_srt(srt)] == [
        (None, "I said: no way."),
        ("Speaker 2", "Yes."),
    ]


def test_it_keeps_only_the_sentence_fields_of_a_speech_to_text_json_file():
    whisper = {
        "text": "Hi there",
        "segments": [
            {"id": 0, "seek": 0, "start": 0.0, "end": 1.2, "text": " Hi there", "tokens": [1, 2], "avg_logprob": -0.2}
        ],
    }

    assert parse_json(json.dumps(whisper).encode()) == [{"start": 0.0, "end": 1.2, "text": " Hi there"}]


def test_it_reads_json_segments_as_a_list_or_under_segments():
    one = [{"start": 0, "end": 1, "text": "Hi"}]
    assert parse_json(json.dumps(one).encode()) == one
    assert parse_json(json.dumps({"segments": one}).encode()) == one


def test_it_reads_a_json_file_written_on_one_long_line():
    """Speech-to-text tools write their JSON on one line: a long session's is far over a subtitle line's bound."""
    segments = [{"start": i, "end": i + 0.5, "text": f"Sentence number {i} of a long session."} for i in range(500)]
    data = json.dumps({"segments": segments}).encode()
    assert len(data) > transcripts.MAX_LINE_CHARS and b"\n" not in data

    assert parse_json(data) == segments


@pytest.mark.parametrize("unit", ["<a", "<1:", "<v a"])
def test_markup_that_never_closes_is_read_in_linear_time(unit):
    """A cue of unclosed '<a' (or '<1:', '<v a') made each tag pattern scan to the end from every '<': 80 KB took
    0.8 s, and a 2 MB file would have held a worker for minutes. A tag now ends its scan at the next '<'."""
    body = unit * (160_000 // len(unit))
    lines = "\n".join(body[start : start + 9_000] for start in range(0, len(body), 9_000))
    data = f"WEBVTT\n\n00:00.000 --> 00:01.000\n{lines}\n".encode()

    with cpu_of_this_code() as elapsed:
        (segment,) = parse_vtt(data)

    assert len(segment["text"]) > 100_000  # nothing taken for a tag
    assert elapsed() < 1.0, elapsed()  # near 0 s now; about 6.6 s before


def test_parsed_files_pass_the_segment_validation():
    valid = transcripts.validate_segments(parse_vtt(VTT))

    assert [(s.start_ms, s.end_ms, s.speaker) for s in valid] == [
        (1000, 4500, "Dr Lee"),
        (5000, 9250, "Client"),
        (10000, 12000, "CLIENT"),
    ]


def test_it_takes_the_format_from_the_file_name_unless_declared():
    assert parse_file(SRT, name="session.SRT")[0]["speaker"] == "DR LEE"
    with pytest.raises(TranscriptError) as caught:
        parse_file(SRT, name="session.txt")
    assert "format" in caught.value.errors


@pytest.mark.parametrize(
    ("parser", "data", "says"),
    [
        (parse_vtt, b"00:00:01.000 --> 00:00:02.000\nno header", "WEBVTT"),
        (parse_vtt, b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nbackwards", "ends before it starts"),
        (parse_vtt, b"WEBVTT\n\n00:00:01,000 --> 00:00:02.000\ncomma", "timing line"),
        (parse_vtt, b"WEBVTT\n\n00:61:01.000 --> 00:62:02.000\nminutes", "timing line"),
        (parse_srt, b"1\n00:00:01.0 --> 00:00:02,000\nshort millis", "timing line"),
        (parse_srt, b"1\nhello --> there\ntext", "timing line"),
        (parse_srt, b"", "No subtitles"),
        (parse_srt, b"1\n00:00:01,000 --> 00:00:02,000\nnul \x00 byte", "NUL"),
        (parse_srt, b"\xff\xfe not utf-8", "UTF-8"),
        (parse_srt, b"1\n00:00:01,000 --> 00:00:02,000\n" + b"x" * 1_000_000, "longer than"),
        (parse_json, b"{not json", "Not JSON"),
        (parse_json, b'{"segments": 3}', "list of segments"),
        (parse_json, b"[" * 5000 + b"]" * 5000, "levels"),
        (parse_json, b"[" * 500_000 + b"]" * 500_000, "levels"),
    ],
)
def test_it_names_the_problem_of_a_bad_file(parser, data, says):
    with pytest.raises(TranscriptError) as caught:
        parser(data)

    assert any(says in message for message in caught.value.errors["file"]), caught.value.errors


def test_it_refuses_a_file_over_the_size_limit(monkeypatch):
    monkeypatch.setattr(transcripts, "MAX_FILE_BYTES", 100)

    with pytest.raises(TranscriptError) as caught:
        parse_srt(SRT)

    assert "file" in caught.value.errors
