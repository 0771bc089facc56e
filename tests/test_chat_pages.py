"""Chat and wellbeing pages through real URLs: the conversation, past conversations,
the four guided modules, the report; owners, outsiders, staff, errors and query counts."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myApp.accounts.models import AccessRecord
from myApp.sessions import services
from myApp.sessions.models import Conversation, Message, ModuleCompletion
from myApp.sessions.throttling import ChatRateThrottle
from tests.factories import KnowledgeBlockFactory

CHAT_URL = reverse("chat:conversation")
HISTORY_URL = reverse("chat:history")
REPORT_URL = reverse("chat:report")
BREATHING = {"completed_steps": ["breathing"], "emotion": "Anxious", "intensity": 70}
MOOD = {"mood": "Calm", "date": "2025-03-04", "note": "A good walk."}
DOODLE = {"sketch_data": {"has_drawing": True, "strokes": [[[1, 2], [3, 4]]], "width": 600, "height": 400}}
CHECK_IN = {"answers": {"0": 3, "1": 4}, "total_questions": 10}


def module_url(slug: str, conversation: Conversation | None = None) -> str:
    if conversation is None:
        return reverse("chat:module", args=[slug])
    return reverse("chat:conversation_module", args=[conversation.pk, slug])


def field_block(html: str, name: str) -> str:
    """The markup of one form field's wrapper (up to the next field), where its errors must appear."""
    start = html.index(f'data-field="{name}"')
    following = html.find("data-field=", start + 1)
    end = following if following != -1 else html.index("</form>", start)
    return html[start:end]


def complete(conversation, module_id: str, data: dict) -> None:
    services.conversation_module_complete(
        conversation=conversation, user=conversation.user, module_id=module_id, completion_data=data
    )


@pytest.fixture
def conversation(owner):
    active, _ = services.conversation_get_or_create_active(user=owner)
    return active


# --- Access ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [CHAT_URL, HISTORY_URL, REPORT_URL, module_url("breathing"), module_url("doodle"), "/chat/1/"],
)
def test_it_sends_anonymous_visitors_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_it_404s_an_unknown_guided_module(client, owner):
    client.force_login(owner)
    assert client.get(module_url("meditation")).status_code == 404
    assert client.post(module_url("meditation"), {}).status_code == 404


# --- The conversation page ---------------------------------------------------------------


