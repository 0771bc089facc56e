"""Reads over a client's sessions (seed 003's AnalyticsManager and OptimizedQueries): emotion trends, progress
metrics, the client summary. The client is fetched first through ``clinical_selectors.client_for`` (access and
audit); everything here is about that one client, in a fixed number of queries whatever the number of sessions
and sentences (SQL aggregates: the analysis package's ``aggregate`` functions give the same numbers from rows,
but would read every sentence, and would load YAKE and VADER into web workers).

What counts:
- **analysed data only**: sentences of sessions whose analysis completed (a pending re-analysis' half-new
  transcript does not count), and only the client's own speech (``scales.client_speakers``: the labels the
  analysis reads as the client), so a clinician's turns do not colour the client's trend;
- **approved insights only** in progress and the summary: drafts and rejected insights are never counted;
- nothing is stored: ``ClientProfile`` stays the clinician's planning document; these numbers are derived on
  every read from the sentences and insights they come from (seed 003 names no writer for the profile).
"""

from django.db import connection
from django.db.models import Avg, Count, FloatField, Max, Min, Q, QuerySet, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Lower

from myApp.sessions.clinical.scales import EMOTIONS, NEGATIVE, POSITIVE, client_speakers
from myApp.sessions.models import (
    Client,
    InsightStatus,
    InsightType,
    Priority,
    ProcessingStatus,
    SessionInsight,
    SessionSentence,
    SessionStatus,
    TherapySession,
)

DIGITS = 3
KEYWORDS_SHOWN = 20
APPROVED = InsightStatus.APPROVED


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


def client_sentences(client: Client) -> QuerySet[SessionSentence]:
    """The client's own analysed sentences: their speech, in sessions whose analysis completed."""
    return SessionSentence.objects.annotate(speaker_label=Lower("speaker")).filter(
        session__client=client,
        session__analysis_status=ProcessingStatus.COMPLETED,
        speaker_label__in=sorted(client_speakers(client.display_name, client.former_names)),
    )


def _emotion(emotion: str):
    return Coalesce(Cast(KeyTextTransform(emotion, "emotion_scores"), FloatField()), Value(0.0))


def emotion_trends(client: Client) -> list[dict]:
    """AnalyticsManager.get_emotion_trends, one point per analysed session in date order (one query):
    ``{"session_id", "date", "sentences", "sentiment", "emotions": {emotion: mean}}``, the means over the
    client's analysed sentences (``aggregate.emotion_trend``'s shape and numbers)."""
    rows = (
        client_sentences(client)
        .filter(emotion_scores__isnull=False)
        .values("session_id", "session__date")
        .annotate(
            sentences=Count("id"),
            mean_sentiment=Avg("sentiment"),
            **{f"mean_{emotion}": Avg(_emotion(emotion)) for emotion in EMOTIONS},
        )
        .order_by("session__date", "session_id")
    )
    return [
        {
            "session_id": row["session_id"],
            "date": row["session__date"],
            "sentences": row["sentences"],
            "sentiment": _round(row["mean_sentiment"]),
            "emotions": {emotion: _round(row[f"mean_{emotion}"]) for emotion in EMOTIONS},
        }
        for row in rows
    ]


def _approved(kind: str | None = None, *, prefix: str = "") -> Q:
    condition = Q(**{f"{prefix}status": APPROVED})
    return condition & Q(**{f"{prefix}insight_type": kind}) if kind else condition


def progress_metrics(client: Client) -> dict:
    """AnalyticsManager.get_progress_metrics and more, from approved insights only (three queries):

    - ``sessions``: each analysed session in date order with its approved insights (all, distortions, risk) and
      the client's mean sentiment;
    - ``progress``: the seed's list, approved ``progress`` insights: date, insight, confidence, recommendations;
    - ``change``: first against last analysed session: mean sentiment and approved distortions (None with fewer
      than two analysed sessions)."""
    sessions = list(
        TherapySession.objects.filter(client=client, analysis_status=ProcessingStatus.COMPLETED)
        .values("id", "date")
        .annotate(
            approved_insights=Count("insights", filter=_approved(prefix="insights__")),
            distortions=Count("insights", filter=_approved(InsightType.COGNITIVE_DISTORTION, prefix="insights__")),
            risk=Count("insights", filter=_approved(InsightType.RISK, prefix="insights__")),
        )
        .order_by("date", "id")
    )
    sentiment = {point["session_id"]: point["sentiment"] for point in emotion_trends(client)}
    points = [
        {
            "session_id": row["id"],
            "date": row["date"],
            "approved_insights": row["approved_insights"],
            "distortions": row["distortions"],
            "risk": row["risk"],
            "sentiment": sentiment.get(row["id"]),
        }
        for row in sessions
    ]
    progress = (
        SessionInsight.objects.filter(session__client=client)
        .filter(_approved(InsightType.PROGRESS))
        .order_by("session__date", "id")
        .values("session_id", "session__date", "description", "confidence", "recommendations")
    )
    return {
        "sessions": points,
        "progress": [
            {
                "session_id": row["session_id"],
                "date": row["session__date"],
                "insight": row["description"],
                "confidence": row["confidence"],
                "recommendations": row["recommendations"],
            }
            for row in progress
        ],
        "change": _change(points),
    }


