"""The milestone rubric (myApp.curriculum.speech.rubric): every rule, its edges, and unknown measures."""

import pytest

from myApp.curriculum.speech import rubric, targets

ALL_SELF = {name: 80 for name in rubric.ASSESSED_CRITERIA}


def acoustic(*, variability=3.0, pauses_per_minute=6.0, longest=1.0) -> dict:
    return {
        "version": 1,
        "pauses_per_minute": pauses_per_minute,
        "longest_pause_seconds": longest,
        "pitch": {"median_hz": 120.0, "variability_semitones": variability, "range_semitones": 8.0},
    }


def language(*, wpm=130.0, fillers=1.0) -> dict:
    return {"word_count": 200, "words_per_minute": wpm, "fillers_per_minute": fillers}


def scores_of(evaluation) -> dict:
    return {row.name: (row.score, row.source) for row in evaluation.criteria}


def test_it_scores_on_self_scores_alone_without_measures():
    evaluation = rubric.evaluate(
        self_scores={"clarity": 70, "structure": 75}, teacher_scores=None, acoustic=None, language=None, threshold=70
    )
    assert evaluation.score == 72  # round(72.5) as before the rubric existed
    assert evaluation.measured_average is None
    assert evaluation.passed
    assert {row.name for row in evaluation.measured} == set(rubric.MEASURED_CRITERIA)
    assert all(row.score is None for row in evaluation.measured)


def test_it_lets_a_teachers_score_replace_the_learners_criterion_by_criterion():
    evaluation = rubric.evaluate(
        self_scores={"clarity": 90, "structure": 90},
        teacher_scores={"clarity": 40, "engagement": 60},
        acoustic=None,
        language=None,
        threshold=70,
    )
    got = scores_of(evaluation)
    assert got["clarity"] == (40, "teacher")
    assert got["structure"] == (90, "self")
    assert got["engagement"] == (60, "teacher")
    assert "confidence" not in got
    assert evaluation.score == round((40 + 90 + 60) / 3)
    assert not evaluation.passed


def test_it_averages_the_assessed_and_the_measured_halves():
    evaluation = rubric.evaluate(
        self_scores={"clarity": 60}, teacher_scores=None, acoustic=acoustic(), language=language(), threshold=80
    )
    assert evaluation.measured_average == 100
    assert evaluation.assessed_average == 60
    assert evaluation.score == 80
    assert evaluation.passed


def test_measures_can_sink_a_pass_the_self_scores_alone_would_give():
    flat = acoustic(variability=0.0, pauses_per_minute=30.0, longest=9.0)
    evaluation = rubric.evaluate(
        self_scores=ALL_SELF, teacher_scores=None, acoustic=flat, language=language(wpm=250, fillers=20), threshold=70
    )
    assert [row.score for row in evaluation.measured] == [0, 0, 0, 0]
    assert evaluation.score == 40
    assert not evaluation.passed


@pytest.mark.parametrize(
    ("wpm", "expected"),
    [
        (targets.PACE.low, 100),
        (targets.PACE.high, 100),
        (135, 100),
        (targets.PACE.low - 10, 80),
        (targets.PACE.high + 25, 50),
        (targets.PACE.high + 50, 0),
        (400, 0),
        (0, 0),
    ],
)
def test_it_scores_pace_against_its_band(wpm, expected):
    assert rubric.pace_score(wpm) == expected


@pytest.mark.parametrize(
    ("per_minute", "expected"),
    [(0, 100), (targets.FILLERS.high, 100), (targets.FILLERS.high + 0.5, 95), (targets.FILLERS.high + 4, 60), (50, 0)],
)
def test_it_scores_fillers_at_or_under_the_threshold_as_full(per_minute, expected):
    assert rubric.fillers_score(per_minute) == expected


@pytest.mark.parametrize(
    ("semitones", "expected"), [(targets.PITCH_VARIETY.low, 100), (6.0, 100), (1.0, 50), (0.0, 0), (-1.0, 0)]
)
def test_it_scores_pitch_variety_in_proportion_below_the_band(semitones, expected):
    assert rubric.pitch_variety_score(semitones) == expected


@pytest.mark.parametrize(
    ("rate", "longest", "expected"),
    [
        (targets.PAUSES.low, targets.LONG_PAUSE_SECONDS, 100),
        (targets.PAUSES.high, 0.0, 100),
        (0.0, 0.0, 80),  # two a minute under the band
        (targets.PAUSES.high + 3, 1.0, 70),
        (6.0, targets.LONG_PAUSE_SECONDS + 2, 80),
        (6.0, None, 100),
        (40.0, 20.0, 0),
    ],
)
def test_it_scores_pauses_on_their_rate_and_the_longest(rate, longest, expected):
    assert rubric.pauses_score(rate, longest) == expected


def test_unknown_measures_neither_help_nor_hurt():
    no_transcript = rubric.evaluate(
        self_scores={"clarity": 50},
        teacher_scores=None,
        acoustic=acoustic(variability=1.0),  # pitch 50, pauses 100
        language={"word_count": 0, "words_per_minute": None, "fillers_per_minute": None},
        threshold=60,
    )
    got = scores_of(no_transcript)
    assert got["pace"] == (None, "measured") and got["fillers"] == (None, "measured")
    assert no_transcript.measured_average == 75
    assert no_transcript.score == round((50 + 75) / 2)


def test_it_ignores_measures_that_are_not_numbers():
    weird = {"pauses_per_minute": "many", "pitch": "high", "longest_pause_seconds": True}
    evaluation = rubric.evaluate(
        self_scores={"clarity": 65}, teacher_scores=None, acoustic=weird, language={}, threshold=65
    )
    assert evaluation.measured_average is None
    assert evaluation.score == 65 and evaluation.passed


def test_it_ignores_invalid_or_unknown_scores():
    evaluation = rubric.evaluate(
        self_scores={"clarity": 70, "humour": 100, "structure": 101},
        teacher_scores={"confidence": True, "pacing": -1},
        acoustic=None,
        language=None,
        threshold=70,
    )
    assert [row.name for row in evaluation.assessed] == ["clarity"]
    assert evaluation.score == 70


def test_nothing_to_score_is_not_a_pass():
    evaluation = rubric.evaluate(self_scores={}, teacher_scores=None, acoustic=None, language=None, threshold=0)
    assert evaluation.score == 0
    assert not evaluation.passed


def test_it_passes_exactly_at_the_threshold():
    at = rubric.evaluate(self_scores={"clarity": 70}, teacher_scores=None, acoustic=None, language=None, threshold=70)
    under = rubric.evaluate(
        self_scores={"clarity": 69}, teacher_scores=None, acoustic=None, language=None, threshold=70
    )
    assert at.passed and not under.passed


def test_the_rules_shown_to_the_learner_name_the_bands():
    text = " ".join(rubric.RULES)
    for band in (targets.PACE, targets.FILLERS, targets.PITCH_VARIETY, targets.PAUSES):
        assert band.describe() in text
    assert all(
        row.rule
        for row in rubric.evaluate(
            self_scores=ALL_SELF, teacher_scores=None, acoustic=None, language=None, threshold=1
        ).criteria
    )
