"""Per-sentence analysis (keywords, sentiment, emotion scores), its bounds (empty, NUL, 1 MB, too many
sentences), that it works with the network refused, and the aggregations the selectors will use."""

import json
import os
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from myApp.sessions.clinical.analysis import (
    EMOTIONS,
    MAX_SENTENCE_CHARS,
    MAX_SESSION_SENTENCES,
    AnalysisRefused,
    analyse_sentence,
    analyse_session,
    emotion_summary,
    emotion_trend,
    emotions,
    keyword_filter,
    keyword_frequency,
    keywords,
    sentiment_summary,
)

ROOT = Path(__file__).resolve().parent.parent


def top_emotion(text: str) -> str:
    scores = analyse_sentence(text).emotion_scores
    return max(scores, key=scores.get)


# --- Sentiment --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("I had a wonderful week and I feel really hopeful.", 1),
        ("The weekend with my sister was lovely, we laughed a lot.", 1),
        ("I feel awful, everything is going wrong and I hate it.", -1),
        ("I was so sad and lonely after the funeral.", -1),
        ("The appointment is on Tuesday at ten.", 0),
    ],
)
def test_it_gives_sentiment_its_sign(text, sign):
    score = analyse_sentence(text).sentiment
    assert -1 <= score <= 1
    if sign > 0:
        assert score >= 0.05
    elif sign < 0:
        assert score <= -0.05
    else:
        assert -0.05 < score < 0.05


# --- Emotions ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("I was so happy and delighted when she called.", "joy"),
        ("I've been crying a lot, I feel heartbroken.", "sadness"),
        ("I was furious with him, I was yelling.", "anger"),
        ("I'm terrified of the interview, I had a panic attack.", "fear"),
        ("I was completely stunned, it came out of the blue.", "surprise"),
        ("Honestly it was disgusting, it made me sick.", "disgust"),
        ("I trust my sister, I can rely on her.", "trust"),
        ("I'm really looking forward to the trip, I can't wait.", "anticipation"),
    ],
)
def test_it_scores_the_clear_emotion_highest(text, emotion):
    assert top_emotion(text) == emotion


def test_it_scores_every_emotion_between_zero_and_one():
    scores = analyse_sentence("I'm terrified, furious, heartbroken and disgusted all at once!!!").emotion_scores
    assert list(scores) == list(EMOTIONS)
    assert all(0.0 <= value <= 1.0 for value in scores.values())
    assert scores["fear"] == 1.0


def test_a_negated_feeling_does_not_count():
    assert analyse_sentence("I am happy.").emotion_scores["joy"] == 1.0
    assert analyse_sentence("I am not happy.").emotion_scores["joy"] == 0.0
    assert analyse_sentence("I'm not really worried about it.").emotion_scores["fear"] == 0.0
    # a clause break ends the negation: the anger is stated
    assert analyse_sentence("I was not late, but I was angry.").emotion_scores["anger"] == 1.0


def test_intensifiers_softeners_inflections_and_phrases():
    assert analyse_sentence("I was pleased.").emotion_scores["joy"] == 0.7
    assert analyse_sentence("I was very pleased.").emotion_scores["joy"] == 1.0  # 0.7 x 1.5, capped
    assert analyse_sentence("I was slightly pleased.").emotion_scores["joy"] == 0.35
    assert analyse_sentence("She worries constantly.").emotion_scores["fear"] == 0.7  # "worry"
    assert analyse_sentence("I kept sobbing.").emotion_scores["sadness"] == 1.0  # "sob"
    # "panic attack" is one term (fear 1.0), not "panic" plus "attack" (anger)
    assert analyse_sentence("I had a panic attack.").emotion_scores["anger"] == 0.0


def test_the_lexicon_ships_in_the_package_with_every_emotion():
    assert emotions.LEXICON_FILE.parent == Path(emotions.__file__).parent
    counts = {emotion: 0 for emotion in EMOTIONS}
    for scores in emotions.lexicon().values():
        for emotion in scores:
            counts[emotion] += 1
    assert min(counts.values()) >= 140, counts
    assert all(0 < weight <= 1 for scores in emotions.lexicon().values() for weight in scores.values())


@pytest.mark.parametrize("bad", ["joy: happy", "[joyful]\n1.0: happy", "[joy]\nhappy, glad"])
def test_a_malformed_lexicon_is_refused(bad):
    with pytest.raises(ValueError):
        emotions.parse_lexicon(bad)


# --- Keywords ---------------------------------------------------------------------------------------------

SENTENCE = "My manager keeps giving me impossible deadlines and the project review is next Friday."


