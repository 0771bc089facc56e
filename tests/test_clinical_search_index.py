"""PostgreSQL: seed 003's SQL-level promises. Keyword containment (``keywords @> '{"term": [...]}'``) and the
full-text search use their GIN indexes; the stored search vector follows every write of a sentence."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from myApp.curriculum.search import SEARCH_CONFIG
from myApp.sessions import clinical_selectors as selectors
from myApp.sessions import transcript_search
from myApp.sessions.models import SessionSentence
from tests.clinical_helpers import client_create, clinician_create, session_create

pytestmark = pytest.mark.postgres

WORDS = ["work", "sleep", "family", "panic", "friends", "exercise", "money", "school"]


@pytest.fixture
def busy_client(db):
    """A client with 3000 sentences over 6 sessions, each with two keywords, so a plan has a real choice."""
    client = client_create(clinician_create())
    rows = []
    for number in range(6):
        session = session_create(client, days_ago=number)
        for index in range(500):
            first, second = WORDS[index % len(WORDS)], WORDS[(index * 3 + number) % len(WORDS)]
            rows.append(
                SessionSentence(
                    session=session,
                    sequence_number=index,
                    start_ms=index * 1000,
                    end_ms=index * 1000 + 900,
                    text=f"I keep thinking about {first} and {second} number {index}."
                    + (" Insomnia again." if index % 97 == 0 else ""),
                    keywords={"term": [first, f"{second} {index}"], "score": {first: 0.1}},
                )
            )
    SessionSentence.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE usersessions_sessionsentence")
    return client


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


def test_keyword_containment_uses_the_gin_index(busy_client):
    queryset = selectors.keyword_sentences(client=busy_client, term="panic 7")

    assert "idx_keywords" in _plan(queryset)
    assert "@>" in str(queryset.query)
    assert [(row.sequence_number, row.keywords["term"][1]) for row in queryset] == [(7, "panic 7")] * len(
        {row.session_id for row in queryset}
    )


def test_full_text_search_uses_the_gin_index_on_the_stored_vector(busy_client):
    # A rare word: the index finds its few rows (a word in most rows of the client is read through its sessions).
    queryset = transcript_search.ranked_postgresql(client=busy_client, words=["insomnia"])[:50]

    assert "idx_text_search" in _plan(queryset)
    assert len(queryset) == 6 * 6  # 0, 97, ..., 485 in each of 6 sessions
    hits = transcript_search.search_transcripts(client=busy_client, text="panic money")
    assert len(hits) == 50
    assert all("<mark>" in hit.snippet for hit in hits)
    assert hits[0].rank >= hits[-1].rank


def _index_cond(plan: str, index: str) -> str:
    """The condition the plan hands ``index`` (the line under its scan)."""
    lines = plan.splitlines()
    at = next(number for number, line in enumerate(lines) if f"on {index}" in line)
    return lines[at + 1]


def test_a_common_term_is_found_through_the_gin_index_session_by_session(busy_client):
    # "panic" is in one sentence of eight: keyed by session too, the GIN index finds a session's few, where the
    # keywords-only index lost to reading every sentence of the client's sessions (migration 0012).
    queryset = selectors.keyword_sentences(client=busy_client, term="panic")[:50]

    plan = _plan(queryset)
    assert "idx_keywords" in plan
    assert "session_id" in _index_cond(plan, "idx_keywords")
    assert len(queryset) == 50 and all("panic" in row.keywords["term"] for row in queryset)


def test_a_word_many_sentences_hold_is_searched_through_the_gin_index_session_by_session(busy_client):
    # "family" is in about a quarter of the sentences (a word in every one is rightly read session by session).
    queryset = transcript_search.ranked_postgresql(client=busy_client, words=["family"])[:50]

    plan = _plan(queryset)
    assert "idx_text_search" in plan
    assert "session_id" in _index_cond(plan, "idx_text_search")
    assert len(queryset) == 50


def test_containment_over_every_sentence_still_uses_the_index_keyed_by_session(busy_client):
    queryset = SessionSentence.objects.filter(keywords__contains={"term": ["panic"]})

    plan = _plan(queryset)
    assert "idx_keywords" in plan
    assert "session_id" not in _index_cond(plan, "idx_keywords")
    assert queryset.count() == 6 * len([index for index in range(500) if WORDS[index % len(WORDS)] == "panic"])


def test_the_stored_vector_follows_an_update_of_the_text(db):
    session = session_create(client_create(clinician_create()))
    sentence = SessionSentence.objects.create(session=session, sequence_number=0, start_ms=0, end_ms=1, text="Panic")

    SessionSentence.objects.filter(pk=sentence.pk).update(text="Calm evenings")

    matches = SessionSentence.objects.filter(search_vector=SearchQuery("evening", config=SEARCH_CONFIG))
    assert list(matches) == [sentence]
    assert not SessionSentence.objects.filter(search_vector=SearchQuery("panic", config=SEARCH_CONFIG)).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="btree_gin is PostgreSQL's")
def test_reversing_the_session_keyed_indexes_leaves_btree_gin_installed():
    """Reversing migration 0012 dropped the extension, even where it was there before or other objects use it."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([("usersessions", "0011_insight_therapeutic_method_longer")])
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_extension WHERE extname = 'btree_gin'")
            assert cursor.fetchone() == (1,)
    finally:
        MigrationExecutor(connection).migrate(leaves)
