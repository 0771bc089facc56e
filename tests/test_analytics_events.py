"""Every analytics event type (myApp/analytics/events.py) is recorded by its action, once, with small facts.

Each type is either exercised here through the real interface (API or page, via the test client), under
``@covers``, or listed in ``COVERED_ELSEWHERE`` with the named test that performs its action and asserts it.
``test_it_covers_every_event_type`` fails when a constant is added to the vocabulary without either. Every
test here types ``MARKER`` into the free-text fields it sends; ``_small_facts`` then checks, after each test,
that no event holds it or any value longer than ``MAX_VALUE_CHARS``.
"""

import ast
import json
import pathlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.urls import reverse

from myApp.accounts import services as account_services
from myApp.accounts.models import ChildPrivacySettings
from myApp.analytics import events
from myApp.analytics.models import AnalyticsEvent
from myApp.curriculum import services as curriculum_services
from myApp.curriculum.models import VenueTaskSheet
from myApp.quests import daily_rules
from myApp.quests import services as quest_services
from myApp.quests.daily_rules import DailyQuestType
from tests import clinical_helpers
from tests.conftest import STEP_ANSWERS
from tests.factories import CourseFactory, ParentFactory
from tests.quest_graphs import small_graph
from tests.quest_helpers import GOOD_SCORES, psychologist_create, quest_draft, quest_listed

MARKER = "Quokkamarker"  # typed into every free-text input below; must never reach an event
MAX_VALUE_CHARS = 100
V1 = "/api/v1"
TESTS = pathlib.Path(__file__).parent

COVERED_HERE: dict[str, str] = {}

# Types whose action and event another test already performs and asserts (type -> "file::test").
# test_it_covers_every_event_type checks that each named test exists and names its event.
COVERED_ELSEWHERE: dict[str, str] = {
    events.USER_SIGNUP: "test_auth_api.py::test_it_registers_a_learner_and_returns_a_working_token",
    events.USER_LOGIN: "test_auth_api.py::test_it_exchanges_credentials_for_a_token_stored_only_as_a_digest",
    events.ONBOARDING_COMPLETED: "test_accounts_services.py::test_it_completes_onboarding_with_the_persona",
    events.CHILD_CONSENT_REVOKED: "test_admin.py::test_it_revokes_consent_on_the_selected_links",
    events.COURSE_CREATED: "test_curriculum_admin_content.py::test_it_adds_a_course_through_the_catalogue_service",
    events.COURSE_UPDATED: "test_curriculum_admin_content.py::test_it_changes_a_course_through_the_catalogue_service",
    events.MODULE_UNLOCKED: "test_curriculum_admin.py::test_it_unlocks_the_selected_modules_for_the_named_learner",
    events.MODULE_COMPLETED: "test_curriculum_services.py::test_it_completes_a_module_once_and_unlocks_the_next",
    events.TICKETS_GRANTED: (
        "test_curriculum_rules.py::test_it_grants_the_same_amount_from_both_admin_actions_and_logs_who"
    ),
    events.CHAT_SAFETY_FLAG: (
        "test_chat_safety.py::test_it_answers_risk_with_the_crisis_response_and_never_asks_the_model"
    ),
}


def covers(*event_types: str) -> Callable:
    """Mark a test as the one that performs the action of ``event_types`` and asserts their events."""

    def mark(test: Callable) -> Callable:
        for event_type in event_types:
            assert event_type not in COVERED_HERE, f"{event_type} covered twice"
            COVERED_HERE[event_type] = test.__name__
        return test

    return mark


@contextmanager
def one_event(event_type: str, *, user, keys: set[str]) -> Iterator[list]:
    """Exactly one new ``event_type`` event in the block, by ``user``, with ``keys`` in its data."""
    before = set(AnalyticsEvent.objects.filter(event_type=event_type).values_list("pk", flat=True))
    found: list[AnalyticsEvent] = []
    yield found
    new = list(AnalyticsEvent.objects.filter(event_type=event_type).exclude(pk__in=before))
    assert len(new) == 1, f"{event_type}: {len(new)} new events"
    assert new[0].user_id == (user.pk if user is not None else None), event_type
    assert set(new[0].event_data) == keys, (event_type, new[0].event_data)
    found.append(new[0])