def test_keywords_are_deterministic_and_lower_case():
    first = analyse_sentence(SENTENCE).keywords
    keywords.reset_extractor()  # a new extractor gives the same answer
    assert analyse_sentence(SENTENCE).keywords == first
    assert 1 <= len(first["term"]) <= keywords.MAX_KEYWORDS
    assert set(first["score"]) == set(first["term"])
    assert all(term == term.lower() for term in first["term"])
    assert "project review" in first["term"]
    assert [first["score"][term] for term in first["term"]] == sorted(first["score"].values())


def test_keyword_filter_is_contained_in_the_document_of_a_sentence_that_names_the_term():
    document = analyse_sentence(SENTENCE).keywords
    wanted = keyword_filter("Project  Review")
    assert wanted == {"term": ["project review"]}
    assert set(wanted["term"]) <= set(document["term"])


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_keywords_document_answers_jsonb_containment_on_postgresql():
    document = analyse_sentence(SENTENCE).keywords
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::jsonb @> %s::jsonb, %s::jsonb @> %s::jsonb",
            [
                json.dumps(document),
                json.dumps(keyword_filter("project review")),
                json.dumps(document),
                json.dumps(keyword_filter("holiday")),
            ],
        )
        assert cursor.fetchone() == (True, False)


def test_threads_get_their_own_extractor_and_the_same_answers():
    texts = [SENTENCE, "I had a panic attack before the interview.", "We planted tomatoes in the garden."] * 20
    expected = [analyse_sentence(text).keywords for text in texts]

    together = threading.Barrier(3, timeout=30)  # three threads at once, so none is reused for two chunks

    def work(chunk: list[str]) -> tuple[int, list[dict]]:
        together.wait()
        return id(keywords.extractor()), [analyse_sentence(text).keywords for text in chunk]

    with ThreadPoolExecutor(max_workers=3) as pool:
        answers = list(pool.map(work, [texts[0::3], texts[1::3], texts[2::3]]))
    assert len({extractor_id for extractor_id, _ in answers}) == 3
    assert [answer for _, chunk in answers for answer in chunk] == expected[0::3] + expected[1::3] + expected[2::3]


@pytest.mark.parametrize(
    "text",
    ["That is a real step forward, well done.", "What would you say to a friend who told you the same thing?"],
)
def test_keywords_do_not_repeat_each_other_or_hold_stop_words(text):
    terms = analyse_sentence(text).keywords["term"]
    assert terms
    for term in terms:
        assert not [other for other in terms if other != term and f" {term} " in f" {other} "], terms
        assert not set(term.split()) & keywords.extractor().stopword_set, term


def test_fillers_are_not_keywords():
    assert analyse_sentence("Yeah, um, I mean, I just feel like, you know.").keywords["term"] == []


# --- Bounds -----------------------------------------------------------------------------------------------

EMPTY = {"term": [], "score": {}}


@pytest.mark.parametrize("text", ["", "   ", None, "\x00\x00", "...!?", "12 34"])
def test_empty_or_wordless_text_gives_empty_results(text):
    result = analyse_session([{"sequence_number": 0, "speaker": "client", "text": text}])
    (sentence,) = result.sentences
    assert sentence.keywords["term"] == [] and sentence.sentiment == 0.0
    assert set(sentence.emotion_scores.values()) == {0.0}
    assert result.insights == []


def test_nul_and_control_characters_are_removed_before_analysis():
    result = analyse_sentence("I am\x00 so\x07 happy\ttoday")
    assert result.emotion_scores["joy"] == 1.0 and result.sentiment > 0
    assert not result.truncated


def test_a_one_megabyte_sentence_is_analysed_on_its_first_part_and_marked_truncated():
    text = "I always mess things up. " + "blah " * 200_000
    assert len(text) > 1_000_000
    result = analyse_session([{"sequence_number": 0, "speaker": "client", "text": text}])
    assert result.sentences[0].truncated
    assert [insight.rule for insight in result.insights] == ["overgeneralisation"]
    assert len(result.insights[0].evidence_items[0].text) <= MAX_SENTENCE_CHARS
    assert not analyse_sentence("blah " * 10).truncated


def test_a_session_over_the_sentence_limit_is_refused():
    rows = ({"sequence_number": n, "speaker": "client", "text": "ok"} for n in range(MAX_SESSION_SENTENCES + 1))
    with pytest.raises(AnalysisRefused):
        analyse_session(rows)


def test_it_accepts_objects_with_the_fields_as_well_as_dicts():
    class Row:
        sequence_number, speaker, text = 7, "client", "I am worthless."

    result = analyse_session([Row()])
    assert result.sentences[0].sequence_number == 7
    assert result.insights[0].evidence_items[0].sequence_number == 7


# --- Offline ----------------------------------------------------------------------------------------------

