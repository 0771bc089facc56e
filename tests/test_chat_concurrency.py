"""Concurrent writers on one conversation never lose each other's updates (PostgreSQL, real threads)."""

import pytest

from myApp.sessions import services
from myApp.sessions.models import Conversation, ModuleCompletion
from tests.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

COMPLETIONS = {
    "breathing_exercise": {"completed_steps": ["breathing"], "emotion": "Calm", "intensity": 20},
    "emotion_labeling": {"mood": "Happy", "note": "Good talk today"},
    "inner_doodling": {"sketch_data": {"has_drawing": True}},
    "quick_assessment": {"answers": {"0": 4, "1": 5}, "total_questions": 10},
}


def test_it_keeps_every_module_completed_at_the_same_moment(owner):
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    calls = [
        lambda module_id=module_id, data=data: services.conversation_module_complete(
            conversation=conversation, user=owner, module_id=module_id, completion_data=data
        )
        for module_id, data in COMPLETIONS.items()
    ] * 2  # each module twice: eight writers on one JSON document
    race(*calls)
    conversation.refresh_from_db()
    status = conversation.metadata["module_status"]
    assert set(status) == set(COMPLETIONS)
    assert all(status[module]["completion_data"] == data for module, data in COMPLETIONS.items())
    assert ModuleCompletion.objects.filter(conversation=conversation).count() == 8


def test_it_creates_one_active_session_for_concurrent_chats(owner):
    results = race(*[lambda n=n: services.chat_send(user=owner, message=f"Hello number {n}") for n in range(5)])
    assert len({result.conversation.pk for result in results}) == 1
    conversation = Conversation.objects.get(user=owner, ended_at__isnull=True)
    assert conversation.message_count == 10
    assert Conversation.objects.filter(user=owner).count() == 1