def test_it_shows_an_empty_state_without_starting_a_conversation(client, owner):
    client.force_login(owner)

    response = client.get(CHAT_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="chat-empty"' in html and 'name="message"' in html
    assert '<label for="id_message">Your message</label>' in html
    assert not Conversation.objects.filter(user=owner).exists()


def test_it_saves_both_messages_and_redirects_back(client, owner):
    client.force_login(owner)

    response = client.post(CHAT_URL, {"message": "Hi, my name is Alice"})

    assert response.status_code == 302 and response["Location"] == f"{CHAT_URL}#composer"
    conversation = Conversation.objects.get(user=owner, ended_at__isnull=True)
    assert list(conversation.messages.values_list("role", flat=True)) == ["user", "assistant"]
    assert conversation.message_count == 2
    client.post(CHAT_URL, {"message": "What is my name?"})
    html = client.get(CHAT_URL).content.decode()
    roles = re.findall(r'data-testid="chat-message" data-role="(\w+)"', html)
    assert roles == ["user", "assistant", "user", "assistant"]  # newest at the bottom
    assert html.index("Hi, my name is Alice") < html.index("Your name is Alice.")


def test_it_shows_the_sources_under_an_assistant_answer(client, owner):
    KnowledgeBlockFactory(title="Opening strong", summary="Start with a question or a story.")
    client.force_login(owner)

    client.post(CHAT_URL, {"message": "How do I make my opening strong?"})

    answer = Message.objects.get(user=owner, role="assistant")
    assert answer.metadata["sources"], answer.metadata
    html = client.get(CHAT_URL).content.decode()
    sources = re.search(r'data-testid="sources".*?</ul>', html, re.S).group(0)
    assert "<strong>Opening strong</strong>" in sources and "Start with a question or a story." in sources


@pytest.mark.parametrize(
    ("message", "error"),
    [("   ", "Write a message."), ("x" * 4001, "Keep it to 4000 characters or fewer.")],
)
def test_it_rejects_an_empty_or_overlong_message_with_400(client, owner, message, error):
    client.force_login(owner)

    response = client.post(CHAT_URL, {"message": message})

    assert response.status_code == 400
    assert error in field_block(response.content.decode(), "message")
    assert not Message.objects.exists()


def test_it_answers_429_when_messages_come_too_fast(client, owner, monkeypatch):
    monkeypatch.setattr(ChatRateThrottle, "THROTTLE_RATES", {"chat": "2/minute"})
    client.force_login(owner)
    for text in ("one", "two"):
        assert client.post(CHAT_URL, {"message": text}).status_code == 302

    response = client.post(CHAT_URL, {"message": "three"})

    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Too many requests" in response.content.decode()
    assert "Back to the chat" in response.content.decode()
    assert Message.objects.filter(role="user").count() == 2


def test_it_suggests_a_recommended_module_until_it_is_done(client, owner):
    client.force_login(owner)
    client.post(CHAT_URL, {"message": "I feel so anxious before my talk"})

    html = client.get(CHAT_URL).content.decode()

    suggestion = re.search(r'data-testid="suggestion".*?</section>', html, re.S).group(0)
    assert "Suggested for you: Breathing" in suggestion
    assert f'href="{module_url("breathing")}"' in suggestion
    complete(Conversation.objects.get(user=owner, ended_at__isnull=True), "breathing_exercise", BREATHING)
    assert 'data-testid="suggestion"' not in client.get(CHAT_URL).content.decode()


def test_it_starts_and_ends_conversations_with_the_buttons(client, owner, conversation):
    client.force_login(owner)

    assert client.post(reverse("chat:new")).status_code == 302
    conversation.refresh_from_db()
    fresh = Conversation.objects.get(user=owner, ended_at__isnull=True)
    assert conversation.ended_at is not None and fresh.pk != conversation.pk
    assert f'action="{reverse("chat:end", args=[fresh.pk])}"' in client.get(CHAT_URL).content.decode()

    response = client.post(reverse("chat:end", args=[fresh.pk]), follow=True)

    fresh.refresh_from_db()
    assert fresh.ended_at is not None
    assert 'data-testid="chat-empty"' in response.content.decode()


def test_it_404s_when_an_outsider_ends_someone_elses_conversation(client, outsider, conversation):
    client.force_login(outsider)

    assert client.post(reverse("chat:end", args=[conversation.pk])).status_code == 404
    conversation.refresh_from_db()
    assert conversation.ended_at is None


# --- Past conversations ------------------------------------------------------------------


def test_it_lists_only_the_learners_own_conversations(client, owner, outsider, conversation):
    services.message_add(conversation=conversation, role="user", content="first chat")
    second = services.conversation_create(user=owner)
    complete(second, "emotion_labeling", MOOD)
    theirs, _ = services.conversation_get_or_create_active(user=outsider)
    client.force_login(owner)

    html = client.get(HISTORY_URL).content.decode()

    assert re.findall(r'data-testid="conversation-(\d+)"', html) == [str(second.pk), str(conversation.pk)]
    assert f'data-testid="conversation-{theirs.pk}"' not in html
    assert "Exercises done: Mood check-in" in html


def test_it_shows_a_past_conversation_read_only_to_its_owner(client, owner, conversation):
    services.chat_send(user=owner, message="Hello there")
    complete(conversation, "quick_assessment", CHECK_IN)
    services.conversation_end(conversation=conversation)
    client.force_login(owner)

    response = client.get(reverse("chat:detail", args=[conversation.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Hello there" in html and 'name="message"' not in html  # no composer: read-only
    assert "Ended" in html
    quick = re.search(r'data-testid="module-check-in">.*?</tr>', html, re.S).group(0)
    assert "Not yet" not in quick


def test_it_404s_another_learners_conversation_page(client, outsider, conversation):
    services.message_add(conversation=conversation, role="user", content="private words")
    client.force_login(outsider)

    response = client.get(reverse("chat:detail", args=[conversation.pk]))

    assert response.status_code == 404 and b"private words" not in response.content


# --- Guided modules ----------------------------------------------------------------------

VALID_POSTS = [
    (
        "breathing",
        "breathing_exercise",
        {
            "inhale": "5",
            "hold": "2",
            "exhale": "6",
            "hold_after": "0",
            "completed_steps": ["breathing", "grounding"],
            "emotion": "Calm",
            "intensity": "30",
        },
        {
            "completed_steps": ["breathing", "grounding"],
            "emotion": "Calm",
            "intensity": 30,
            "timings": {"inhale": 5, "hold": 2, "exhale": 6, "hold_after": 0},
        },
    ),
    (
        "mood",
        "emotion_labeling",
        {"mood": "Calm", "date": "2025-03-04", "note": "A good walk."},
        {"mood": "Calm", "date": "2025-03-04", "note": "A good walk."},
    ),
    (
        "doodle",
        "inner_doodling",
        {"strokes": json.dumps([[[10, 20], [30, 40], [50, 45]], [[5, 5]]]), "width": "600", "height": "400"},
        {
            "sketch_data": {
                "has_drawing": True,
                "strokes": [[[10, 20], [30, 40], [50, 45]], [[5, 5]]],
                "width": 600,
                "height": 400,
            }
        },
    ),
    ("doodle", "inner_doodling", {"on_paper": "on", "strokes": ""}, {"sketch_data": {"has_drawing": True}}),
    ("check-in", "quick_assessment", {"q0": "3", "q4": "5"}, {"answers": {"0": 3, "4": 5}, "total_questions": 10}),
]


@pytest.mark.parametrize(("slug", "module_id", "post", "expected"), VALID_POSTS)
def test_it_completes_each_module_from_its_page(client, owner, slug, module_id, post, expected):
    client.force_login(owner)
    assert client.get(module_url(slug)).status_code == 200

    response = client.post(module_url(slug), post)

    assert response.status_code == 302 and response["Location"] == f"{module_url(slug)}?done=1"
    conversation = Conversation.objects.get(user=owner, ended_at__isnull=True)
    saved = conversation.metadata["module_status"][module_id]["completion_data"]
    if module_id == "breathing_exercise":
        assert saved.pop("timestamp")
    assert saved == expected
    completion = ModuleCompletion.objects.get(user=owner, conversation=conversation)
    assert completion.module_id == module_id
    done = client.get(response["Location"])
    assert 'data-testid="done"' in done.content.decode()
    assert "saved. Thank you" in done.content.decode()  # the django message


def test_it_shows_the_check_in_total_afterwards(client, owner):
    client.force_login(owner)

    html = client.post(module_url("check-in"), {"q0": "3", "q4": "5", "q9": "1"}, follow=True).content.decode()

    assert re.search(r'<dt>Total</dt><dd data-testid="summary-1">9 of 15</dd>', html)
    assert "3 of 10" in html  # statements answered


def test_it_renders_the_ten_statements_as_fieldsets_with_1_to_5(client, owner):
    client.force_login(owner)

    html = client.get(module_url("check-in")).content.decode()

    assert html.count("<fieldset") == 10 and html.count("<legend>") == 10
    assert "I felt hopeful about the coming week." in html
    assert len(re.findall(r'type="radio" name="q3" value="[1-5]"', html)) == 5


def test_it_completes_a_module_on_the_conversation_named_in_the_url(client, owner, conversation):
    services.conversation_create(user=owner)  # the named conversation is no longer the active one
    client.force_login(owner)

    response = client.post(module_url("mood", conversation), MOOD)

    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.metadata["module_status"]["emotion_labeling"]["completion_data"] == MOOD
    assert ModuleCompletion.objects.get().conversation == conversation


@pytest.mark.parametrize(("slug", "post"), [(slug, post) for slug, _, post, _ in VALID_POSTS])
def test_it_404s_module_pages_on_another_learners_conversation(client, outsider, conversation, slug, post):
    client.force_login(outsider)

    assert client.get(module_url(slug, conversation)).status_code == 404
    assert client.post(module_url(slug, conversation), post).status_code == 404
    assert not ModuleCompletion.objects.exists()
    conversation.refresh_from_db()
    assert conversation.metadata == {}


BREATHING_POST = VALID_POSTS[0][2]


@pytest.mark.parametrize(
    ("slug", "post", "field", "error"),
    [
        # checked by the service's schema (the form only shapes the input)
        ("breathing", {**BREATHING_POST, "intensity": "150"}, "intensity", "less than or equal to 100"),
        ("breathing", {**BREATHING_POST, "inhale": "30"}, "inhale", "less than or equal to 12"),
        ("mood", {**MOOD, "note": "x" * 1001}, "note", "no more than 1000 characters"),
        ("mood", {**MOOD, "date": "2030-01-01"}, "date", "today or a day that has passed"),
        ("doodle", {"strokes": "[[[1, 99999]]]"}, "strokes", "within the canvas"),
        # checked by the form
        ("breathing", {**BREATHING_POST, "completed_steps": []}, "completed_steps", "Tick at least one step"),
        ("mood", {"date": "2025-03-04"}, "mood", "Pick the mood"),
        ("doodle", {"strokes": "not json"}, "strokes", "could not be read"),
        ("check-in", {"q2": "9"}, "q2", "Select a valid choice"),
        ("check-in", {}, "__all__", "Answer at least one statement."),
    ],
)
def test_it_shows_invalid_values_next_to_the_field_with_400(client, owner, slug, post, field, error):
    client.force_login(owner)

    response = client.post(module_url(slug), post)

    assert response.status_code == 400
    assert error in field_block(response.content.decode(), field)
    assert not ModuleCompletion.objects.exists()


# --- The report --------------------------------------------------------------------------


def _two_conversations_of_completions(owner) -> None:
    first, _ = services.conversation_get_or_create_active(user=owner)
    complete(first, "breathing_exercise", {**BREATHING, "emotion": "Anxious", "intensity": 80})
    complete(first, "emotion_labeling", {"mood": "Tired", "date": "2025-01-10"})
    complete(first, "quick_assessment", {"answers": {"0": 2, "3": 4}, "total_questions": 10})
    second = services.conversation_create(user=owner)
    complete(second, "breathing_exercise", {**BREATHING, "emotion": "Calm", "intensity": 25})
    complete(second, "emotion_labeling", {"mood": "Happy", "date": "2025-01-11"})
    complete(second, "inner_doodling", DOODLE)


def test_it_reports_data_from_two_conversations(client, owner):
    _two_conversations_of_completions(owner)
    client.force_login(owner)

    response = client.get(REPORT_URL)

    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r'data-testid="breathing-row">.*?</tr>', html, re.S)
    assert len(rows) == 2 and "Anxious" in rows[0] and "Calm" in rows[1]
    assert 'value="80"' in rows[0] and 'value="25"' in rows[1]
    assert 'role="img"' in html and "oldest first: 80, 25" in html  # the sparkline and its text
    assert re.findall(r'data-testid="mood-row">.*?<strong>(\w+)</strong>', html) == ["Tired", "Happy"]
    assessment = re.search(r'data-testid="assessment-row">.*?</li>', html, re.S).group(0)
    assert "total <strong>6</strong> of 10" in assessment
    assert "<tr><td>I felt connected to people around me.</td><td>4</td></tr>" in assessment
    assert '<strong data-testid="doodle-count">1</strong>' in html


def test_it_shows_an_empty_report(client, owner):
    client.force_login(owner)
    html = client.get(REPORT_URL).content.decode()
    assert 'data-testid="report-empty"' in html and "<svg" not in html


def test_it_shows_a_learners_report_to_staff_but_not_to_an_outsider(client, owner, outsider, staff):
    _two_conversations_of_completions(owner)
    url = reverse("chat:report_user", args=[owner.pk])

    client.force_login(staff)
    staff_view = client.get(url)
    assert staff_view.status_code == 200
    assert f"Wellbeing report for {owner.username}" in staff_view.content.decode()
    assert "Anxious" in staff_view.content.decode()
    assert AccessRecord.objects.get().through == "staff_operations"  # a staff operation, recorded

    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert "Anxious" not in client.get(REPORT_URL).content.decode()  # the outsider's own report is empty

    client.force_login(owner)
    assert client.get(url).status_code == 200


# --- Query counts ------------------------------------------------------------------------


def _add_messages(conversation, count: int) -> None:
    for n in range(count):
        services.message_add(conversation=conversation, role="user", content=f"question {n}")
        services.message_add(
            conversation=conversation,
            role="assistant",
            content=f"answer {n}",
            metadata={"sources": [{"id": n, "title": f"Source {n}", "snippet": "…"}]},
        )


def test_it_keeps_the_conversation_page_queries_flat(client, owner, conversation, django_assert_max_num_queries):
    services.conversation_module_recommend(conversation=conversation, user=owner, module_id="breathing_exercise")
    _add_messages(conversation, 2)  # 4 messages
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHAT_URL).status_code == 200
    small = len(queries)
    assert small <= 8, [q["sql"] for q in queries.captured_queries]

    _add_messages(conversation, 14)  # 32 messages

    with django_assert_max_num_queries(small):
        html = client.get(CHAT_URL).content.decode()
    assert html.count('data-testid="chat-message"') == 32 and html.count('data-testid="sources"') == 16


def test_it_keeps_the_report_queries_flat(client, owner, conversation, django_assert_max_num_queries):
    def add(times: int) -> None:
        for _ in range(times):
            complete(conversation, "breathing_exercise", BREATHING)
            complete(conversation, "emotion_labeling", MOOD)
            complete(conversation, "quick_assessment", CHECK_IN)

    add(1)
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(REPORT_URL).status_code == 200
    small = len(queries)
    assert small <= 5, [q["sql"] for q in queries.captured_queries]

    add(9)  # 30 completions

    with django_assert_max_num_queries(small):
        html = client.get(REPORT_URL).content.decode()
    assert html.count('data-testid="breathing-row"') == 10 and html.count('data-testid="assessment-row"') == 10


def test_it_keeps_the_history_page_queries_flat(client, owner, django_assert_max_num_queries):
    for _ in range(3):
        services.conversation_create(user=owner)
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HISTORY_URL).status_code == 200
    small = len(queries)

    for _ in range(27):
        services.conversation_create(user=owner)

    with django_assert_max_num_queries(small):
        html = client.get(HISTORY_URL).content.decode()
    assert html.count('data-testid="conversation-') == 20  # one page
