"""Full-text search over a client's transcripts, ranked, with highlighted snippets (seed 003's text search).

On PostgreSQL: the stored ``SessionSentence.search_vector`` (a generated ``tsvector``, GIN index
``idx_text_search`` on ``(session_id, search_vector)``: each of the client's sessions looked up in it) matched
against the query's words (any of them), ranked by ``ts_rank`` and cut to
``MAX_RESULTS``; ``ts_headline`` marks the matched words. Elsewhere (SQLite) a portable path: sentences holding
any word (case-insensitive substring), ranked by the share of the words they hold, marked in Python.

Snippets are returned as HTML-safe text: the sentence escaped, matches wrapped in ``<mark>``. ``ts_headline``
marks with control characters (``START``/``STOP``) that transcript text can never hold (the transcript's
validation refuses control characters), so escaping happens after marking and no text can inject markup.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, QuerySet, Value, When
from django.utils.html import escape

from myApp.curriculum.search import SEARCH_CONFIG, query_words
from myApp.sessions.models import Client, SessionSentence

MAX_RESULTS = 50
START, STOP = "\x02", "\x03"
HEADLINE_OPTIONS = {"start_sel": START, "stop_sel": STOP, "max_words": 35, "min_words": 15, "max_fragments": 2}


@dataclass(frozen=True)
class Hit:
    sentence: SessionSentence
    rank: float
    snippet: str  # HTML-safe, matches in <mark>


# PostgreSQL's headline parser reads "<laughs>" (a transcriber's note) or "<b>" as a tag and leaves it out of the
# snippet, so the snippet would not say what the sentence says. The headline is made from the text with angle
# brackets swapped for control characters no transcript holds, and swapped back before escaping.
BRACKETS, HIDDEN_BRACKETS = "<>", "\x04\x05"
_SHOW_BRACKETS = str.maketrans(HIDDEN_BRACKETS, BRACKETS)


def _marked_html(marked: str) -> str:
    return escape(marked.translate(_SHOW_BRACKETS)).replace(START, "<mark>").replace(STOP, "</mark>")


def _mark_words(text: str, words: list[str]) -> str:
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    return pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}", text)


def _scope(client: Client, session=None) -> QuerySet[SessionSentence]:
    sentences = SessionSentence.objects.filter(session__client=client).select_related("session")
    return sentences if session is None else sentences.filter(session=session)


def ranked_postgresql(*, client: Client, words: list[str], session=None) -> QuerySet[SessionSentence]:
    """The client's sentences whose stored vector holds any of ``words`` (GIN ``idx_text_search``), ranked,
    each with its ``headline``."""
    query = SearchQuery(" | ".join(words), search_type="raw", config=SEARCH_CONFIG)
    return (
        _scope(client, session)
        .filter(search_vector=query)
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            headline=SearchHeadline(
                Func(F("text"), Value(BRACKETS), Value(HIDDEN_BRACKETS), function="translate"),
                query,
                config=SEARCH_CONFIG,
                **HEADLINE_OPTIONS,
            ),
        )
        .order_by("-rank", "-session__date", "session_id", "sequence_number")
    )


def search_transcripts(*, client: Client, text: str, limit: int = MAX_RESULTS, session=None) -> list[Hit]:
    """The client's sentences (of one ``session``, if given) matching words of ``text``, best first (ties: newest
    session, transcript order)."""
    words = query_words(text)
    if not words:
        return []
    limit = max(1, min(limit, MAX_RESULTS))
    if connection.vendor == "postgresql":
        rows = ranked_postgresql(client=client, words=words, session=session)[:limit]
        return [Hit(sentence=row, rank=float(row.rank), snippet=_marked_html(row.headline)) for row in rows]
    any_word = Q()
    for word in words:
        any_word |= Q(text__icontains=word)
    share = sum(
        (Case(When(text__icontains=word, then=Value(1.0)), default=Value(0.0)) for word in words),
        start=Value(0.0),
    ) / Value(float(len(words)))
    rows = (
        _scope(client, session)
        .filter(any_word)
        .annotate(rank=Value(0.0, output_field=FloatField()) + share)
        .order_by("-rank", "-session__date", "session_id", "sequence_number")[:limit]
    )
    return [Hit(sentence=row, rank=float(row.rank), snippet=_marked_html(_mark_words(row.text, words))) for row in rows]