OFFLINE = """
import json, socket, sys
def refuse(*args, **kwargs):
    raise OSError("the network is refused in this test")
socket.socket.connect = socket.socket.connect_ex = refuse
socket.create_connection = socket.getaddrinfo = refuse
import django
django.setup()
from myApp.sessions.clinical.analysis import analyse_session
result = analyse_session([
    {"sequence_number": 0, "speaker": "therapist", "text": "How was the week?"},
    {"sequence_number": 1, "speaker": "client", "text": "Awful. I always mess up the project review at work."},
])
print(json.dumps({
    "terms": result.sentences[1].keywords["term"],
    "sentiment": result.sentences[1].sentiment,
    "rules": [insight.rule for insight in result.insights],
    "nltk": "nltk" in sys.modules,
}))
"""


def test_it_works_with_the_network_refused():
    """A fresh process with every socket connection refused builds YAKE, VADER and the lexicon and analyses
    a session (nothing is fetched at import or at run time; YAKE's lemmatiser, which would download NLTK
    data, is never loaded)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "myProject.settings", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", OFFLINE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["terms"] and answer["sentiment"] < 0
    assert answer["rules"] == ["overgeneralisation"]
    assert answer["nltk"] is False


def test_the_analysis_probe_runs_and_prints_its_figures():
    """bench/analysis_probe.py at a tiny size, so it cannot rot (its speed is its own output, not a test)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "myProject.settings"}
    done = subprocess.run(
        [sys.executable, "bench/analysis_probe.py", "--sentences", "40", "--runs", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "sentences: 40 (20 the client's)" in done.stdout
    assert re.search(r"warm runs: median \d+\.\d\d s", done.stdout), done.stdout


# --- Aggregations -----------------------------------------------------------------------------------------


def scores(**values) -> dict:
    return {emotion: values.get(emotion, 0.0) for emotion in EMOTIONS}


def test_emotion_trend_averages_each_session_in_date_order():
    rows = [
        {"session_id": 2, "date": date(2026, 3, 8), "emotion_scores": scores(joy=0.6), "sentiment": 0.5},
        {"session_id": 1, "date": date(2026, 3, 1), "emotion_scores": scores(fear=1.0), "sentiment": -0.6},
        {"session_id": 1, "date": date(2026, 3, 1), "emotion_scores": scores(fear=0.5, joy=0.2), "sentiment": 0.2},
        {"session_id": 1, "date": date(2026, 3, 1), "emotion_scores": None, "sentiment": None},  # not analysed
        {"session_id": 3, "date": date(2026, 3, 15), "emotion_scores": None, "sentiment": None},
    ]
    trend = emotion_trend(rows)
    assert [point["session_id"] for point in trend] == [1, 2]
    first = trend[0]
    assert first["sentences"] == 2
    assert first["emotions"]["fear"] == 0.75 and first["emotions"]["joy"] == 0.1 and first["emotions"]["anger"] == 0
    assert first["sentiment"] == -0.2
    assert trend[1]["emotions"]["joy"] == 0.6 and trend[1]["sentiment"] == 0.5


def test_emotion_trend_can_count_only_the_clients_sentences():
    rows = [
        {"session_id": 1, "date": date(2026, 3, 1), "speaker": "client", "emotion_scores": scores(), "sentiment": -0.4},
        {
            "session_id": 1,
            "date": date(2026, 3, 1),
            "speaker": "therapist",
            "emotion_scores": scores(),
            "sentiment": 0.9,
        },
    ]
    assert emotion_trend(rows, speakers=["Client"])[0]["sentiment"] == -0.4
    assert emotion_trend(rows)[0]["sentiment"] == 0.25


def test_keyword_frequency_counts_sentences_per_term():
    documents = [
        {"term": ["work", "deadline"], "score": {}},
        {"term": ["work", "work"], "score": {}},  # once per sentence
        {"keywords": {"term": ["sleep", "deadline"], "score": {}}},  # a row
        None,
        {"unexpected": True},
    ]
    assert keyword_frequency(documents) == [("deadline", 2), ("work", 2), ("sleep", 1)]
    assert keyword_frequency(documents, limit=1) == [("deadline", 2)]


def test_sentiment_summary_by_hand():
    assert sentiment_summary([0.5, -0.5, 0.0, 0.04, None, -0.05]) == {
        "count": 5,
        "mean": -0.002,
        "min": -0.5,
        "max": 0.5,
        "positive": 1,
        "neutral": 2,
        "negative": 2,
    }
    assert sentiment_summary([]) == {
        "count": 0,
        "mean": None,
        "min": None,
        "max": None,
        "positive": 0,
        "neutral": 0,
        "negative": 0,
    }


def test_emotion_summary_by_hand():
    summary = emotion_summary([scores(fear=0.9, joy=0.3), scores(joy=0.3), None])
    assert summary["count"] == 2
    assert summary["means"]["fear"] == 0.45 and summary["means"]["joy"] == 0.3
    assert summary["dominant"] == "fear"
    assert emotion_summary([])["dominant"] is None