def _change(points: list[dict]) -> dict | None:
    if len(points) < 2:
        return None
    first, last = points[0], points[-1]
    both = first["sentiment"] is not None and last["sentiment"] is not None
    return {
        "from_session": first["session_id"],
        "to_session": last["session_id"],
        "sentiment_change": _round(last["sentiment"] - first["sentiment"]) if both else None,
        "distortion_change": last["distortions"] - first["distortions"],
    }


def _keyword_sql(client: Client, limit: int) -> tuple[str, list]:
    ids_sql, ids_params = client_sentences(client).filter(keywords__isnull=False).values("id").query.sql_with_params()
    table = SessionSentence._meta.db_table
    if connection.vendor == "postgresql":
        terms = (
            f"FROM {table} s CROSS JOIN LATERAL jsonb_array_elements(s.keywords -> 'term') AS t(term) "
            "WHERE jsonb_typeof(s.keywords -> 'term') = 'array' AND jsonb_typeof(t.term) = 'string'"
        )
        term = "t.term #>> '{}'"
    else:
        terms = f"FROM {table} s, json_each(s.keywords, '$.term') AS t WHERE t.type = 'text'"
        term = "t.value"
    sql = (
        f"SELECT {term} AS term, COUNT(DISTINCT s.id) AS sentences {terms} AND s.id IN ({ids_sql}) "
        f"GROUP BY {term} ORDER BY sentences DESC, term LIMIT %s"
    )
    return sql, [*ids_params, limit]


def keyword_frequency(client: Client, *, limit: int = KEYWORDS_SHOWN) -> list[tuple[str, int]]:
    """How many of the client's analysed sentences name each term, most frequent first, ties by term (one
    query; ``aggregate.keyword_frequency``'s numbers)."""
    sql, params = _keyword_sql(client, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(term, count) for term, count in cursor.fetchall()]


def client_summary(client: Client) -> dict:
    """OptimizedQueries.get_client_summary (four queries): session stats, keyword frequency, the client's
    sentiment and emotions over their analysed sentences, and approved insights by type and priority."""
    stats = TherapySession.objects.filter(client=client).aggregate(
        total_sessions=Count("id"),
        avg_duration=Avg("duration_minutes"),
        last_session=Max("date"),
        completed_sessions=Count("id", filter=Q(status=SessionStatus.COMPLETED)),
        analysed_sessions=Count("id", filter=Q(analysis_status=ProcessingStatus.COMPLETED)),
    )
    stats["avg_duration"] = _round(stats["avg_duration"])
    speech = client_sentences(client).aggregate(
        count=Count("id", filter=Q(sentiment__isnull=False)),
        mean=Avg("sentiment"),
        min=Min("sentiment"),
        max=Max("sentiment"),
        positive=Count("id", filter=Q(sentiment__gte=POSITIVE)),
        negative=Count("id", filter=Q(sentiment__lte=NEGATIVE)),
        emotion_count=Count("id", filter=Q(emotion_scores__isnull=False)),
        **{f"mean_{emotion}": Avg(_emotion(emotion), filter=Q(emotion_scores__isnull=False)) for emotion in EMOTIONS},
    )
    emotions = {emotion: _round(speech[f"mean_{emotion}"]) for emotion in EMOTIONS}
    present = {emotion: mean for emotion, mean in emotions.items() if mean}
    insights = SessionInsight.objects.filter(session__client=client, status=APPROVED).aggregate(
        total=Count("id"),
        **{f"type_{kind}": Count("id", filter=Q(insight_type=kind)) for kind in InsightType.values},
        **{f"priority_{level}": Count("id", filter=Q(intervention_priority=level)) for level in Priority.values},
    )
    return {
        "session_stats": stats,
        "keyword_frequency": [{"term": term, "sentences": count} for term, count in keyword_frequency(client)],
        "sentiment": {
            "count": speech["count"],
            "mean": _round(speech["mean"]),
            "min": _round(speech["min"]),
            "max": _round(speech["max"]),
            "positive": speech["positive"],
            "neutral": speech["count"] - speech["positive"] - speech["negative"],
            "negative": speech["negative"],
        },
        "emotions": {
            "count": speech["emotion_count"],
            "means": emotions,
            "dominant": max(present, key=lambda e: (present[e], -EMOTIONS.index(e))) if present else None,
        },
        "approved_insights": {
            "total": insights["total"],
            "by_type": {kind: insights[f"type_{kind}"] for kind in InsightType.values},
            "by_priority": {level: insights[f"priority_{level}"] for level in Priority.values},
        },
    }
