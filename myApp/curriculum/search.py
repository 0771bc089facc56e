"""Full-text search over knowledge blocks and courses.

On PostgreSQL documents are ranked with ``ts_rank`` over the same
``to_tsvector`` expressions that migration 0002 indexes with GIN. Elsewhere
(SQLite) a portable fallback matches word starts with a regular expression and
ranks by the share of query words a row contains.
"""

import re

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When

SEARCH_CONFIG = "english"
KNOWLEDGE_BLOCK_FIELDS = ("title", "summary", "body")
COURSE_FIELDS = ("title", "description")
MAX_QUERY_WORDS = 12
_WORD = re.compile(r"[^\W_]{2,}")
# Words too common to say anything about a question (PostgreSQL's english config drops them too).
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)


def search_document(fields: tuple[str, ...]) -> SearchVector:
    return SearchVector(*fields, config=SEARCH_CONFIG)


def search_index(fields: tuple[str, ...], name: str) -> GinIndex:
    """The GIN index whose expression matches ``search_document`` exactly, so queries can use it."""
    return GinIndex(search_document(fields), name=name)


def query_words(text: str) -> list[str]:
    words = (word.lower() for word in _WORD.findall(text))
    return list(dict.fromkeys(word for word in words if word not in STOP_WORDS))[:MAX_QUERY_WORDS]


def _contains_word(fields: tuple[str, ...], word: str) -> Q:
    """A field holding a word that starts with ``word`` ("robot" finds "robots", not "microbots")."""
    pattern = rf"\b{re.escape(word)}"
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__iregex": pattern})
    return condition


def ranked(queryset: QuerySet, fields: tuple[str, ...], text: str) -> QuerySet:
    """Rows of ``queryset`` matching any word of ``text``, annotated with ``rank``, best first."""
    words = query_words(text)
    if not words:
        return queryset.none()
    if connection.vendor == "postgresql":
        query = SearchQuery(" | ".join(words), search_type="raw", config=SEARCH_CONFIG)
        return (
            queryset.annotate(document=search_document(fields))
            .filter(document=query)
            .annotate(rank=SearchRank(F("document"), query))
            .order_by("-rank", "pk")
        )
    any_word = Q()
    for word in words:
        any_word |= _contains_word(fields, word)
    share = sum(
        (Case(When(_contains_word(fields, word), then=Value(1.0)), default=Value(0.0)) for word in words),
        start=Value(0.0),
    ) / Value(float(len(words)))
    return (
        queryset.filter(any_word).annotate(rank=Value(0.0, output_field=FloatField()) + share).order_by("-rank", "pk")
    )