@contextmanager
def no_event(*event_types: str) -> Iterator[None]:
    before = AnalyticsEvent.objects.filter(event_type__in=event_types).count()
    yield
    assert AnalyticsEvent.objects.filter(event_type__in=event_types).count() == before


def _values(data) -> Iterator:
    if isinstance(data, dict):
        for value in data.values():
            yield from _values(value)
    elif isinstance(data, list):
        for value in data:
            yield from _values(value)
    else:
        yield data


@pytest.fixture(autouse=True)
def _small_facts(db):
    """After each test: every event recorded holds small facts, never what the person typed."""
    yield
    for event in AnalyticsEvent.objects.all():
        assert MARKER.lower() not in json.dumps(event.event_data).lower(), (event.event_type, event.event_data)
        for value in _values(event.event_data):
            assert len(str(value)) <= MAX_VALUE_CHARS, (event.event_type, value)


# --- The vocabulary ---------------------------------------------------------------------------------------


def _test_source(spec: str) -> str:
    file_name, test_name = spec.split("::")
    source = (TESTS / file_name).read_text()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name == test_name:
            return ast.get_source_segment(source, node)
    raise AssertionError(f"{spec}: no such test")


def test_it_covers_every_event_type():
    assert not set(COVERED_HERE) & set(COVERED_ELSEWHERE)
    uncovered = set(events.MEANINGS) - set(COVERED_HERE) - set(COVERED_ELSEWHERE)
    assert not uncovered, f"event types without a test: {sorted(uncovered)}"
    assert set(COVERED_HERE) | set(COVERED_ELSEWHERE) == set(events.MEANINGS)
    for event_type, spec in COVERED_ELSEWHERE.items():
        constant = next(name for name, value in vars(events).items() if value == event_type and name.isupper())
        source = _test_source(spec)
        assert f'"{event_type}"' in source or f"events.{constant}" in source, f"{spec} does not check {event_type}"


def test_it_refuses_a_type_outside_the_vocabulary(owner):
    from myApp.analytics.services import track

    with pytest.raises(ValueError, match="unknown analytics event type"):
        track(event_type="quest_finised", user=owner)
    assert not AnalyticsEvent.objects.exists()
    assert all(meaning.strip() for meaning in events.MEANINGS.values())


# --- accounts ---------------------------------------------------------------------------------------------


@covers(events.USER_LOGOUT)
@pytest.mark.parametrize("how", ["page", "device", "everywhere"])
def test_it_logs_a_logout(client, api_as, owner, how):
    keys = {"source", "scope", "devices"}
    with one_event(events.USER_LOGOUT, user=owner, keys=keys) as found:
        if how == "page":
            client.force_login(owner)
            assert client.post("/logout/").status_code == 302
        else:
            path = "logout" if how == "device" else "logout-everywhere"
            assert api_as(owner).post(f"{V1}/auth/{path}/").status_code == 204
    assert found[0].event_data["scope"] == {"page": "session"}.get(how, how)


@covers(events.PAIRING_CODE_CREATED, events.CHILD_LINK_CREATED)
def test_it_logs_a_pairing_code_and_the_link_it_makes(api_as, owner):
    with one_event(events.PAIRING_CODE_CREATED, user=owner, keys={"pairing_code_id"}):
        code = api_as(owner).post(f"{V1}/pairing-codes/").json()["code"]
    parent = ParentFactory(username="linking-parent")
    with one_event(events.CHILD_LINK_CREATED, user=parent, keys={"link_id", "via"}):
        assert api_as(parent).post(f"{V1}/child-links/", {"code": code}).status_code == 201


