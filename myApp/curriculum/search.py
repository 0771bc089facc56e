"""Full-text search over knowledge blocks and courses.

On PostgreSQL each searchable model stores two generated, GIN-indexed ``tsvector`` columns (migration
0009, indexed by 0010): ``search_vector``, its whole text weighted by field (title A, summary or description B, body
unweighted), and ``search_title``, its title alone. A search does not OR every word over every row: it
takes a bounded set of candidates through those indexes, strictest match first (every word in the title,
all but one, two, one; then the same over the whole text), and ranks only them with ``ts_rank`` of the
stored vector against all the words, so its cost does not grow with the rows a common word matches.
Elsewhere (SQLite) a portable fallback matches word starts with a regular expression and ranks by the
share of query words a row contains.
"""

import operator
import re
from functools import reduce
from itertools import combinations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

SEARCH_CONFIG = "english"
KNOWLEDGE_BLOCK_FIELDS = ("title", "summary", "body")
COURSE_FIELDS = ("title", "description")
MAX_QUERY_WORDS = 12
DOCUMENT = "search_vector"  # the stored columns, on every searchable model
TITLE = "search_title"
CANDIDATES = 200  # the most rows one search ranks
_WORD = re.compile(r"[^\W_]{2,}")
# Words too common to say anything about a question: PostgreSQL's english stop words, which its
# full-text search drops too (so the words kept here are the ones the search vector holds).
_STOP_WORDS = """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can did do does doing don down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with you your yours yourself yourselves
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


class StoredSearchVector(Func):
    """A model's search document for a ``GeneratedField``: on PostgreSQL ``to_tsvector`` over the given
    ``(field, weight)`` pairs (weight "A"-"D", or "" for none) concatenated; NULL elsewhere, where the
    portable search reads the fields themselves.

    The database computes the stored column on every INSERT, UPDATE and COPY, so no write path can leave
    it stale. Changing a model's arguments changes the column: that needs a migration, like any field.
    """

    output_field = SearchVectorField()

    def __init__(self, *weighted_fields: tuple[str, str]) -> None:
        vectors = [SearchVector(name, config=SEARCH_CONFIG, weight=weight or None) for name, weight in weighted_fields]
        super().__init__(reduce(operator.add, vectors))

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return compiler.compile(self.get_source_expressions()[0])


# ts_rank's weights for body (D), -, summary or description (B) and title (A). PostgreSQL's default
# (0.1, 0.2, 0.4, 1.0) lets one common title word ("talk") outrank a body that is about the question
# ("slow down" in the block on pace); a light lean towards the title keeps the body's say.
RANK_WEIGHTS = [0.1, 0.1, 0.1, 0.13]


def query_words(text: str) -> list[str]:
    words = (word.lower() for word in _WORD.findall(text))
    return list(dict.fromkeys(word for word in words if word not in STOP_WORDS))[:MAX_QUERY_WORDS]


def _tsquery_text(words: list[str], *, at_least: int) -> str:
    """``to_tsquery`` text for rows holding at least ``at_least`` of ``words`` (1: any; all: every one)."""
    return " | ".join(f"({' & '.join(group)})" for group in combinations(words, at_least))


def _tsquery(words: list[str], *, at_least: int) -> SearchQuery:
    return SearchQuery(_tsquery_text(words, at_least=at_least), search_type="raw", config=SEARCH_CONFIG)


def _quorums(count: int) -> list[int]:
    """How many of ``count`` words a tier asks for, strictest first: all, all but one, two, one."""
    return sorted({n for n in (count, count - 1, 2, 1) if 1 <= n <= count}, reverse=True)


def _tiers(words: list[str]) -> list[tuple[str, str]]:
    """The candidate tiers (column, ``to_tsquery`` text), most promising first: most words in the title,
    then most words anywhere (``RANK_WEIGHTS`` favour the title, so those rows are the likeliest best)."""
    return [(column, _tsquery_text(words, at_least=n)) for column in (TITLE, DOCUMENT) for n in _quorums(len(words))]


def _candidates(queryset: QuerySet, words: list[str]) -> RawSQL:
    """At most ``CANDIDATES`` primary keys of ``queryset``, taken tier by tier through the GIN indexes:
    each tier stops at the cap, and PostgreSQL stops reading tiers once it has enough, so the ranking's
    cost is bounded however common the words are.

    Written as SQL because building the eight tiers as ORM subqueries took longer than running them.
    A narrowed queryset (say, courses of one country) keeps its own filter in every tier."""
    quote = connection.ops.quote_name
    table, pk = quote(queryset.model._meta.db_table), quote(queryset.model._meta.pk.column)
    scope, scope_params = "", ()
    if queryset.query.where:
        scope_sql, scope_params = queryset.order_by().values("pk").query.sql_with_params()
        scope = f" AND {pk} IN ({scope_sql})"
    tiers, params = [], []
    for column, query in _tiers(words):
        tiers.append(
            f"(SELECT {pk} FROM {table} WHERE {quote(column)} @@ to_tsquery(%s::regconfig, %s){scope}"
            f" LIMIT {CANDIDATES})"
        )
        params += [SEARCH_CONFIG, query, *scope_params]
    return RawSQL(f"SELECT {pk} FROM ({' UNION ALL '.join(tiers)}) AS tiers LIMIT {CANDIDATES}", params)


def _contains_word(fields: tuple[str, ...], word: str) -> Q:
    """A field holding a word that starts with ``word`` ("robot" finds "robots", not "microbots")."""
    pattern = rf"\b{re.escape(word)}"
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__iregex": pattern})
    return condition


def ranked(queryset: QuerySet, fields: tuple[str, ...], text: str) -> QuerySet:
    """Rows of ``queryset`` matching words of ``text``, annotated with ``rank``, best first.

    On PostgreSQL one query: a bounded candidate set (``_candidates``) ranked by ``ts_rank`` of the
    stored, weighted document against all the words (so a row holding more of them, or holding them in
    its title, ranks higher). Elsewhere the rows holding any word, ranked by the share of words held.
    """
    words = query_words(text)
    if not words:
        return queryset.none()
    if connection.vendor == "postgresql":
        query = _tsquery(words, at_least=1)
        return (
            queryset.filter(pk__in=_candidates(queryset, words))
            .defer(DOCUMENT, TITLE)
            .annotate(rank=SearchRank(F(DOCUMENT), query, weights=RANK_WEIGHTS))
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
