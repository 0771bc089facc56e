"""Reads behind pages whose cost must follow what the page shows, not how many rows a learner (or everyone)
has (issue 9, P3): each is checked for its answer and for the SQL that keeps it bounded."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rich.console import Console

from myApp.curriculum import selectors as curriculum
from myApp.curriculum.models import Lesson, Level, MilestoneAttempt, Module
from myApp.curriculum.seeds import load_module_a_content, run_lesson
from myApp.sessions import selectors as chat
from myApp.sessions import services
from tests.factories import UserFactory

BREATHING = {"completed_steps": ["breathing"], "emotion": "Calm", "intensity": 40}
MOOD = {"mood": "Calm", "date": "2026-01-10"}


def test_it_counts_a_learners_completed_runs_from_their_own_runs_only(db):
    load_module_a_content(Console(quiet=True))
    module = Module.objects.order_by("level__number", "order").first()
    first, second = Lesson.objects.filter(module=module).order_by("order")[:2]
    learner, other = UserFactory(), UserFactory()
    for _ in range(2):
        run_lesson(learner, first)
    for _ in range(3):
        run_lesson(other, first)
        run_lesson(other, second)

    with CaptureQueriesContext(connection) as queries:
        counts = curriculum.lesson_completion_counts(user=learner, module=module)

    assert counts == {first.pk: 2}
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"]
    # Read from the learner's runs (the user, lesson, state index), not every learner's runs joined to lessons.
    assert sql.startswith('SELECT "curriculum_lessonsession"') and "LEFT OUTER JOIN" not in sql
    assert f'"curriculum_lessonsession"."user_id" = {learner.pk}' in sql


def test_it_reads_each_modules_latest_completions_without_ranking_the_history(db):
    learner, other = UserFactory(), UserFactory()
    conversation, _ = services.conversation_get_or_create_active(user=learner)
    elsewhere, _ = services.conversation_get_or_create_active(user=other)
    for intensity in range(chat.TREND_POINTS + 5):
        services.conversation_module_complete(
            conversation=conversation,
            user=learner,
            module_id="breathing_exercise",
            completion_data={**BREATHING, "intensity": intensity},
        )
    for _ in range(3):
        services.conversation_module_complete(
            conversation=conversation, user=learner, module_id="emotion_labeling", completion_data=MOOD
        )
        services.conversation_module_complete(
            conversation=elsewhere, user=other, module_id="emotion_labeling", completion_data=MOOD
        )

    with CaptureQueriesContext(connection) as queries:
        report = chat.psychology_report(user=learner)

    breathing = report["breathing_exercise"]
    assert [point["intensity"] for point in breathing["trend"]] == list(range(5, chat.TREND_POINTS + 5))
    assert len(report["emotion_labeling"]["moods"]) == 3  # the other learner's three are not among them
    trend_sql = next(q["sql"] for q in queries.captured_queries if " IN (SELECT" in q["sql"])
    assert "ROW_NUMBER" not in trend_sql.upper()
    assert trend_sql.count(f"LIMIT {chat.TREND_POINTS}") == 4  # one bounded read per guided module


def _page_query(client, url: str, table: str) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return next(q["sql"] for q in queries.captured_queries if q["sql"].startswith(f'SELECT "{table}"."id"'))


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("url", "table"),
    [
        ("/api/v1/messages/", "messages"),
        ("/api/v1/milestones/", "curriculum_milestoneattempt"),
        ("/api/v1/lesson-sessions/", "curriculum_lessonsession"),
        ("/api/v1/module-completions/", "usersessions_modulecompletion"),
    ],
)
def test_it_reads_a_list_page_from_an_index_in_its_order(db, client, url, table):
    """A page of the learner's rows comes off an index already in the list's order: the plan has no Sort even
    when sorting is made the planner's last resort, so a page never sorts the learner's whole history."""
    learner = UserFactory()
    load_module_a_content(Console(quiet=True))
    run_lesson(learner, Lesson.objects.order_by("module__order", "order").first())  # a lesson run
    conversation, _ = services.conversation_get_or_create_active(user=learner)
    services.conversation_module_complete(  # a completion
        conversation=conversation, user=learner, module_id="emotion_labeling", completion_data=MOOD
    )
    services.message_add(conversation=conversation, role="user", content="Hello")
    MilestoneAttempt.objects.create(
        user=learner, level=Level.objects.get(), audio_url="https://example.com/a.mp3", rubric_scores={}, score=50
    )
    client.force_login(learner)
    sql = _page_query(client, url, table)

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Sort" not in plan.replace("Presorted", ""), plan