@covers(events.CHILD_CONSENT_GRANTED)
def test_it_logs_consent_granted_by_the_child(api_as, owner, unconsented_parent):
    link = ChildPrivacySettings.objects.get(parent=unconsented_parent, child=owner)
    with one_event(events.CHILD_CONSENT_GRANTED, user=owner, keys={"link_id"}):
        assert api_as(owner).post(f"{V1}/child-links/{link.pk}/grant-consent/").status_code == 200
    with no_event(events.CHILD_CONSENT_GRANTED):  # the parent may not: refused, nothing logged
        assert api_as(unconsented_parent).post(f"{V1}/child-links/{link.pk}/grant-consent/").status_code == 403


# --- curriculum -------------------------------------------------------------------------------------------


@pytest.fixture
def learner(owner, curriculum):
    curriculum_services.curriculum_start(user=owner)
    return owner


@covers(events.COURSE_ENROLLED, events.COURSE_PURCHASED)
def test_it_logs_an_enrolment_and_a_purchase(api_as, owner):
    free, paid = CourseFactory(), CourseFactory(price="19.00")
    client = api_as(owner)
    with one_event(events.COURSE_ENROLLED, user=owner, keys={"course_id"}):
        assert client.post(f"{V1}/courses/{free.pk}/enroll/").status_code == 201
        assert client.post(f"{V1}/courses/{free.pk}/enroll/").status_code == 200  # again: no second event
    with one_event(events.COURSE_PURCHASED, user=owner, keys={"course_id", "amount", "currency"}):
        assert client.post(f"{V1}/courses/{paid.pk}/purchase/").status_code == 201


@covers(events.LESSON_STARTED, events.LESSON_COMPLETED, events.DAILY_QUEST_COMPLETED)
def test_it_logs_a_lesson_run_and_the_daily_quest_it_completes(api_as, learner, curriculum, monkeypatch):
    monkeypatch.setattr(daily_rules, "offered_types", lambda *, user_id, day: [DailyQuestType.FINISH_LESSON])
    client = api_as(learner)
    lesson = curriculum.lessons_a[0]
    with one_event(events.LESSON_STARTED, user=learner, keys={"lesson_id", "session_id"}):
        session = client.post(f"{V1}/lesson-sessions/", {"lesson": lesson.pk}).json()
    for answer in STEP_ANSWERS[: len(lesson.steps)]:
        client.post(f"{V1}/lesson-sessions/{session['id']}/answer/", {"value": answer})
    with (
        one_event(events.LESSON_COMPLETED, user=learner, keys={"lesson_id", "first"}),
        one_event(events.DAILY_QUEST_COMPLETED, user=learner, keys={"quest_type", "date", "xp"}),
    ):
        assert client.post(f"{V1}/lesson-sessions/{session['id']}/finish/").status_code == 200


@covers(events.STAKES_MAP_SET)
def test_it_logs_a_stakes_map_without_its_scenarios(api_as, learner, curriculum):
    body = {"module": curriculum.module_a.pk, "scenarios": [f"A toast {MARKER}"]}
    with one_event(events.STAKES_MAP_SET, user=learner, keys={"module_id", "count"}):
        assert api_as(learner).post(f"{V1}/stakes-maps/", body).status_code in (200, 201)


