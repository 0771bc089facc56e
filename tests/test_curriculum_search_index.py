"""The stored search vectors (kept current by PostgreSQL on every write path) and the bounded search over
them: GIN index plans, one query per search, and the best block first when every word is common.
Behaviour of the search itself on both databases: test_curriculum_search.py."""

import io

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.urls import reverse

from myApp.curriculum import search, selectors
from myApp.curriculum.models import Course, KnowledgeBlock
from myApp.curriculum.services import content_update
from myApp.sessions.assistant.knowledge import knowledge_for
from tests.factories import CourseFactory, KnowledgeBlockFactory, ModuleFactory

pytestmark = pytest.mark.postgres


def _matches(model, column: str, word: str) -> set[int]:
    query = SearchQuery(word, config=search.SEARCH_CONFIG)
    return set(model.objects.filter(**{column: query}).values_list("pk", flat=True))


# --- The stored vectors are current after every kind of write ----------------------------------


def test_it_stores_the_vectors_on_create_and_update_through_the_orm(db):
    block = KnowledgeBlockFactory(title="Gestures", summary="Open hands.", body="Keep elbows loose.")

    assert _matches(KnowledgeBlock, "search_title", "gestures") == {block.pk}
    assert _matches(KnowledgeBlock, "search_vector", "elbows") == {block.pk}
    assert _matches(KnowledgeBlock, "search_title", "elbows") == set()  # the title vector is the title only

    block.title, block.body = "Posture", "Stand with weight on both feet."
    block.save()

    assert _matches(KnowledgeBlock, "search_title", "gestures") == set()
    assert _matches(KnowledgeBlock, "search_title", "posture") == {block.pk}
    assert _matches(KnowledgeBlock, "search_vector", "feet") == {block.pk}
    assert _matches(KnowledgeBlock, "search_vector", "elbows") == set()


def test_it_weights_the_title_above_the_summary_and_the_body(db):
    block = KnowledgeBlockFactory(title="Pauses", summary="Silence helps.", body="Breathe between ideas.")

    vector = KnowledgeBlock.objects.values_list("search_vector", flat=True).get(pk=block.pk)

    assert "'paus':1A" in vector and "'silenc':2B" in vector and "'breath':4 " in f"{vector} "


def test_it_keeps_the_vector_current_through_the_content_service(db, staff):
    block = KnowledgeBlockFactory(body="Rehearse with a timer.")

    content_update(instance=block, by=staff, body="Record yourself on video.")

    assert _matches(KnowledgeBlock, "search_vector", "video") == {block.pk}
    assert _matches(KnowledgeBlock, "search_vector", "timer") == set()


def test_it_keeps_the_vector_current_through_the_admin(staff_client):
    block = KnowledgeBlockFactory(title="Slides", summary="", body="One idea per slide.")
    form = {
        "module": block.module_id,
        "order": block.order,
        "title": "Handouts",
        "summary": "",
        "body": "Give the handout after the talk.",
        "tags": "[]",
        "exercise_seeds": "[]",
        "citations": "[]",
    }

    response = staff_client.post(reverse("admin:curriculum_knowledgeblock_change", args=[block.pk]), form)

    assert response.status_code == 302, response.content[:2000]
    assert _matches(KnowledgeBlock, "search_title", "handouts") == {block.pk}
    assert _matches(KnowledgeBlock, "search_vector", "slide") == set()


def test_it_stores_the_vectors_for_rows_written_in_raw_sql_and_copy(db):
    module = ModuleFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO curriculum_knowledgeblock"
            ' (created_at, updated_at, module_id, "order", title, summary, body, tags, exercise_seeds, citations)'
            " VALUES (now(), now(), %s, 1, 'Microphones', '', 'Hold it a fist away.', '[]', '[]', '[]')",
            [module.pk],
        )
        rows = io.StringIO(
            f"2026-01-01\t2026-01-01\t{module.pk}\t2\tLecterns\t\tDo not grip the lectern.\t[]\t[]\t[]\n"
        )
        cursor.cursor.copy_expert(
            "COPY curriculum_knowledgeblock"
            ' (created_at, updated_at, module_id, "order", title, summary, body, tags, exercise_seeds, citations)'
            " FROM STDIN",
            rows,
        )
        cursor.execute("UPDATE curriculum_knowledgeblock SET body = 'Stand beside it.' WHERE title = 'Lecterns'")

    assert KnowledgeBlock.objects.filter(search_title=SearchQuery("microphones")).get().order == 1
    assert KnowledgeBlock.objects.filter(search_vector=SearchQuery("beside")).get().title == "Lecterns"
    assert _matches(KnowledgeBlock, "search_vector", "grip") == set()


def test_it_keeps_course_vectors_current(db):
    course = CourseFactory(title="Debate club", description="Rebuttals and cross-examination.")

    Course.objects.filter(pk=course.pk).update(description="Motions and clashes.")

    assert _matches(Course, "search_title", "debate") == {course.pk}
    assert _matches(Course, "search_vector", "motions") == {course.pk}
    assert _matches(Course, "search_vector", "rebuttals") == set()


# --- The search uses the indexes, in one bounded query ---------------------------------------------


