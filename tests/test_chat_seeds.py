"""The chat step of the ``demo`` seed: demo_learner's conversation and guided modules, made through the
chat services after the accounts and curriculum steps, and unchanged by a second run."""

import io

import pytest
from rich.console import Console

import seed_data
from myApp.accounts.models import User
from myApp.analytics.models import AnalyticsEvent
from myApp.lib.seeding import discover
from myApp.sessions import selectors
from myApp.sessions.models import Conversation, Message, ModuleCompletion, WellbeingModule
from myApp.sessions.seeds import DEMO_CHAT, demo_conversation


@pytest.fixture
def seed_env(monkeypatch):
    """Nothing from the developer's shell (staff name, passwords) leaks into the run."""
    for name in ("SEED_STAFF_USERNAME", "SEED_STAFF_EMAIL", "SEED_STAFF_PASSWORD", "SEED_DEMO_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def demo(db, seed_env):
    assert seed_data.main(["demo"]) == 0
    return User.objects.get(username="demo_learner")


def chat_snapshot() -> dict[str, list[dict]]:
    """Every chat row, timestamps included, and the analytics events the chat services write."""
    tables = {model.__name__: list(model.objects.order_by("pk").values()) for model in (Conversation, Message)}
    tables["ModuleCompletion"] = list(ModuleCompletion.objects.order_by("pk").values())
    tables["AnalyticsEvent"] = list(AnalyticsEvent.objects.order_by("pk").values("pk", "event_type"))
    return tables


def test_it_runs_after_the_accounts_and_curriculum_steps(db):
    steps = discover()["demo"].steps

    order = {step.__module__: number for number, step in steps}

    assert order["myApp.sessions.seeds"] == 30
    assert order["myApp.accounts.seeds"] < order["myApp.curriculum.seeds"] < order["myApp.sessions.seeds"]


def test_it_gives_the_demo_learner_a_conversation(demo):
    conversation = Conversation.objects.get(user=demo)

    messages = list(conversation.messages.order_by("created_at", "id"))
    assert conversation.ended_at is None
    assert conversation.message_count == len(messages) == 2 * len(DEMO_CHAT)
    assert [m.content for m in messages if m.role == "user"] == list(DEMO_CHAT)
    assert messages[-1].content == "Your name is Maya."
    nerves_answer = messages[3]
    assert nerves_answer.metadata["route"] == "course_query" and nerves_answer.metadata["sources"]


def test_it_completes_each_guided_module_once(demo):
    conversation = Conversation.objects.get(user=demo)

    assert sorted(ModuleCompletion.objects.filter(user=demo).values_list("module_id", flat=True)) == sorted(
        WellbeingModule.values
    )
    status = conversation.module_status
    assert set(status) == set(WellbeingModule.values)
    assert all(entry["completed_at"] and entry["completion_data"] for entry in status.values())
    assert status["breathing_exercise"]["recommended_at"]  # the anxious message suggested it
    report = selectors.psychology_report(user=demo)
    assert all(report[module]["count"] == 1 for module in WellbeingModule.values)
    assert report["inner_doodling"]["drawings"] == 1


def test_it_changes_nothing_the_second_time(demo, capsys):
    after_once = chat_snapshot()
    capsys.readouterr()

    assert seed_data.main(["demo"]) == 0

    assert chat_snapshot() == after_once
    assert "chat and guided modules already done" in capsys.readouterr().out


def test_it_leaves_a_learner_with_completions_alone(demo):
    conversation = Conversation.objects.get(user=demo)
    Message.objects.filter(conversation=conversation).delete()  # even if the chat itself was cleaned up

    demo_conversation(Console(file=io.StringIO()))

    assert not Message.objects.filter(conversation=conversation).exists()


def test_it_waits_for_the_demo_people(db):
    out = io.StringIO()

    demo_conversation(Console(file=out))

    assert "demo_learner missing" in out.getvalue()
    assert not Conversation.objects.exists()