@covers(events.VENUE_ENTERED, events.VENUE_EXERCISE_ATTEMPTED, events.VENUE_FINISHED)
def test_it_logs_a_venue_visit(api_as, learner, curriculum):
    VenueTaskSheet.objects.create(
        venue=curriculum.venue_a,
        title="Small talk",
        order=1,
        exercises=[
            {"key": "intro", "title": "Introduce yourself", "instructions": "Thirty seconds.", "duration_s": 30}
        ],
    )
    account_services.profile_adjust_balance(user=learner, tickets=3)
    client = api_as(learner)
    with one_event(events.VENUE_ENTERED, user=learner, keys={"venue_id", "tickets"}):
        entry = client.post(f"{V1}/venues/{curriculum.venue_a.pk}/enter/").json()
    attempt = {"exercise_key": "intro", "score": 72, "notes": f"Eye contact {MARKER}"}
    with one_event(events.VENUE_EXERCISE_ATTEMPTED, user=learner, keys={"venue_id", "exercise", "score"}):
        assert client.post(f"{V1}/venue-entries/{entry['id']}/attempt/", attempt).status_code == 201
    with one_event(events.VENUE_FINISHED, user=learner, keys={"venue_id", "paid", "xp"}):
        assert client.post(f"{V1}/venue-entries/{entry['id']}/finish/").status_code == 200
    with no_event(events.VENUE_FINISHED):  # finishing again is refused (409) and logs nothing
        assert client.post(f"{V1}/venue-entries/{entry['id']}/finish/").status_code == 409


@covers(events.MILESTONE_SUBMITTED)
def test_it_logs_a_milestone_without_its_transcript(api_as, learner, curriculum, complete_lesson):
    from tests.test_curriculum_api_world import submit

    for lesson in [*curriculum.lessons_a, *curriculum.lessons_b]:
        complete_lesson(learner, lesson)
    keys = {"level", "score", "passed", "rewarded"}
    with one_event(events.MILESTONE_SUBMITTED, user=learner, keys=keys):
        response = submit(api_as(learner), curriculum.level, transcript=f"Good evening {MARKER}")
        assert response.status_code == 201, response.json()


@covers(events.AMPHITHEATRE_OPENED, events.AMPHITHEATRE_SUBMITTED, events.AMPHITHEATRE_ENDED)
def test_it_logs_an_amphitheatre_visit_from_opening_to_its_end(api_as, learner):
    client = api_as(learner)
    with one_event(events.AMPHITHEATRE_OPENED, user=learner, keys={"visit", "paying"}):
        visit = client.post(f"{V1}/amphitheatre-sessions/hub/").json()
    url = f"{V1}/amphitheatre-sessions/{visit['id']}"
    body = {"exercise_key": "impromptu", "scores": {"clarity": 90}, "reflection": f"Slower {MARKER}"}
    with one_event(events.AMPHITHEATRE_SUBMITTED, user=learner, keys={"visit", "exercise", "paid", "xp"}):
        assert client.post(f"{url}/submit/", body, format="json").status_code == 201
    with one_event(events.AMPHITHEATRE_ENDED, user=learner, keys={"visit", "exercises", "points"}) as found:
        assert client.post(f"{url}/end/").status_code == 200
    assert found[0].event_data["exercises"] == 1
    with no_event(events.AMPHITHEATRE_ENDED):  # a visit ends once: the second is refused and logs nothing
        assert client.post(f"{url}/end/").status_code == 409


# --- quests -----------------------------------------------------------------------------------------------


@covers(events.STREAK_FREEZE_BOUGHT, events.VACATION_STARTED, events.VACATION_ENDED)
def test_it_logs_a_freeze_and_a_vacation(api_as, owner):
    account_services.profile_adjust_balance(user=owner, coins=daily_rules.FREEZE_PRICE_COINS)
    client = api_as(owner)
    with one_event(events.STREAK_FREEZE_BOUGHT, user=owner, keys={"coins"}):
        assert client.post(f"{V1}/streak/freeze/").status_code == 201
    with one_event(events.VACATION_STARTED, user=owner, keys={"starts_on"}):
        assert client.post(f"{V1}/streak/vacation/", {"on": True}, format="json").status_code in (200, 201)
    with one_event(events.VACATION_ENDED, user=owner, keys={"ends_on"}):
        assert client.post(f"{V1}/streak/vacation/", {"on": False}, format="json").status_code == 200


NEW_QUEST = {
    "title": f"The forest {MARKER}",
    "graph_structure": small_graph(),
    "psychological_module": "CBT",
    "age_range": "10-12",
    "location": f"Forest {MARKER}",
}


