"""The chat admin: conversations with their messages, read-only for staff, ended or deleted only through
the services, searchable by session id and username (never by message text), and cheap to list."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from myApp.accounts.models import User
from myApp.sessions import history_cache, services
from myApp.sessions.models import Conversation, Message, ModuleCompletion
from tests.factories import StaffFactory, UserFactory

NOTE = "<script>alert('x')</script> Ready & calm"
MOOD = {"mood": "Calm", "note": NOTE}
BREATHING = {"completed_steps": ["breathing"], "emotion": "Anxious", "intensity": 70}


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def chat(user, message: str = "Hi, my name is Alice") -> Conversation:
    """One chat turn (user + assistant messages) and a mood check-in, through the services."""
    conversation = services.chat_send(user=user, message=message).conversation
    services.conversation_module_complete(
        conversation=conversation, user=user, module_id="emotion_labeling", completion_data=MOOD
    )
    return conversation


def results(response) -> list:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


# --- Changelists and search -------------------------------------------------------------------


def test_it_finds_conversations_by_username_and_session_id(staff_client, owner, outsider):
    mine, theirs = chat(owner), chat(outsider)
    changelist = url(Conversation, "changelist")

    assert results(staff_client.get(changelist, {"q": "outsid"})) == [theirs]
    assert results(staff_client.get(changelist, {"q": str(mine.session_id)})) == [mine]
    assert results(staff_client.get(changelist, {"q": str(mine.session_id)[:8]})) == [mine]
    assert results(staff_client.get(changelist, {"q": "nobody-like-this"})) == []
    assert results(staff_client.get(changelist, {"q": "Alice"})) == []  # never by what was said


def test_it_filters_conversations_by_liveness_and_device(staff_client, owner, outsider, member):
    ended = chat(owner)
    services.conversation_end(conversation=ended)
    timed_out = chat(member)
    Conversation.objects.filter(pk=timed_out.pk).update(last_activity_at=timezone.now() - timedelta(days=2))
    active = services.chat_send(user=outsider, message="Hello").conversation
    changelist = url(Conversation, "changelist")

    assert results(staff_client.get(changelist, {"live": "yes"})) == [active]
    assert set(results(staff_client.get(changelist, {"live": "no"}))) == {ended, timed_out}
    assert results(staff_client.get(changelist, {"device_type__exact": "mobile"})) == []


def test_it_finds_messages_by_session_id_or_username_but_not_by_their_text(staff_client, owner, outsider):
    mine = chat(owner, "Hi, my name is Alice")
    chat(outsider, "Hello")
    changelist = url(Message, "changelist")

    assert {m.conversation_id for m in results(staff_client.get(changelist, {"q": str(mine.session_id)}))} == {mine.pk}
    assert len(results(staff_client.get(changelist, {"q": "owner"}))) == 2
    assert results(staff_client.get(changelist, {"q": "Alice"})) == []  # message text is personal


def test_it_filters_messages_by_role_and_model(staff_client, owner):
    chat(owner)
    changelist = url(Message, "changelist")

    assert [m.role for m in results(staff_client.get(changelist, {"role__exact": "assistant"}))] == ["assistant"]
    by_model = results(staff_client.get(changelist, {"model_used": "local-knowledge-base"}))
    assert [m.role for m in by_model] == ["assistant"]


def test_it_lists_and_filters_module_completions(staff_client, owner, outsider):
    conversation = chat(owner)
    services.conversation_module_complete(
        conversation=conversation, user=owner, module_id="breathing_exercise", completion_data=BREATHING
    )
    chat(outsider)
    changelist = url(ModuleCompletion, "changelist")

    breathing = results(staff_client.get(changelist, {"module_id__exact": "breathing_exercise"}))
    assert [(c.user, c.module_id) for c in breathing] == [(owner, "breathing_exercise")]
    assert len(results(staff_client.get(changelist, {"q": "owner"}))) == 2
    assert len(results(staff_client.get(changelist, {"q": str(conversation.session_id)}))) == 2


# --- The conversation page ----------------------------------------------------------------------


def test_it_shows_the_messages_and_module_status_of_a_conversation(staff_client, owner):
    conversation = chat(owner)
    services.chat_send(user=owner, message="What is my name?")

    response = staff_client.get(url(Conversation, "change", conversation.pk))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Hi, my name is Alice" in page and "Your name is Alice." in page  # the messages inline
    assert "Emotion labelling" in page
    assert "&quot;mood&quot;: &quot;Calm&quot;" in page  # completion data as readable JSON
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>alert(" not in page


def test_it_says_when_no_module_was_used(staff_client, owner):
    conversation = services.chat_send(user=owner, message="Hello").conversation

    response = staff_client.get(url(Conversation, "change", conversation.pk))

    assert "No guided module recommended or completed yet." in response.content.decode()


def test_it_shows_a_message_and_a_completion_read_only(staff_client, owner):
    chat(owner)
    message = Message.objects.get(role="assistant")
    completion = ModuleCompletion.objects.get()

    for page in (url(Message, "change", message.pk), url(ModuleCompletion, "change", completion.pk)):
        response = staff_client.get(page)
        assert response.status_code == 200
        assert 'name="_save"' not in response.content.decode()
        assert url(Message, "delete", message.pk) not in response.content.decode()


# --- Read-only -----------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Conversation, Message, ModuleCompletion])
def test_it_lets_no_one_add_chat_rows_by_hand(staff_client, model):
    assert staff_client.get(url(model, "add")).status_code == 403
    assert staff_client.post(url(model, "add"), {}).status_code == 403


def test_it_lets_no_one_edit_a_conversation(staff_client, owner):
    conversation = chat(owner)

    page = staff_client.get(url(Conversation, "change", conversation.pk))
    posted = staff_client.post(
        url(Conversation, "change", conversation.pk), {"ended_at": "2026-01-01 10:00", "device_type": "mobile"}
    )

    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert posted.status_code == 403
    conversation.refresh_from_db()
    assert conversation.ended_at is None and conversation.device_type != "mobile"


def test_it_lets_no_one_edit_a_message(staff_client, owner):
    chat(owner)
    message = Message.objects.get(role="user")

    response = staff_client.post(url(Message, "change", message.pk), {"content": "rewritten", "role": "user"})

    assert response.status_code == 403
    assert Message.objects.get(pk=message.pk).content == "Hi, my name is Alice"


@pytest.mark.parametrize("model", [Message, ModuleCompletion])
def test_it_deletes_messages_and_completions_only_with_their_conversation(staff_client, owner, model):
    chat(owner)
    row = model.objects.order_by("pk").first()

    assert staff_client.post(url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
    response = staff_client.post(url(model, "changelist"), {"action": "delete_selected", "_selected_action": [row.pk]})

    assert response.status_code in (200, 302)
    assert model.objects.filter(pk=row.pk).exists()


# --- Writes through the services ------------------------------------------------------------------


def test_it_ends_the_selected_conversations(staff_client, owner, outsider, member):
    ending, ended_before, untouched = chat(owner), chat(outsider), chat(member)
    services.conversation_end(conversation=ended_before)

    response = staff_client.post(
        url(Conversation, "changelist"),
        {"action": "end_conversations", "_selected_action": [ending.pk, ended_before.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "Ended 1 conversation(s). 1 were already ended." in response.content.decode()
    ending.refresh_from_db()
    assert ending.ended_at is not None
    assert Conversation.objects.get(pk=untouched.pk).ended_at is None


def test_it_offers_the_end_action_only_to_staff_who_may_change_conversations(client, owner):
    conversation = chat(owner)
    viewer = StaffFactory(username="viewer", is_superuser=False)
    viewer.user_permissions.add(Permission.objects.get(codename="view_conversation"))  # no service owns permissions
    client.force_login(viewer)

    page = client.get(url(Conversation, "changelist"))
    posted = client.post(
        url(Conversation, "changelist"), {"action": "end_conversations", "_selected_action": [conversation.pk]}
    )

    assert page.status_code == 200
    assert "end_conversations" not in page.content.decode()
    assert posted.status_code in (200, 302)
    assert Conversation.objects.get(pk=conversation.pk).ended_at is None


@pytest.mark.django_db(transaction=True)  # the history cache is written and cleared on commit
def test_it_deletes_a_conversation_with_its_messages_and_cached_history(client, owner, outsider):
    client.force_login(StaffFactory(username="eraser"))
    doomed, kept = chat(owner), chat(outsider)
    assert cache.get(history_cache.key(doomed.pk)) is not None

    response = client.post(url(Conversation, "delete", doomed.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Conversation.objects.filter(pk=doomed.pk).exists()
    assert not Message.objects.filter(conversation_id=doomed.pk).exists()
    assert not ModuleCompletion.objects.filter(conversation_id=doomed.pk).exists()
    assert cache.get(history_cache.key(doomed.pk)) is None
    assert cache.get(history_cache.key(kept.pk)) is not None


def test_it_lets_staff_erase_a_user_who_has_chatted(staff_client, outsider):
    """Accounts are erased, not deleted (``test_data_rights_erasure``): the chat goes with the erasure."""
    chat(outsider)

    data = {"action": "erase_accounts", "_selected_action": [outsider.pk], "confirm": "yes"}
    response = staff_client.post(reverse("admin:accounts_user_changelist"), data)

    assert response.status_code == 302
    assert not User.objects.get(pk=outsider.pk).is_active
    assert not Message.objects.exists() and not ModuleCompletion.objects.exists()


# --- Query counts -----------------------------------------------------------------------------------


def grow(count: int) -> None:
    for _ in range(count):
        chat(UserFactory())


@pytest.mark.parametrize("model", [Conversation, Message, ModuleCompletion])
def test_it_lists_chat_rows_with_a_bounded_number_of_queries(staff_client, model, django_assert_max_num_queries):
    changelist = url(model, "changelist")
    grow(3)
    staff_client.get(changelist)  # warm the session cache so both measured requests start alike

    with CaptureQueriesContext(connection) as few:
        response = staff_client.get(changelist)
    assert len(results(response)) == model.objects.count() >= 3

    grow(12)
    with django_assert_max_num_queries(len(few)):
        response = staff_client.get(changelist)
    assert len(results(response)) == model.objects.count() >= 15


def test_it_opens_a_long_conversation_with_a_bounded_number_of_queries(
    staff_client, owner, django_assert_max_num_queries
):
    conversation = chat(owner)
    page = url(Conversation, "change", conversation.pk)
    staff_client.get(page)

    with CaptureQueriesContext(connection) as short:
        assert staff_client.get(page).status_code == 200

    for n in range(10):
        services.chat_send(user=owner, message=f"Question {n}")
    with django_assert_max_num_queries(len(short)):
        response = staff_client.get(page)
    assert response.status_code == 200
    assert "Question 9" in response.content.decode()
