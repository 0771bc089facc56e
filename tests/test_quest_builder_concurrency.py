"""Concurrent writers to one builder session keep each other's turns: real threads on PostgreSQL, each
with its own connection."""

import pytest

from myApp.lib.exceptions import ServiceError
from myApp.quests import services
from myApp.quests.models import Quest, QuestBuilderSession
from tests.concurrency import race
from tests.quest_builder_helpers import builder_ready

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MESSAGES = ("8", "Trains and rockets", "We went to the zoo together", "Worries", "A harbour", "Hello")


def test_turns_sent_at_once_are_all_kept_in_order(author):
    session = services.builder_session_create(user=author)

    results = race(
        *[lambda text=text: services.builder_chat(session=session, by=author, message=text) for text in MESSAGES]
    )

    assert not [result for result in results if isinstance(result, ServiceError)]
    session.refresh_from_db()
    history = session.conversation_history
    assert len(history) == 1 + 2 * len(MESSAGES)
    sent = [entry["content"] for entry in history if entry["role"] == "user"]
    assert sorted(sent) == sorted(MESSAGES)
    # Every question was followed by its answer: the roles alternate, each reply right after its message.
    assert [entry["role"] for entry in history] == ["assistant"] + ["user", "assistant"] * len(MESSAGES)


def test_an_edit_racing_a_turn_loses_neither(author):
    session = services.builder_session_create(user=author)

    race(
        lambda: services.builder_chat(session=session, by=author, message="9"),
        lambda: services.builder_session_update(session=session, by=author, quest_context={"location": "Harbour"}),
    )

    session.refresh_from_db()
    assert session.quest_context["child_age"] == 9
    assert session.quest_context["location"] == "Harbour"
    assert len(session.conversation_history) == 3


def test_a_session_finished_twice_at_once_makes_one_quest(author):
    session = builder_ready(author)

    results = race(*[lambda: services.builder_finish(session=session, by=author) for _ in range(4)])

    quests = [result for result in results if isinstance(result, Quest)]
    refusals = [result for result in results if isinstance(result, ServiceError)]
    assert len(quests) == 1 and len(refusals) == 3
    assert all(refusal.status_code == 409 for refusal in refusals)
    assert Quest.objects.filter(creator=author).count() == 1
    assert QuestBuilderSession.objects.get(pk=session.pk).quest == quests[0]