@covers(events.QUEST_BUILDER_STARTED)
def test_it_logs_a_builder_session(api_as, author):
    with one_event(events.QUEST_BUILDER_STARTED, user=author, keys={"builder_session_id"}):
        assert api_as(author).post("/api/builder/sessions", {}, format="json").status_code == 201


@covers(events.QUEST_CREATED, events.QUEST_REVISED, events.QUEST_SUBMITTED)
def test_it_logs_a_quest_written_and_submitted(api_as, author):
    client = api_as(author)
    with no_event(events.QUEST_CREATED):  # refused for bad input: 400, nothing logged
        broken = {**NEW_QUEST, "graph_structure": {"nodes": [], "edges": []}}
        assert client.post(f"{V1}/quests/", broken, format="json").status_code == 400
    with one_event(events.QUEST_CREATED, user=author, keys={"quest_id"}):
        quest = client.post(f"{V1}/quests/", NEW_QUEST, format="json").json()
    url = f"{V1}/quests/{quest['id']}/"
    with one_event(events.QUEST_REVISED, user=author, keys={"quest_id", "fields", "status"}) as found:
        assert client.patch(url, {"title": f"Renamed {MARKER}"}, format="json").status_code == 200
        assert client.patch(url, {"title": f"Renamed {MARKER}"}, format="json").status_code == 200  # no change
    assert found[0].event_data["fields"] == ["title"]
    with one_event(events.QUEST_SUBMITTED, user=author, keys={"quest_id"}):
        assert client.post(f"{V1}/quests/{quest['id']}/submit/").status_code == 200
    with no_event(events.QUEST_SUBMITTED):  # already under review: refused, nothing logged
        assert client.post(f"{V1}/quests/{quest['id']}/submit/").status_code == 409


@covers(events.QUEST_REVIEWED, events.QUEST_APPROVED, events.QUEST_REJECTED)
def test_it_logs_a_review_and_its_decision(api_as, author, psychologist):
    client = api_as(psychologist)
    for verb, event_type in (("approve", events.QUEST_APPROVED), ("reject", events.QUEST_REJECTED)):
        quest = quest_draft(author, title=f"Quest to {verb}")
        quest_services.quest_submit_for_review(quest=quest, by=author)
        review = {**GOOD_SCORES, "strengths": f"Gentle {MARKER}", "concerns": MARKER}
        with one_event(events.QUEST_REVIEWED, user=psychologist, keys={"quest_id", "review_id"}):
            response = client.post(reverse("api-quest-review", args=[quest.pk]), review, format="json")
            assert response.status_code == 201, response.json()
        with one_event(event_type, user=psychologist, keys={"quest_id", "review_id"}):
            assert client.post(reverse(f"api-quest-review-{verb}", args=[quest.pk])).status_code == 200


@pytest.fixture
def listed(author):
    return quest_listed(author, psychologist_create("listing-psychologist"))


@covers(events.QUEST_LIBRARY_ADDED)
def test_it_logs_a_library_addition_once(api_as, owner, listed):
    client = api_as(owner)
    with one_event(events.QUEST_LIBRARY_ADDED, user=owner, keys={"quest_id"}):
        assert client.post(reverse("api-quest-library-add", args=[listed.pk])).status_code == 201
        assert client.post(reverse("api-quest-library-add", args=[listed.pk])).status_code == 200