def test_it_plans_the_candidates_through_both_gin_indexes(db):
    KnowledgeBlockFactory.create_batch(3)
    queryset = search.ranked(KnowledgeBlock.objects.all(), search.KNOWLEDGE_BLOCK_FIELDS, "nerves before a speech")

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain(verbose=True)  # with each node's output columns: a re-parse would show there

    assert "Bitmap Index Scan on curriculum_kb_title" in plan
    assert "Bitmap Index Scan on curriculum_kb_vector" in plan
    assert "to_tsvector" not in plan  # ranked from the stored vector, never parsed again


def test_it_searches_in_one_query_and_a_chat_turn_looks_up_knowledge_in_two(db, django_assert_num_queries):
    KnowledgeBlockFactory.create_batch(3)
    CourseFactory()

    with django_assert_num_queries(1):
        selectors.knowledge_block_search("How do I open a talk with a story?")
    with django_assert_num_queries(2):
        knowledge_for("How do I open a talk with a story?")


# --- Common words: the candidates are bounded and the best block still comes first -----------------

COMMON = "Speak to your audience with confidence"


@pytest.fixture
def crowded(db) -> dict[str, KnowledgeBlock]:
    """More blocks than a search ranks, every one holding the question's common words, two in its title;
    and the blocks that deserve to come first."""
    module = ModuleFactory()
    KnowledgeBlock.objects.bulk_create(
        KnowledgeBlock(
            module=module,
            order=order,
            title=f"Audience and confidence, part {order}",
            summary="Speak clearly.",
            body="Speak to the audience. Confidence grows when you speak often to an audience. " * 3,
        )
        for order in range(search.CANDIDATES + 50)
    )
    return {
        "best": KnowledgeBlockFactory(
            module=module,
            order=search.CANDIDATES + 50,
            title="Speak to any audience with confidence",
            summary="Confidence when you speak to an audience.",
            body="Speak to the audience with confidence. Confidence grows when you speak often to an audience. " * 4,
        ),
        "nerves": KnowledgeBlockFactory(
            module=module,
            order=search.CANDIDATES + 51,
            title="Nerves when you speak to an audience",
            summary="Nerves are normal.",
            body="Every speaker has nerves in front of an audience.",
        ),
    }


def _exhaustive(text: str) -> list[int]:
    """The same ranking over every matching row (what a search would return with no bound)."""
    from django.contrib.postgres.search import SearchRank
    from django.db.models import F

    query = search._tsquery(search.query_words(text), at_least=1)
    return list(
        KnowledgeBlock.objects.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query, weights=search.RANK_WEIGHTS))
        .order_by("-rank", "pk")
        .values_list("pk", flat=True)
    )


def test_it_ranks_no_more_rows_than_the_bound(crowded):
    matching = KnowledgeBlock.objects.filter(search_vector=SearchQuery("audience")).count()

    ranked = list(search.ranked(KnowledgeBlock.objects.all(), search.KNOWLEDGE_BLOCK_FIELDS, "audience"))

    assert matching > search.CANDIDATES
    assert len(ranked) == search.CANDIDATES


def test_it_puts_the_best_block_first_when_every_word_is_common(crowded):
    results = selectors.knowledge_block_search(COMMON)

    assert results[0] == crowded["best"]
    assert results[0].pk == _exhaustive(COMMON)[0]


def test_it_finds_the_block_with_the_rare_word_among_common_ones(crowded):
    question = "How do I speak to an audience when nerves hit?"

    results = selectors.knowledge_block_search(question, limit=3)

    assert results[0] == crowded["nerves"]
    assert results[0].pk == _exhaustive(question)[0]


def test_it_still_answers_when_no_block_holds_every_word(crowded):
    results = selectors.knowledge_block_search("audience juggling unicycles")

    assert results and all("audience" in block.title.lower() for block in results)


def test_it_takes_the_candidates_from_a_narrowed_queryset_only(db, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 2)  # the other countries' courses alone would fill the bound
    for number in range(3):
        CourseFactory(title=f"Debate {number}", country="Kenya")
    chile = CourseFactory(title="Debate in Santiago", country="Chile")

    found = list(search.ranked(selectors.courses(country="chile"), search.COURSE_FIELDS, "debate"))

    assert found == [chile]


def test_ordinary_reads_leave_the_stored_vectors_out(db):
    """The module page lists thousands of blocks: the vectors (about 1 KB each) are read by search only."""
    block = KnowledgeBlockFactory(title="Pauses", body="A pause lets the room catch up.")
    CourseFactory(title="Debate club")
    for queryset in (KnowledgeBlock.objects.all(), block.module.knowledge_blocks.all(), Course.objects.all()):
        sql = str(queryset.query)
        assert "search_vector" not in sql and "search_title" not in sql, sql
    assert [
        found.pk for found in search.ranked(KnowledgeBlock.objects.all(), search.KNOWLEDGE_BLOCK_FIELDS, "pause")
    ] == [block.pk]


def test_a_common_title_word_does_not_outrank_a_body_about_the_question(db):
    """New-user review: "How do I slow down when I talk?" cited "One talk, one message", not the block on pace."""
    module = ModuleFactory()
    KnowledgeBlockFactory(
        module=module, order=1, title="One talk, one message", body="Every talk needs one message people can repeat."
    )
    pace = KnowledgeBlockFactory(
        module=module,
        order=2,
        title="Pace and the power of the pause",
        body="When you talk fast, slow down: a slow pace and a pause let listeners follow.",
    )
    found = search.ranked(
        KnowledgeBlock.objects.all(), search.KNOWLEDGE_BLOCK_FIELDS, "How do I slow down when I talk?"
    )
    assert found[0].pk == pace.pk
