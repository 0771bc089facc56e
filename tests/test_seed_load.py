"""``seed_data.py load``: bulk rows of every loaded table at the sizes asked for, valid against the models'
constraints, varied text, idempotent unless ``--add``, and the P6 measure's two sides (PostgreSQL)."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone

import seed_data
from myApp.accounts.models import Profile, User
from myApp.curriculum import selectors
from myApp.curriculum.load import BLOCK_ORDER_BASE
from myApp.curriculum.models import (
    Enrollment,
    ExerciseSubmission,
    KnowledgeBlock,
    LessonSession,
    LessonSessionState,
    LessonStepResponse,
    Purchase,
    UserProgress,
)
from myApp.lib.bulk_load import LOAD_PREFIX
from myApp.lib.load_text import TextMaker
from myApp.lib.timestamps import format_timestamp
from myApp.sessions import clinical_load
from myApp.sessions import load as chat_load
from myApp.sessions.models import Conversation, Message, MessageRole, ModuleCompletion, SessionSentence

SIZES = {
    "--users": 30,
    "--conversations": 40,
    "--messages": 300,
    "--completions": 25,
    "--blocks": 50,
    "--enrolments": 60,
    "--progress": 50,
    "--lesson-sessions": 40,
    "--submissions": 80,
    "--clinicians": 2,
    "--clients": 6,
    "--clinical-sessions": 15,
    "--sentences": 200,
}


def _load(*extra: str, **sizes: int) -> int:
    argv = ["load", "--batch-size", "16"]  # several batches even at these sizes
    for flag, value in {**SIZES, **sizes}.items():
        argv += [flag, str(value)]
    return seed_data.main([*argv, *extra])


def _counts() -> dict[str, int]:
    loaded = User.objects.filter(username__startswith=LOAD_PREFIX)
    return {
        "--users": loaded.count(),
        "profiles": Profile.objects.filter(user__in=loaded).count(),
        "--conversations": Conversation.objects.filter(user__in=loaded).count(),
        "--messages": Message.objects.filter(user__in=loaded).count(),
        "--completions": ModuleCompletion.objects.filter(user__in=loaded).count(),
        "--blocks": KnowledgeBlock.objects.filter(order__gte=BLOCK_ORDER_BASE).count(),
        "--enrolments": Enrollment.objects.filter(user__in=loaded).count(),
        "--progress": UserProgress.objects.filter(user__in=loaded).count(),
        "--lesson-sessions": LessonSession.objects.filter(user__in=loaded).count(),
        "--submissions": ExerciseSubmission.objects.filter(user__in=loaded).count(),
        "responses": LessonStepResponse.objects.filter(session__user__in=loaded).count(),
        "--clinicians": User.objects.filter(username__startswith=clinical_load.CLINICIAN_PREFIX).count(),
        "--clients": clinical_load.loaded_clients().count(),
        "--clinical-sessions": clinical_load.loaded_sessions().count(),
        "--sentences": SessionSentence.objects.filter(session__in=clinical_load.loaded_sessions()).count(),
    }


@pytest.fixture
def loaded(db):
    assert _load() == 0


def test_it_loads_the_sizes_asked_for(loaded):
    counts = _counts()

    assert {flag: counts[flag] for flag in SIZES} == SIZES
    assert counts["profiles"] == SIZES["--users"]
    assert counts["responses"] == SIZES["--submissions"]


def test_it_keeps_every_constraint_and_field_rule(loaded):
    connection.check_constraints()  # deferred foreign keys and (SQLite) every FK resolve now

    samples = [
        *User.objects.filter(username__startswith=LOAD_PREFIX)[:10],
        *Profile.objects.filter(user__username__startswith=LOAD_PREFIX)[:10],
        *Conversation.objects.all()[:10],
        *Message.objects.all()[:20],
        *ModuleCompletion.objects.all()[:10],
        *KnowledgeBlock.objects.filter(order__gte=BLOCK_ORDER_BASE)[:10],
        *Enrollment.objects.all()[:10],
        *Purchase.objects.all()[:10],
        *UserProgress.objects.all()[:10],
        *LessonSession.objects.all()[:10],
        *LessonStepResponse.objects.all()[:10],
        *ExerciseSubmission.objects.all()[:10],
    ]
    for row in samples:
        row.full_clean()  # choices, lengths, validators and Meta constraints, as the admin would check them

    assert not any(user.has_usable_password() for user in User.objects.filter(username__startswith=LOAD_PREFIX))
    # A paid enrolment of a paid course is exactly one with a purchase (course_purchase's rule).
    bought = set(Purchase.objects.values_list("user_id", "course_id"))
    for enrollment in Enrollment.objects.select_related("course"):
        assert enrollment.is_paid == (enrollment.course.is_free or (enrollment.user_id, enrollment.course_id) in bought)


def test_it_writes_what_other_code_derives_from_the_rows(loaded):
    per_conversation = dict(
        Message.objects.values("conversation")
        .annotate(n=Count("id"), last=Max("created_at"))
        .values_list("conversation", "n")
    )
    for conversation in Conversation.objects.all():
        assert conversation.message_count == per_conversation.get(conversation.pk, 0)
        latest = {}
        for completion in conversation.module_completions.order_by("completed_at", "id"):
            latest[completion.module_id] = completion
        assert set(conversation.module_status) == set(latest)
        for module_id, completion in latest.items():
            entry = conversation.module_status[module_id]
            assert entry == {
                "completed_at": format_timestamp(completion.completed_at),
                "completion_data": completion.completion_data,
            }
        assert all(message.user_id == conversation.user_id for message in conversation.messages.all())
    assert (
        not Conversation.objects.values("user")
        .filter(ended_at__isnull=True)
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )
    roles = [m.role for m in Message.objects.order_by("conversation", "created_at", "id")]
    assert set(roles) == {MessageRole.USER, MessageRole.ASSISTANT}
    for session in LessonSession.objects.all():
        assert session.responses.count() == session.current_step == session.submissions.count()
        assert (session.completed_at is not None) == (session.state == LessonSessionState.COMPLETED)


def test_it_makes_varied_text(loaded):
    blocks = KnowledgeBlock.objects.filter(order__gte=BLOCK_ORDER_BASE)
    assert len(set(blocks.values_list("title", flat=True))) == SIZES["--blocks"]
    assert len(set(blocks.values_list("body", flat=True))) == SIZES["--blocks"]
    contents = Counter(Message.objects.values_list("content", flat=True))
    assert len(contents) > 0.8 * SIZES["--messages"]
    assert TextMaker(7).block() == TextMaker(7).block() != TextMaker(8).block()  # deterministic from --seed


def test_loaded_blocks_are_found_by_the_knowledge_search(loaded):
    block = KnowledgeBlock.objects.filter(order__gte=BLOCK_ORDER_BASE).order_by("pk").first()

    found = selectors.knowledge_block_search(block.title, limit=50)

    assert block in found


def test_it_adds_nothing_on_a_second_run_and_says_what_exists(loaded, capsys):
    before = _counts()
    capsys.readouterr()

    assert _load() == 0

    output = capsys.readouterr().out
    assert _counts() == before
    for label in (
        "users",
        "conversations",
        "messages",
        "knowledge blocks",
        "enrolments",
        "progress",
        "lesson sessions",
    ):
        assert f"{label}: " in output and "loaded rows exist; none added" in output, label


def test_it_adds_more_with_add(loaded):
    before = _counts()

    assert _load("--add", "--seed", "99") == 0

    after = _counts()
    assert after["--users"] == 2 * before["--users"]
    assert after["--messages"] == 2 * before["--messages"]
    assert after["--blocks"] == 2 * before["--blocks"]
    assert after["--lesson-sessions"] == 2 * before["--lesson-sessions"]
    connection.check_constraints()


def test_it_shows_a_progress_bar_per_table(db, capsys):
    assert _load() == 0

    output = capsys.readouterr().out
    for label, size in (("users", 30), ("messages", 300), ("knowledge blocks", 50), ("submissions", 80)):
        assert f"{label}: {size:,} rows in" in output
    assert "━" in output


def test_it_refuses_a_bad_size_with_its_usage(db, capsys):
    assert seed_data.main(["load", "--messages", "lots"]) == 2
    assert seed_data.main(["load", "--users", "-3"]) == 2
    assert "--messages" in capsys.readouterr().err
    assert not User.objects.filter(username__startswith=LOAD_PREFIX).exists()


@pytest.mark.postgres
def test_the_p6_measures_insert_the_same_rows_and_keep_none(loaded):
    before = Message.objects.count()

    load_seconds = chat_load.message_load_seconds(500)
    floor_seconds = chat_load.generate_series_floor(500)

    assert load_seconds > 0 and floor_seconds > 0
    assert Message.objects.count() == before


def test_it_lists_load_and_its_options(db, capsys):
    assert seed_data.main(["--list"]) == 0
    assert "load takes options: seed_data.py load --help" in capsys.readouterr().out

    assert seed_data.main(["load", "--help"]) == 0

    assert not User.objects.filter(username__startswith=LOAD_PREFIX).exists()  # help loads nothing
    usage = capsys.readouterr().out
    for flag in ("--users", "--conversations", "--messages", "--blocks", "--submissions", "--add", "--seed"):
        assert flag in usage
    assert "100000" in usage and "1000000" in usage  # the defaults the issue asks for


def test_a_target_without_options_refuses_one(db, capsys):
    assert seed_data.main(["users", "--users", "5"]) == 2
    assert seed_data.main(["users", "nonsense"]) == 2
    assert "nonsense" in capsys.readouterr().out


def test_it_dates_nothing_in_the_future(loaded):
    now = timezone.now()
    assert not Message.objects.filter(created_at__gt=now).exists()
    assert not Conversation.objects.filter(last_activity_at__gt=now).exists()
    assert not Conversation.objects.filter(ended_at__gt=now + datetime.timedelta(minutes=10)).exists()
    assert not UserProgress.objects.filter(completed_at__gt=now).exists()
    assert not LessonSession.objects.filter(updated_at__gt=now).exists()