@covers(events.QUEST_STARTED, events.QUEST_STEP_COMPLETED, events.QUEST_FINISHED, events.QUEST_RATED)
def test_it_logs_a_play_from_start_to_rating(api_as, owner, listed):
    client = api_as(owner)
    with one_event(events.QUEST_STARTED, user=owner, keys={"quest_id", "first"}):
        assert client.post(f"{V1}/quest-plays/{listed.pk}/start/").status_code in (200, 201)
    with one_event(events.QUEST_STEP_COMPLETED, user=owner, keys={"quest_id", "step"}), no_event(events.QUEST_FINISHED):
        assert client.post(f"{V1}/quest-plays/{listed.pk}/advance/", {"edge_id": "e1"}).status_code == 200
    with one_event(events.QUEST_FINISHED, user=owner, keys={"quest_id", "first"}) as found:
        assert client.post(f"{V1}/quest-plays/{listed.pk}/advance/", {"edge_id": "e3"}).status_code == 200
    assert found[0].event_data["first"] is True
    rate = reverse("api-quest-rate", args=[listed.pk])
    with no_event(events.QUEST_RATED):  # refused for bad input: nothing logged
        assert client.post(rate, {"rating": 9, "review_text": MARKER}, format="json").status_code == 400
    keys = {"quest_id", "rating", "replaced", "with_text"}
    with one_event(events.QUEST_RATED, user=owner, keys=keys) as found:
        response = client.post(rate, {"rating": 4, "review_text": f"Kind {MARKER}"}, format="json")
        assert response.status_code in (200, 201), response.json()
    assert found[0].event_data["with_text"] is True


# --- sessions: chat and wellbeing modules -----------------------------------------------------------------


@covers(events.CHAT_SESSION_STARTED, events.CHAT_MESSAGE, events.CHAT_SESSION_ENDED)
def test_it_logs_a_conversation_from_start_to_its_end(api_as, owner):
    client = api_as(owner)
    with one_event(events.CHAT_SESSION_STARTED, user=owner, keys={"session_id"}):
        session_id = client.post("/api/session/create", {}).json()["session_id"]
    with one_event(events.CHAT_MESSAGE, user=owner, keys={"length", "route", "session_id"}):
        assert client.post("/api/chat", {"message": f"How do I open a talk? {MARKER}"}).status_code == 200
    with one_event(events.CHAT_SESSION_ENDED, user=owner, keys={"session_id", "messages", "by_owner"}) as found:
        assert client.post("/api/session/end", {"session_id": session_id}).status_code == 200
    assert found[0].event_data["by_owner"] is True and found[0].event_data["messages"] == 2
    with no_event(events.CHAT_SESSION_ENDED):  # ending an ended conversation changes nothing, logs nothing
        client.post("/api/session/end", {"session_id": session_id})


def test_it_logs_staff_ending_someone_s_conversation_as_staff(api_as, owner, staff):
    session_id = api_as(owner).post("/api/session/create", {}).json()["session_id"]
    body = {"session_id": session_id, "user_id": owner.pk}
    with one_event(events.CHAT_SESSION_ENDED, user=staff, keys={"session_id", "messages", "by_owner"}) as found:
        assert api_as(staff).post("/api/session/end", body).status_code == 200
    assert found[0].event_data["by_owner"] is False


@covers(events.WELLBEING_MODULE_COMPLETED)
def test_it_logs_a_wellbeing_module(api_as, owner):
    from myApp.sessions import services as chat_services

    conversation, _ = chat_services.conversation_get_or_create_active(user=owner)
    body = {"completion_data": {"completed_steps": ["breathing"], "emotion": "Anxious", "intensity": 65}}
    url = f"/conversations/{conversation.pk}/modules/breathing_exercise/complete"
    with one_event(events.WELLBEING_MODULE_COMPLETED, user=owner, keys={"module_id"}):
        assert api_as(owner).post(url, body, format="json").status_code == 200


# --- sessions: clinical -----------------------------------------------------------------------------------


@pytest.fixture
def clinician(db):
    return clinical_helpers.clinician_create()


def _segments() -> list[dict]:
    segments = clinical_helpers.segments(3)
    segments[1]["text"] = f"I always mess everything up {MARKER}."
    return segments


