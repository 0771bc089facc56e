"""Aggregations over analysed sentences, as pure functions of plain rows, for the selectors to feed with
what they read (a row is a mapping or an object with the named fields).

- ``emotion_trend``: one point per session, in date order: the mean of each emotion and of sentiment
  over the session's analysed sentences (optionally only the client's);
- ``keyword_frequency``: how many sentences name each term, most frequent first;
- ``sentiment_summary``: count, mean, min, max and how many sentences are positive / neutral / negative
  (VADER's thresholds, ``sentiment.polarity``).

A sentence without analysis (``emotion_scores`` or ``sentiment`` None: not analysed yet) is left out of
the means rather than counted as neutral.
"""

from collections import Counter
from collections.abc import Iterable, Mapping

from myApp.sessions.clinical.analysis.emotions import EMOTIONS
from myApp.sessions.clinical.analysis.keywords import terms_of
from myApp.sessions.clinical.analysis.sentiment import polarity

DIGITS = 3


def _get(row, name: str, default=None):
    if isinstance(row, Mapping):
        return row.get(name, default)
    return getattr(row, name, default)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), DIGITS) if values else None


def emotion_trend(rows: Iterable, *, speakers: Iterable[str] | None = None) -> list[dict]:
    """Rows with ``session_id``, ``date``, ``emotion_scores``, ``sentiment`` (and ``speaker`` when
    ``speakers`` is given) → [{"session_id", "date", "sentences", "emotions": {emotion: mean}, "sentiment"}]
    sorted by (date, session_id). Sessions with no analysed sentence are left out."""
    wanted = {speaker.lower() for speaker in speakers} if speakers is not None else None
    sessions: dict = {}
    for row in rows:
        if wanted is not None and str(_get(row, "speaker", "")).lower() not in wanted:
            continue
        scores, score = _get(row, "emotion_scores"), _get(row, "sentiment")
        if not isinstance(scores, Mapping) and score is None:
            continue
        point = sessions.setdefault(
            _get(row, "session_id"),
            {"date": _get(row, "date"), "emotions": {emotion: [] for emotion in EMOTIONS}, "sentiment": []},
        )
        if isinstance(scores, Mapping):
            for emotion in EMOTIONS:
                point["emotions"][emotion].append(float(scores.get(emotion) or 0.0))
        if score is not None:
            point["sentiment"].append(float(score))
    points = [
        {
            "session_id": session_id,
            "date": point["date"],
            "sentences": max(len(point["sentiment"]), len(point["emotions"][EMOTIONS[0]])),
            "emotions": {emotion: _mean(values) for emotion, values in point["emotions"].items()},
            "sentiment": _mean(point["sentiment"]),
        }
        for session_id, point in sessions.items()
    ]
    return sorted(points, key=lambda point: (point["date"] is None, point["date"], str(point["session_id"])))


def keyword_frequency(documents: Iterable, *, limit: int | None = None) -> list[tuple[str, int]]:
    """Stored keywords documents (or rows with ``keywords``) → [(term, sentences naming it)], most frequent
    first, ties by term; a term counts once per sentence."""
    counts: Counter = Counter()
    for document in documents:
        if not isinstance(document, Mapping) or "term" not in document:
            document = _get(document, "keywords")
        counts.update(set(terms_of(document)))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:limit] if limit is not None else ranked


def sentiment_summary(values: Iterable[float | None]) -> dict:
    """Sentiment scores → {"count", "mean", "min", "max", "positive", "neutral", "negative"} (None when
    there is no score: mean, min and max)."""
    scores = [float(value) for value in values if value is not None]
    classes = Counter(polarity(score) for score in scores)
    return {
        "count": len(scores),
        "mean": _mean(scores),
        "min": round(min(scores), DIGITS) if scores else None,
        "max": round(max(scores), DIGITS) if scores else None,
        "positive": classes["positive"],
        "neutral": classes["neutral"],
        "negative": classes["negative"],
    }


def emotion_summary(scores: Iterable[Mapping | None]) -> dict:
    """Emotion score documents → {"count", "means": {emotion: mean}, "dominant": the highest mean or None}."""
    documents = [document for document in scores if isinstance(document, Mapping)]
    means = {emotion: _mean([float(d.get(emotion) or 0.0) for d in documents]) for emotion in EMOTIONS}
    present = {emotion: mean for emotion, mean in means.items() if mean}
    dominant = max(present, key=lambda emotion: (present[emotion], -EMOTIONS.index(emotion))) if present else None
    return {"count": len(documents), "means": means, "dominant": dominant}
