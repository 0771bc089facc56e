"""Transcript measures: fillers by their context, hedges, repeats and pace, with offsets into the text as given."""

import time

import pytest

from myApp.curriculum.speech.language import measure


def fillers(transcript: str) -> list[str]:
    return [filler["text"] for filler in measure(transcript, speaking_seconds=None)["fillers"]]


def test_it_counts_known_fillers_with_exact_offsets():
    transcript = "Um, so I was, like, really nervous, you know? Uh, I mean, it basically went fine. Hmm."
    result = measure(transcript, speaking_seconds=30)
    assert [(f["text"], f["start"], f["end"]) for f in result["fillers"]] == [
        ("Um", 0, 2),
        ("so", 4, 6),
        ("like", 14, 18),
        ("you know", 36, 44),
        ("Uh", 46, 48),
        ("I mean", 50, 56),
        ("basically", 61, 70),
        ("Hmm", 82, 85),
    ]
    assert all(transcript[f["start"] : f["end"]] == f["text"] for f in result["fillers"])
    assert result["filler_count"] == 8
    assert result["fillers_per_minute"] == 16.0
    assert all(f["time"] is None for f in result["fillers"])


@pytest.mark.parametrize(
    "transcript",
    [
        "I like pizza.",
        "I would like to thank you.",
        "I'd like to start.",
        "It looks like rain tonight.",
        "We like to practise.",
        "That sounds like a plan.",
        "Do you like it?",
        "It felt like a dream.",
    ],
)
def test_it_does_not_count_like_as_a_verb_or_a_comparison(transcript):
    assert fillers(transcript) == []


@pytest.mark.parametrize(
    ("transcript", "expected"),
    [
        ("It was, like, huge.", ["like"]),
        ("Like, I said nothing.", ["Like"]),
        ("It was like really hard.", ["like"]),
        ("And like um we left.", ["like", "um"]),
    ],
)
def test_it_counts_like_as_a_filler_when_set_off_or_before_an_intensifier(transcript, expected):
    assert fillers(transcript) == expected


def test_it_counts_so_only_at_a_clause_start():
    assert fillers("So, here is my point.") == ["So"]
    assert fillers("It went well. So I kept going!") == ["So"]
    assert fillers("Um so we began.") == ["Um", "so"]
    assert fillers("I was tired, so I left.") == []
    assert fillers("It was so good and I think so too.") == []
    assert fillers("So many people came. So far so good.") == []


def test_it_tells_you_know_and_i_mean_as_fillers_from_their_meaning():
    assert fillers("Do you know the way? As you know, we met.") == []
    assert fillers("You know the answer already.") == []
    assert fillers("It was, you know, hard.") == ["you know"]
    # Set off by commas it is a filler even after a word that would otherwise make it a question or a knowing.
    assert fillers("We should, you know, build it.") == ["you know"]
    assert fillers("We should you know the way.") == []
    assert fillers("You know, I tried.") == ["You know"]
    assert fillers("I mean it. That is what I mean. I mean to try.") == []
    assert fillers("I mean, it worked.") == ["I mean"]


def test_it_counts_drawn_out_fillers_and_always_fillers():
    assert fillers("Ummm. Uhh. Errr, erm, ahh, hmmm. Actually it literally worked.") == [
        "Ummm",
        "Uhh",
        "Errr",
        "erm",
        "ahh",
        "hmmm",
        "Actually",
        "literally",
    ]


def test_it_does_not_count_words_that_only_contain_a_filler():
    assert fillers("Umbrella, uhuru, error, hummus, ahead, summer, humble.") == []


def test_it_uses_word_timings_for_filler_times_when_given():
    transcript = "Well, um, I think so. Uh, yes."
    words = [
        {"word": "Well,", "start": 0.0, "end": 0.4},
        {"word": "um,", "start": 0.6, "end": 0.9},
        {"word": "I", "start": 1.2, "end": 1.3},
        {"word": "think", "start": 1.3, "end": 1.6},
        {"word": "so.", "start": 1.6, "end": 1.9},
        {"word": "Uh,", "start": 2.5, "end": 2.7},
        {"word": "yes.", "start": 2.9, "end": 3.2},
    ]
    result = measure(transcript, speaking_seconds=3, words=words)
    assert [(f["text"], f["time"]) for f in result["fillers"]] == [("um", 0.6), ("Uh", 2.5)]


