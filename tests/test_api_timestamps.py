"""One timestamp format across every endpoint: ISO 8601, UTC, milliseconds, ``Z`` (like JavaScript's toISOString)."""

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from myApp.lib.renderers import JSONRenderer
from myApp.lib.timestamps import TIMESTAMP_PATTERN, format_timestamp, reformat_timestamp
from tests.factories import CourseFactory

V1 = "/api/v1"
TIMESTAMP_KEYS = re.compile(r"(_at|^timestamp|^last_activity|^expiry)$")
LOOKS_LIKE_A_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def timestamps_in(document: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every value that is a timestamp by its key's name or by its look, with its path."""
    found: list[tuple[str, Any]] = []
    if isinstance(document, dict):
        for key, value in document.items():
            where = f"{path}.{key}"
            if TIMESTAMP_KEYS.search(str(key)) and not isinstance(value, dict | list):
                found.append((where, value))
            else:
                found.extend(timestamps_in(value, where))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found.extend(timestamps_in(value, f"{path}.{index}"))
    elif isinstance(document, str) and LOOKS_LIKE_A_TIME.match(document):
        found.append((path, document))
    return found


def assert_one_format(name: str, response) -> int:
    assert response.status_code in (200, 201), (name, response.status_code, response.content[:300])
    stamps = [(path, value) for path, value in timestamps_in(response.json()) if value is not None]
    assert stamps, f"{name}: no timestamp to check"
    wrong = [(path, value) for path, value in stamps if not TIMESTAMP_PATTERN.match(str(value))]
    assert not wrong, f"{name}: {wrong}"
    return len(stamps)


# --- the helper and the renderer -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 1, 18, 10, 15, tzinfo=UTC), "2026-01-18T10:15:00.000Z"),
        (datetime(2026, 1, 18, 10, 15, 0, 999_999, tzinfo=UTC), "2026-01-18T10:15:00.999Z"),  # cut, not rounded
        (
            datetime(2026, 1, 18, 15, 45, 0, 123_456, tzinfo=timezone(timedelta(hours=5, minutes=30))),
            "2026-01-18T10:15:00.123Z",
        ),
    ],
)
def test_it_formats_any_aware_datetime_in_utc_to_the_millisecond(value, expected):
    assert format_timestamp(value) == expected


def test_it_reads_a_naive_datetime_in_the_default_time_zone(settings):
    settings.TIME_ZONE = "Asia/Kolkata"
    assert format_timestamp(datetime(2026, 1, 18, 15, 45)) == "2026-01-18T10:15:00.000Z"


def test_it_rewrites_stored_strings_in_any_offset(settings):
    assert reformat_timestamp("2026-01-18T10:15:00.123456+00:00") == "2026-01-18T10:15:00.123Z"
    assert reformat_timestamp("2026-01-18T15:45:00+05:30") == "2026-01-18T10:15:00.000Z"
    assert reformat_timestamp("2026-01-18T10:15:00Z") == "2026-01-18T10:15:00.000Z"


def test_it_renders_datetimes_in_hand_built_responses(settings):
    settings.TIME_ZONE = "America/New_York"
    at = datetime(2026, 11, 23, 9, 30, 5, 250_000, tzinfo=UTC)
    body = JSONRenderer().render({"at": at, "nested": [{"when": at}], "date": at.date()})
    assert json.loads(body) == {
        "at": "2026-11-23T09:30:05.250Z",
        "nested": [{"when": "2026-11-23T09:30:05.250Z"}],
        "date": "2026-11-23",
    }


def test_it_is_the_configured_renderer_and_datetime_format(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] == ["myApp.lib.renderers.JSONRenderer"]
    assert settings.REST_FRAMEWORK["DATETIME_FORMAT"] is None


# --- every endpoint -----------------------------------------------------------------------


@pytest.fixture
def lived_in(api_as, owner, member, curriculum, complete_lesson):
    """The owner has chatted, done guided modules, enrolled, and finished a lesson; the member is their parent."""
    from myApp.curriculum import services as curriculum_services

    curriculum_services.curriculum_start(user=owner)
    complete_lesson(owner, curriculum.lessons_a[0])
    course = CourseFactory()
    return {"client": api_as(owner), "member_client": api_as(member), "course": course}


