"""Reads behind pages whose cost must follow what the page shows, not how many rows a learner (or everyone)
has (issue 9, P3): each is checked for its answer and for the SQL that keeps it bounded."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rich.console import Console

from myApp.curriculum import selectors as curriculum
from myApp.curriculum.models import Lesson, Module
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
