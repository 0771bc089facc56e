"""Sentiment of a sentence: VADER's compound score, -1 (most negative) .. +1 (most positive).

VADER is a rule-based model with its lexicon inside the package (``vader_lexicon.txt``); it reads the text
as written (capitals, "!!!", "but" and negations all count), so it gets the cleaned original text, not
the normal form. Its authors' thresholds classify a score: at least ``POSITIVE`` is positive, at most
``NEGATIVE`` negative, between them neutral.
"""

from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

POSITIVE = 0.05
NEGATIVE = -0.05


@cache
def analyzer() -> SentimentIntensityAnalyzer:
    """One analyzer per process (building it reads the lexicon files)."""
    return SentimentIntensityAnalyzer()


def sentiment(text: str) -> float:
    if not text:
        return 0.0
    return round(analyzer().polarity_scores(text)["compound"], 4)


def polarity(score: float) -> str:
    return "positive" if score >= POSITIVE else "negative" if score <= NEGATIVE else "neutral"