@covers(events.CLINICAL_CLIENT_CREATED, events.THERAPY_SESSION_CREATED, events.TRANSCRIPT_SAVED)
def test_it_logs_a_client_a_session_and_a_transcript_without_ids_or_text(api_as, clinician):
    client = api_as(clinician)
    with one_event(events.CLINICAL_CLIENT_CREATED, user=clinician, keys={"linked"}):
        created = client.post(reverse("client-list"), {"display_name": f"Sam {MARKER}"}, format="json")
        assert created.status_code == 201, created.json()
    body = {"client": created.json()["id"], "date": "2026-03-02T10:00:00Z", "session_type": "family"}
    with one_event(events.THERAPY_SESSION_CREATED, user=clinician, keys={"session_type"}):
        session = client.post(reverse("therapy-session-list"), body, format="json").json()
    url = reverse("therapy-session-transcript", args=[session["id"]])
    for mode, total in (("replace", 3), ("append", None)):
        segments = _segments() if mode == "replace" else clinical_helpers.segments(1, start=20)
        with one_event(events.TRANSCRIPT_SAVED, user=clinician, keys={"mode", "added", "total"}) as found:
            response = client.post(url, {"mode": mode, "segments": segments}, format="json")
            assert response.status_code in (200, 201), response.json()
        assert found[0].event_data["mode"] == mode and found[0].event_data["total"] == (total or 4)
    with no_event(events.TRANSCRIPT_SAVED):  # refused for bad input: nothing logged
        assert client.post(url, {"mode": "sideways", "segments": segments}, format="json").status_code == 400


@covers(events.TRANSCRIPT_ANALYSIS_REQUESTED, events.TRANSCRIPT_ANALYSIS_FINISHED)
def test_it_logs_an_analysis_run_as_nobody_s_action(api_as, clinician, django_capture_on_commit_callbacks):
    session = clinical_helpers.session_with_transcript(clinical_helpers.client_create(clinician))
    keys = {"outcome", "sentences", "insights"}
    with (
        one_event(events.TRANSCRIPT_ANALYSIS_REQUESTED, user=clinician, keys={"previous_status"}),
        one_event(events.TRANSCRIPT_ANALYSIS_FINISHED, user=None, keys=keys) as found,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert api_as(clinician).post(reverse("therapy-session-analyse", args=[session.pk])).status_code == 202
    assert found[0].event_data["outcome"] == "completed" and found[0].event_data["sentences"] == 5


def test_it_logs_a_failed_analysis_without_its_reason(
    api_as, clinician, monkeypatch, django_capture_on_commit_callbacks
):
    from myApp.sessions.clinical import analysis as library

    def refuse(rows, client_speakers):
        raise library.AnalysisRefused(f"Refused: {MARKER} " + "x" * 200)  # the reason is free text: never logged

    monkeypatch.setattr(library, "analyse_session", refuse)
    session = clinical_helpers.session_with_transcript(clinical_helpers.client_create(clinician))
    keys = {"outcome", "sentences", "insights"}
    with (
        one_event(events.TRANSCRIPT_ANALYSIS_FINISHED, user=None, keys=keys) as found,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert api_as(clinician).post(reverse("therapy-session-analyse", args=[session.pk])).status_code == 202
    assert found[0].event_data == {"outcome": "failed", "sentences": 0, "insights": 0}


@covers(events.CLINICAL_INSIGHT_DECIDED)
def test_it_logs_an_insight_decision_with_codes_only(api_as, clinician):
    session = clinical_helpers.session_with_transcript(clinical_helpers.client_create(clinician))
    insight = clinical_helpers.draft_insight(session)
    client = api_as(clinician)
    url = reverse("session-insight-approve", args=[insight.pk])
    with one_event(events.CLINICAL_INSIGHT_DECIDED, user=clinician, keys={"status", "priority", "insight_type"}):
        assert client.post(url, {"note": f"Agreed {MARKER}"}, format="json").status_code == 200
    with no_event(events.CLINICAL_INSIGHT_DECIDED):  # the same decision again changes nothing
        assert client.post(url, {"note": "Again"}, format="json").status_code == 200
