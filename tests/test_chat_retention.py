"""Chat retention: ``manage.py chat_retention`` (dry run and real run) and the background task."""

from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from myApp.sessions import history_cache, services
from myApp.sessions.models import Conversation, Message, ModuleCompletion
from myApp.sessions.tasks import apply_chat_retention

# The history cache is written when a message's transaction commits, so these tests really commit.
pytestmark = pytest.mark.django_db(transaction=True)

BREATHING = {"completed_steps": ["breathing"], "emotion": "Calm", "intensity": 20}


def age(conversation: Conversation, **ago) -> None:
    """Move a conversation's last activity into the past (no service rewinds the clock)."""
    Conversation.objects.filter(pk=conversation.pk).update(last_activity_at=timezone.now() - timedelta(**ago))


def cached(conversation: Conversation) -> bool:
    return cache.get(history_cache.key(conversation.pk)) is not None


@pytest.fixture
def chats(owner, outsider, member):
    """An idle active chat (25 h), an ended chat from 31 days ago with a module completion, a fresh chat."""
    idle = services.chat_send(user=owner, message="Hello").conversation
    old = services.chat_send(user=outsider, message="Hello").conversation
    services.chat_send(user=outsider, message="What is my name?")
    services.conversation_module_complete(
        conversation=old, user=outsider, module_id="breathing_exercise", completion_data=BREATHING
    )
    fresh = services.chat_send(user=member, message="Hello").conversation
    age(idle, hours=25)
    age(old, days=31)
    return SimpleNamespace(idle=idle, old=old, fresh=fresh)


def run(*args: str) -> str:
    out = StringIO()
    call_command("chat_retention", *args, stdout=out)
    return out.getvalue()


def test_it_prints_what_a_dry_run_would_do_and_changes_nothing(chats):
    assert cached(chats.idle) and cached(chats.old) and cached(chats.fresh)

    output = run("--dry-run")

    assert "Dry run" in output
    assert "would end 1 idle conversation(s) and delete 1 conversation(s) with 4 message(s)" in output
    assert Conversation.objects.count() == 3
    assert Message.objects.count() == 8
    assert ModuleCompletion.objects.count() == 1
    assert Conversation.objects.get(pk=chats.idle.pk).ended_at is None
    assert cached(chats.idle) and cached(chats.old)


def test_it_ends_idle_and_deletes_old_conversations_with_their_messages(chats):
    output = run()

    assert "Ended 1 idle conversation(s); deleted 1 conversation(s) with 4 message(s)" in output
    idle = Conversation.objects.get(pk=chats.idle.pk)
    assert idle.ended_at == idle.last_activity_at + timedelta(hours=24)  # when it timed out
    assert idle.messages.count() == 2  # ended, not deleted
    assert not Conversation.objects.filter(pk=chats.old.pk).exists()
    assert not Message.objects.filter(conversation_id=chats.old.pk).exists()
    assert not ModuleCompletion.objects.exists()
    assert Conversation.objects.get(pk=chats.fresh.pk).ended_at is None


def test_it_clears_the_history_cache_of_what_it_ended_or_deleted(chats):
    run()

    assert not cached(chats.idle)
    assert not cached(chats.old)
    assert cached(chats.fresh)


def test_it_does_nothing_the_second_time(chats):
    run()

    assert "Ended 0 idle conversation(s); deleted 0 conversation(s) with 0 message(s)" in run()
    assert Conversation.objects.count() == 2


@override_settings(CHAT_SESSION_TIMEOUT_HOURS=2)
def test_it_takes_the_timeout_from_the_setting_and_the_retention_from_the_option(owner, outsider):
    recent = services.chat_send(user=owner, message="Hello").conversation
    week_old = services.chat_send(user=outsider, message="Hello").conversation
    age(recent, hours=1)
    age(week_old, days=8)

    assert "would end 1 idle conversation(s) and delete 0 conversation(s)" in run("--dry-run")  # 2 h, 30 days

    output = run("--retention-days", "7")

    assert "Ended 0 idle conversation(s); deleted 1 conversation(s) with 2 message(s)" in output
    assert "more than 2 h" in output and "more than 7 day(s)" in output
    assert list(Conversation.objects.values_list("pk", "ended_at")) == [(recent.pk, None)]


def test_it_has_no_timeout_of_its_own(chats):
    # The API, the pages and this command share one rule (myApp/sessions/expiry.py); a second timeout
    # here would end conversations the API still calls live.
    with pytest.raises(CommandError, match="timeout-hours"):
        run("--timeout-hours", "2")


@override_settings(CHAT_SESSION_TIMEOUT_HOURS=1, RETENTION_CHAT_DAYS=2)
def test_it_defaults_to_the_settings(owner):
    conversation = services.chat_send(user=owner, message="Hello").conversation
    age(conversation, days=3)

    assert "deleted 1 conversation(s) with 2 message(s)" in run()
    assert not Conversation.objects.exists()


@pytest.mark.parametrize("args", [["--retention-days", "0"], ["--retention-days", "-3"], ["--retention-days", "soon"]])
def test_it_refuses_a_bad_option(chats, args):
    with pytest.raises(CommandError):
        run(*args)

    assert Conversation.objects.count() == 3


def test_it_refuses_a_bad_option_passed_by_name(chats):
    with pytest.raises(CommandError):
        call_command("chat_retention", retention_days=0, stdout=StringIO())


def test_it_applies_retention_as_a_task(chats):
    result = apply_chat_retention.enqueue()  # the test settings run tasks immediately

    assert result.return_value == {"ended": 1, "deleted_conversations": 1, "deleted_messages": 4, "dry_run": False}
    assert Conversation.objects.get(pk=chats.idle.pk).ended_at is not None
    assert not Conversation.objects.filter(pk=chats.old.pk).exists()
    assert not Message.objects.filter(conversation_id=chats.old.pk).exists()
    assert not cached(chats.idle) and not cached(chats.old) and cached(chats.fresh)


def test_it_queues_the_task_for_the_database_worker(chats):
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        apply_chat_retention.enqueue()
        assert Conversation.objects.count() == 3  # nothing happens until the worker runs
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Conversation.objects.count() == 2