@pytest.mark.parametrize("time_zone", ["UTC", "Asia/Kolkata", "America/New_York"])
def test_it_emits_one_timestamp_format_on_every_endpoint(settings, lived_in, time_zone):
    settings.TIME_ZONE = time_zone
    client, course = lived_in["client"], lived_in["course"]
    checked: dict[str, int] = {}

    def check(name: str, response):
        checked[name] = assert_one_format(name, response)
        return response.json()

    # Seed 004: sessions and history
    created = check("session create", client.post("/api/session/create", {"device_type": "mobile"}))
    session_id = created["session_id"]
    client.post("/api/chat", {"message": "Hi, my name is Alice"})
    check("session check", client.get("/api/session/check"))
    for attempt in ("from the database", "from the cache"):
        check(f"session history {attempt}", client.get("/api/session/history", {"session_id": session_id}))
    # Seed 000: guided modules, with a client timestamp in another offset
    conversation_id = client.get(f"{V1}/conversations/").json()["results"][0]["id"]
    modules = f"/conversations/{conversation_id}/modules"
    check("module recommend", client.post(f"{modules}/breathing_exercise/recommend"))
    completed = check(
        "module complete",
        client.post(
            f"{modules}/breathing_exercise/complete",
            {"completion_data": {"emotion": "Calm", "timestamp": "2026-01-18T15:45:00+05:30"}},
        ),
    )
    assert (
        completed["module_status"]["breathing_exercise"]["completion_data"]["timestamp"] == "2026-01-18T10:15:00.000Z"
    )
    check("modules", client.get(modules))
    # /api/v1/ chat lists and details
    check("conversations", client.get(f"{V1}/conversations/"))
    check("conversation", client.get(f"{V1}/conversations/{conversation_id}/"))
    messages = check("conversation messages", client.get(f"{V1}/conversations/{conversation_id}/messages/"))
    check("report", client.get(f"{V1}/conversations/{conversation_id}/report/"))
    check("messages", client.get(f"{V1}/messages/"))
    first = messages["results"][0]
    check("message", client.get(f"{V1}/messages/{first['id']}/"))
    # Curriculum and accounts
    check("enroll", client.post(f"{V1}/courses/{course.pk}/enroll/"))
    check("seed 004 courses", client.get("/api/courses"))
    check("courses", client.get(f"{V1}/courses/"))
    check("course", client.get(f"{V1}/courses/{course.pk}/"))
    check("enrollments", client.get(f"{V1}/enrollments/"))
    check("progress", client.get(f"{V1}/progress/"))
    sessions = check("lesson sessions", client.get(f"{V1}/lesson-sessions/"))
    check("lesson session", client.get(f"{V1}/lesson-sessions/{sessions['results'][0]['id']}/"))
    check("child links (child)", client.get(f"{V1}/child-links/"))
    check("child links (parent)", lived_in["member_client"].get(f"{V1}/child-links/"))

    # The same instant reads the same everywhere: the history cache and the message serializer agree.
    history = client.get("/api/session/history", {"session_id": session_id}).json()["messages"]
    assert history[0]["created_at"] == first["created_at"]
    assert sum(checked.values()) > 40, checked


# --- stored documents from before -------------------------------------------------------


def test_it_rewrites_stored_module_timestamps_once_by_migration(api_as, owner):
    """Rows written by the old code (``+00:00``, microseconds) read back in the one format after 0002."""
    import importlib

    from django.apps import apps

    from myApp.sessions import services
    from myApp.sessions.models import Conversation, ModuleCompletion

    migration = importlib.import_module("myApp.sessions.migrations.0002_module_status_timestamps")
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    legacy = {
        "module_status": {
            "breathing_exercise": {
                "recommended_at": "2026-01-18T10:00:00.654321+00:00",
                "completed_at": "2026-01-18T10:15:00.123456+00:00",
                "completion_data": {"emotion": "Calm", "timestamp": "2026-01-18T10:14:59.999999Z"},
            },
            "emotion_labeling": {"recommended_at": "2026-01-18T11:00:00", "note": "not a time"},
            "inner_doodling": "not an entry",
        },
        "other": {"completed_at": "2026-01-18T10:15:00+00:00"},
    }
    Conversation.objects.filter(pk=conversation.pk).update(metadata=legacy)
    completion = ModuleCompletion.objects.create(
        conversation=conversation,
        user=owner,
        module_id="breathing_exercise",
        completion_data={"timestamp": "2026-01-18T15:44:59.999999+05:30", "emotion": "Calm"},
        completed_at=datetime(2026, 1, 18, 10, 15, tzinfo=UTC),
    )

    migration.forwards(apps, None)

    conversation.refresh_from_db()
    completion.refresh_from_db()
    status = conversation.metadata["module_status"]
    assert status["breathing_exercise"] == {
        "recommended_at": "2026-01-18T10:00:00.654Z",
        "completed_at": "2026-01-18T10:15:00.123Z",
        "completion_data": {"emotion": "Calm", "timestamp": "2026-01-18T10:14:59.999Z"},
    }
    assert status["emotion_labeling"] == {"recommended_at": "2026-01-18T11:00:00.000Z", "note": "not a time"}
    assert status["inner_doodling"] == "not an entry"
    assert conversation.metadata["other"] == legacy["other"]  # only module_status is the API's document
    assert completion.completion_data == {"timestamp": "2026-01-18T10:14:59.999Z", "emotion": "Calm"}
    body = api_as(owner).get(f"/conversations/{conversation.pk}/modules")
    assert_one_format("modules after the migration", body)