def test_it_aligns_timings_past_words_the_transcript_does_not_have():
    transcript = "So I began. Um, then."
    words = [
        {"word": "So", "start": 0.1},
        {"word": "I", "start": 0.3},
        {"word": "really", "start": 0.4},  # the backend heard a word the learner's transcript lacks
        {"word": "began", "start": 0.7},
        {"word": "um", "start": 1.5},
        {"word": "then", "start": 2.0},
    ]
    result = measure(transcript, speaking_seconds=2, words=words)
    assert [(f["text"], f["time"]) for f in result["fillers"]] == [("So", 0.1), ("Um", 1.5)]
    unmatched = measure("Um, hello.", speaking_seconds=2, words=[{"word": "goodbye", "start": 1.0}, "junk"])
    assert unmatched["fillers"][0]["time"] is None


def test_it_finds_repeated_words():
    transcript = "It was the the best, and I I I tried. She had had enough. Bye, bye."
    result = measure(transcript, speaking_seconds=None)
    assert [(r["text"], r["start"], r["end"]) for r in result["repeats"]] == [("the the", 7, 14), ("I I I", 25, 30)]


def test_it_finds_hedges_but_not_kind_as_a_noun():
    transcript = "It was kind of good, sort of. What kind of talk? I think maybe it was a little bit long. I guess."
    result = measure(transcript, speaking_seconds=None)
    assert [h["text"] for h in result["hedges"]] == [
        "kind of",
        "sort of",
        "I think",
        "maybe",
        "a little bit",
        "I guess",
    ]
    assert result["hedge_count"] == 6
    assert "kind of" not in fillers(transcript)


def test_it_measures_pace_over_speaking_time():
    transcript = " ".join(["word"] * 150)
    assert measure(transcript, speaking_seconds=60)["words_per_minute"] == 150
    assert measure(transcript, speaking_seconds=45)["words_per_minute"] == 200
    assert measure(transcript, speaking_seconds=None)["words_per_minute"] is None
    assert measure(transcript, speaking_seconds=0)["words_per_minute"] is None
    assert measure(transcript, speaking_seconds=60)["word_count"] == 150
    assert measure("don't I'm it\u2019s", speaking_seconds=60)["word_count"] == 3


def test_it_measures_an_empty_transcript():
    for empty in ("", "   \n", "... !!"):
        assert measure(empty, speaking_seconds=20) == {
            "word_count": 0,
            "words_per_minute": None,
            "fillers": [],
            "filler_count": 0,
            "fillers_per_minute": 0.0,
            "repeats": [],
            "hedges": [],
            "hedge_count": 0,
        }
    assert measure("", speaking_seconds=None)["fillers_per_minute"] is None


def test_it_measures_a_20000_character_transcript_fast():
    sentence = "Um, so I was like, really nervous, you know? I like pizza and it was the the best, kind of. "
    transcript = (sentence * (20_000 // len(sentence) + 1))[:20_000]
    started = time.perf_counter()
    result = measure(transcript, speaking_seconds=600)
    elapsed = time.perf_counter() - started
    repetitions = 20_000 // len(sentence)
    assert result["filler_count"] >= 4 * repetitions and result["hedge_count"] >= repetitions
    assert elapsed < 0.5, elapsed


def test_it_keeps_offsets_into_odd_unicode_and_nul_bytes():
    transcript = (
        "\x00Um\x00 caf\u00e9 \U0001f3a4 \u202eso\u202c. \u00c9t\u00e9, uh\u2026 I\u2019m \u0399 like, t\u00fcr."
    )
    result = measure(transcript, speaking_seconds=10)
    assert [f["text"] for f in result["fillers"]] == ["Um", "uh", "like"]
    assert all(transcript[f["start"] : f["end"]] == f["text"] for f in result["fillers"])
    assert result["word_count"] == 9
