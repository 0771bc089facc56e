"""Chat sessions, messages, the history cache and guided modules through the services."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from myApp.lib.exceptions import NotAllowed, ServiceError
from myApp.sessions import history_cache, selectors, services
from myApp.sessions.models import Conversation, Message, ModuleCompletion
from tests.outages import DOWN_REDIS

BREATHING = {"completed_steps": ["breathing", "emotion_naming"], "emotion": "Anxious", "intensity": 65}


def message_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if '"messages"' in q["sql"]]


def test_it_keeps_one_active_conversation_per_user(owner):
    first, created = services.conversation_get_or_create_active(user=owner, user_agent="Mozilla (iPhone; Mobile)")
    assert created and first.device_type == "mobile" and first.ended_at is None
    again, created_again = services.conversation_get_or_create_active(user=owner)
    assert (again.pk, created_again) == (first.pk, False)

    fresh = services.conversation_create(user=owner)
    first.refresh_from_db()
    assert first.ended_at is not None
    assert Conversation.objects.filter(user=owner, ended_at__isnull=True).get() == fresh


@override_settings(CHAT_SESSION_TIMEOUT_HOURS=2)
def test_it_starts_a_new_conversation_after_the_timeout(owner):
    old, _ = services.conversation_get_or_create_active(user=owner)
    last_active = timezone.now() - timedelta(hours=2, seconds=1)
    Conversation.objects.filter(pk=old.pk).update(last_activity_at=last_active)
    new, created = services.conversation_get_or_create_active(user=owner)
    old.refresh_from_db()
    assert created and new.pk != old.pk
    assert old.ended_at == last_active + timedelta(hours=2)  # closed at the moment it timed out


def test_it_counts_messages_and_activity(owner):
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    before = conversation.last_activity_at
    services.message_add(conversation=conversation, role="user", content="Hello")
    services.message_add(conversation=conversation, role="assistant", content="Hi!")
    conversation.refresh_from_db()
    assert conversation.message_count == 2 and conversation.last_activity_at > before


@pytest.mark.django_db(transaction=True)  # the cache is written on commit
def test_it_reads_cached_history_without_a_message_query(owner):
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    for n in range(3):
        services.message_add(conversation=conversation, role="user", content=f"message {n}")
    conversation.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        history = selectors.conversation_history(conversation, 20)
    assert [m["content"] for m in history] == ["message 0", "message 1", "message 2"]
    assert message_queries(queries) == []


@pytest.mark.django_db(transaction=True)
def test_it_never_serves_a_stale_cache_entry(owner, api_as):
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    services.message_add(conversation=conversation, role="user", content="one")
    services.message_add(conversation=conversation, role="assistant", content="two")
    with override_settings(CACHES=DOWN_REDIS):  # an outage: this write reaches the database, not the cache
        services.message_add(conversation=conversation, role="user", content="three")
    stale = history_cache.cache.get(history_cache.key(conversation.pk))
    assert [m["content"] for m in history_cache.stored_messages(stale)] == ["one", "two"], (
        "the cache should still hold the older entry"
    )
    conversation.refresh_from_db()

    # The stale entry holds enough messages to answer "the last two": only its count gives it away.
    with CaptureQueriesContext(connection) as queries:
        history = selectors.conversation_history(conversation, 2)
    assert [m["content"] for m in history] == ["two", "three"]
    assert len(message_queries(queries)) == 1  # rebuilt from the database, once
    history_cache.cache.set(history_cache.key(conversation.pk), stale)  # stale again, for the API
    response = api_as(owner).get("/api/session/history", {"session_id": str(conversation.session_id), "limit": 2})
    assert [m["content"] for m in response.json()["messages"]] == ["two", "three"]
    with CaptureQueriesContext(connection) as queries:
        assert [m["content"] for m in selectors.conversation_history(conversation, 2)] == ["two", "three"]
    assert message_queries(queries) == []  # the rebuilt entry is current and served


@pytest.mark.django_db(transaction=True)
def test_it_serves_more_than_the_cache_from_the_database(owner):
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    for n in range(55):
        services.message_add(conversation=conversation, role="user", content=f"m{n}")
    conversation.refresh_from_db()
    assert len(selectors.conversation_history(conversation, 50)) == 50
    everything = selectors.conversation_history(conversation, 200)
    assert [m["content"] for m in everything] == [f"m{n}" for n in range(55)]


@pytest.mark.django_db(transaction=True)
def test_it_clears_the_cache_when_a_conversation_ends(owner):
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    services.message_add(conversation=conversation, role="user", content="bye")
    assert history_cache.cache.get(history_cache.key(conversation.pk))
    services.conversation_end(conversation=conversation)
    assert history_cache.cache.get(history_cache.key(conversation.pk)) is None


@pytest.mark.django_db(transaction=True)
def test_it_chats_and_reads_history_with_redis_down(owner):
    with override_settings(CACHES=DOWN_REDIS):
        result = services.chat_send(user=owner, message="Hello there")
        history = selectors.conversation_history(result.conversation, 10)
    assert [m["role"] for m in history] == ["user", "assistant"]


def test_it_runs_the_seven_chat_steps(owner):
    result = services.chat_send(user=owner, message="Hi, my name is Alice", user_agent="curl/8")
    assert result.reply.route == "smalltalk"
    second = services.chat_send(user=owner, message="What is my name?")
    assert second.conversation.pk == result.conversation.pk
    assert second.reply.answer == "Your name is Alice."
    assert second.conversation.message_count == 4
    assert list(Message.objects.filter(conversation=result.conversation).values_list("role", flat=True)) == [
        "user",
        "assistant",
        "user",
        "assistant",
    ]


@pytest.mark.parametrize("message", ["", "   ", "x" * 4001, None])
def test_it_rejects_empty_or_long_messages(owner, message):
    with pytest.raises(ServiceError) as refused:
        services.chat_send(user=owner, message=message)
    assert "message" in refused.value.errors
    assert not Conversation.objects.exists()


def test_it_recommends_a_module_when_the_message_shows_distress(owner):
    result = services.chat_send(user=owner, message="I feel so anxious before my talk tomorrow")
    assert result.reply.recommended_module == "breathing_exercise"
    assert result.conversation.module_status["breathing_exercise"]["recommended_at"]


# --- Guided modules ------------------------------------------------------------------


def test_it_completes_a_module_with_the_seed_document_shape(owner):
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    services.conversation_module_recommend(conversation=conversation, user=owner, module_id="breathing_exercise")
    completed_at, status = services.conversation_module_complete(
        conversation=conversation, user=owner, module_id="breathing_exercise", completion_data=BREATHING
    )
    conversation.refresh_from_db()
    entry = conversation.metadata["module_status"]["breathing_exercise"]
    assert set(entry) == {"recommended_at", "completed_at", "completion_data"}
    assert entry["completed_at"] == completed_at and status == conversation.metadata["module_status"]
    assert entry["completion_data"] == BREATHING
    assert ModuleCompletion.objects.filter(conversation=conversation, module_id="breathing_exercise").count() == 1


def test_it_keeps_every_completion_in_the_history(owner):
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    for intensity in (80, 40):
        services.conversation_module_complete(
            conversation=conversation,
            user=owner,
            module_id="breathing_exercise",
            completion_data={**BREATHING, "intensity": intensity},
        )
    conversation.refresh_from_db()
    assert conversation.module_status["breathing_exercise"]["completion_data"]["intensity"] == 40
    report = selectors.psychology_report(user=owner)
    assert [point["intensity"] for point in report["breathing_exercise"]["trend"]] == [80, 40]


@pytest.mark.parametrize(
    ("module_id", "data", "field"),
    [
        ("meditation", {}, "module_id"),
        ("breathing_exercise", {**BREATHING, "intensity": 101}, "completion_data.intensity"),
        ("breathing_exercise", {**BREATHING, "completed_steps": ["jogging"]}, "completion_data.completed_steps.0"),
        ("emotion_labeling", {"mood": "Ecstatic"}, "completion_data.mood"),
        ("emotion_labeling", {"mood": "Happy", "note": "x" * 1001}, "completion_data.note"),
        ("inner_doodling", {"sketch_data": {"has_drawing": "sometimes"}}, "completion_data.sketch_data.has_drawing"),
        (
            "inner_doodling",
            {"sketch_data": {"has_drawing": True, "strokes": [[[1, 99999]]]}},
            "completion_data.sketch_data.strokes",
        ),
        ("quick_assessment", {"answers": {"0": 9}, "total_questions": 10}, "completion_data.answers.0"),
        ("quick_assessment", {"answers": {"12": 3}, "total_questions": 10}, "completion_data.answers"),
        ("quick_assessment", {"answers": {"0": 3}, "total_questions": 7}, "completion_data.total_questions"),
    ],
)
def test_it_rejects_invalid_completion_data_naming_the_field(owner, module_id, data, field):
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    with pytest.raises(ServiceError) as refused:
        services.conversation_module_complete(
            conversation=conversation, user=owner, module_id=module_id, completion_data=data
        )
    assert refused.value.status_code == 400
    assert field in refused.value.errors, refused.value.errors
    conversation.refresh_from_db()
    assert conversation.metadata == {}


def test_it_refuses_someone_elses_conversation(owner, outsider):
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    with pytest.raises(NotAllowed):
        services.conversation_module_complete(
            conversation=conversation, user=outsider, module_id="breathing_exercise", completion_data=BREATHING
        )


def test_it_builds_the_report_across_conversations(owner, outsider):
    first, _ = services.conversation_get_or_create_active(user=owner)
    services.conversation_module_complete(
        conversation=first,
        user=owner,
        module_id="emotion_labeling",
        completion_data={"mood": "Sad", "date": "2026-11-01"},
    )
    second = services.conversation_create(user=owner)
    services.conversation_module_complete(
        conversation=second,
        user=owner,
        module_id="quick_assessment",
        completion_data={"answers": {"0": 3, "1": 4, "2": 2}, "total_questions": 10},
    )
    services.conversation_module_complete(
        conversation=second,
        user=owner,
        module_id="inner_doodling",
        completion_data={"sketch_data": {"has_drawing": True, "strokes": [[[1, 2], [3, 4]]]}},
    )
    report = selectors.psychology_report(user=owner)
    assert report["emotion_labeling"]["moods"] == [{"date": "2026-11-01", "mood": "Sad"}]
    assert report["quick_assessment"]["totals"][0]["total"] == 9
    assert report["inner_doodling"]["drawings"] == 1
    assert report["breathing_exercise"] == {
        "count": 0,
        "latest": None,
        "trend": [],
        "average_intensity": None,
        "intensities": [],
    }
    assert selectors.psychology_report(user=outsider)["emotion_labeling"]["count"] == 0


# --- Retention -------------------------------------------------------------------------


def test_it_ends_idle_and_deletes_old_conversations(owner, outsider, member):
    idle, _ = services.conversation_get_or_create_active(user=owner)
    old, _ = services.conversation_get_or_create_active(user=outsider)
    services.message_add(conversation=old, role="user", content="old news")
    services.conversation_end(conversation=old)
    fresh, _ = services.conversation_get_or_create_active(user=member)
    Conversation.objects.filter(pk=idle.pk).update(last_activity_at=timezone.now() - timedelta(hours=25))
    Conversation.objects.filter(pk=old.pk).update(last_activity_at=timezone.now() - timedelta(days=31))

    preview = services.conversations_apply_retention(dry_run=True)
    assert (preview.ended, preview.deleted_conversations, preview.deleted_messages) == (1, 1, 1)
    assert Conversation.objects.count() == 3 and Conversation.objects.get(pk=idle.pk).ended_at is None

    report = services.conversations_apply_retention()
    assert (report.ended, report.deleted_conversations, report.deleted_messages) == (1, 1, 1)
    assert not Conversation.objects.filter(pk=old.pk).exists()
    assert not Message.objects.filter(conversation_id=old.pk).exists()
    assert Conversation.objects.get(pk=idle.pk).ended_at is not None
    assert Conversation.objects.get(pk=fresh.pk).ended_at is None


@pytest.mark.django_db(transaction=True)
def test_it_never_serves_a_cache_entry_written_for_another_conversation(owner):
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    services.message_add(conversation=conversation, role="user", content="mine")
    conversation.refresh_from_db()
    entry = history_cache.cache.get(history_cache.key(conversation.pk))
    # as if the primary key had been recycled after a delete that skipped the service
    history_cache.cache.set(history_cache.key(conversation.pk), {**entry, "session_id": "someone-else"})
    assert history_cache.cached_history(conversation, 10) is None
    assert [m["content"] for m in selectors.conversation_history(conversation, 10)] == ["mine"]
