"""Full-text search over knowledge blocks and courses: ranked on PostgreSQL, portable on SQLite."""

import pytest
from django.db import connection

from myApp.curriculum import selectors
from tests.factories import CourseFactory, KnowledgeBlockFactory, ModuleFactory


@pytest.fixture
def blocks(db):
    module = ModuleFactory()
    return {
        "nerves": KnowledgeBlockFactory(
            module=module,
            title="Calming stage nerves",
            summary="Breathing slows a racing heart before you speak.",
            body="Nerves are energy. Slow breathing, a steady stance and a rehearsed first line calm the body.",
        ),
        "pauses": KnowledgeBlockFactory(
            module=module,
            title="The power of the pause",
            summary="Silence gives the audience time to think.",
            body="A two-second pause after a key point lets it land; rushing hides your best ideas.",
        ),
        "slides": KnowledgeBlockFactory(
            module=module,
            title="Designing slides",
            summary="One idea per slide.",
            body="Large text and one picture beat bullet lists.",
        ),
    }


def test_it_ranks_the_most_relevant_block_first(blocks):
    results = selectors.knowledge_block_search("how do I calm my nerves with breathing?")
    assert results[0] == blocks["nerves"]
    assert blocks["slides"] not in results
    assert all(result.rank > 0 for result in results)


def test_it_finds_a_block_by_a_word_in_its_body(blocks):
    assert selectors.knowledge_block_search("silence pause")[0] == blocks["pauses"]


def test_it_returns_nothing_for_an_empty_or_unmatched_query(blocks):
    assert selectors.knowledge_block_search("  ?! ") == []
    assert selectors.knowledge_block_search("quantum chromodynamics") == []


def test_it_searches_courses(db):
    robotics = CourseFactory(title="Introduction to Robotics", description="Build and program small robots")
    CourseFactory(title="Persuasive speaking", description="Argue a case")
    assert selectors.course_search("robots programming") == [robotics]


@pytest.mark.postgres
def test_it_uses_the_gin_index_on_postgresql(blocks):
    from myApp.curriculum.models import KnowledgeBlock
    from myApp.curriculum.search import KNOWLEDGE_BLOCK_FIELDS, ranked

    queryset = ranked(KnowledgeBlock.objects.all(), KNOWLEDGE_BLOCK_FIELDS, "nerves breathing")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "curriculum_kb_title" in plan and "curriculum_kb_vector" in plan


def test_it_ignores_common_words_and_matches_whole_word_starts(blocks):
    assert selectors.knowledge_block_search("Tell me about quantum chromodynamics") == []
    assert selectors.knowledge_block_search("pause")[0] == blocks["pauses"]
    assert selectors.knowledge_block_search("slide") == [blocks["slides"]]
