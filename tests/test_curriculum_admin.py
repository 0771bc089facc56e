"""The curriculum admin: every model registered and searchable, learner state read-only, actions
through services, children shown inline, changelists cheap. Content editing: test_curriculum_admin_content.py."""

import io

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rich.console import Console

from myApp.accounts.models import Profile
from myApp.accounts.services import profile_adjust_balance
from myApp.analytics.models import AnalyticsEvent
from myApp.curriculum import economy, selectors, services
from myApp.curriculum.models import (
    AmphitheatreExerciseRecord,
    AmphitheatreSession,
    Course,
    Enrollment,
    ExerciseAttempt,
    ExerciseSubmission,
    KnowledgeBlock,
    Lesson,
    LessonSession,
    LessonSessionContext,
    LessonSessionState,
    LessonStepResponse,
    Level,
    MilestoneAttempt,
    Module,
    Purchase,
    StakesMap,
    UserProgress,
    Venue,
    VenueEntry,
    VenueTaskSheet,
)
from myApp.curriculum.seeds import load_module_a_content
from tests.factories import CourseFactory, LessonFactory, UserFactory
from tests.journeys import learner_journey

LEARNER_STATE = [
    Enrollment,
    Purchase,
    UserProgress,
    ExerciseAttempt,
    ExerciseSubmission,
    MilestoneAttempt,
    VenueEntry,
    LessonSessionContext,
    LessonSession,
    LessonStepResponse,
    StakesMap,
    AmphitheatreSession,
    AmphitheatreExerciseRecord,
]


def _label(model) -> str:
    return model._meta.label


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _actions(changelist) -> set[str]:
    form = changelist.context["action_form"]  # None when no action is open to the user
    return set(dict(form.fields["action"].choices)) if form else set()


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def content(db) -> Level:
    """The seeded Level 1: modules A-D, lessons, knowledge blocks, districts, venues, courses."""
    return load_module_a_content(Console(file=io.StringIO()))


@pytest.fixture
def journey(owner, content):
    """One row of every kind of learner state, made by the owner through the services."""
    return learner_journey(owner, Module.objects.get(level=content, code="A"))


# --- Registration, search and read-only learner state ---------------------------------------


def test_it_registers_every_curriculum_model():
    missing = [m.__name__ for m in apps.get_app_config("curriculum").get_models() if m not in admin.site._registry]

    assert missing == []


@pytest.mark.parametrize("model", LEARNER_STATE, ids=_label)
def test_it_finds_learner_state_by_the_learners_username(staff_client, journey, outsider, model):
    found = staff_client.get(_url(model, "changelist"), {"q": "owner"})
    not_found = staff_client.get(_url(model, "changelist"), {"q": "outsider"})

    assert found.status_code == not_found.status_code == 200
    assert found.context["cl"].result_count >= 1
    assert not_found.context["cl"].result_count == 0


@pytest.mark.parametrize(
    ("model", "query", "expected"),
    [
        (Module, "nerves", "Presence and nerves"),
        (Lesson, "thirty", "Your first thirty seconds"),
        (KnowledgeBlock, "adrenaline", "Why nerves happen, and why they can help"),
        (Venue, "library", "Community Library"),
        (VenueTaskSheet, "reading", "Reading circle"),
        (Course, "storytelling", "Storytelling for Leaders"),
    ],
    ids=lambda value: value if isinstance(value, str) else _label(value),
)
def test_it_finds_content_by_its_words(staff_client, content, model, query, expected):
    response = staff_client.get(_url(model, "changelist"), {"q": query})

    assert response.status_code == 200
    assert [row.title if hasattr(row, "title") else row.name for row in response.context["cl"].result_list] == [
        expected
    ]


@pytest.mark.parametrize("model", LEARNER_STATE, ids=_label)
def test_it_shows_learner_state_read_only(staff_client, journey, model):
    row = model._default_manager.order_by("pk").first()
    change_url = _url(model, "change", quote(row.pk))

    page = staff_client.get(change_url)
    add = staff_client.get(_url(model, "add"))
    edit = staff_client.post(change_url, {})

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert 'name="_save"' not in page.content.decode()
    assert add.status_code == 403
    assert edit.status_code == 403


# --- Actions that call services ---------------------------------------------------------------


@pytest.fixture
def two_visits(owner, outsider, curriculum):
    """The owner visited venue A twice, the outsider once (tickets granted, then spent)."""
    entries = {}
    for learner, visits in ((owner, 2), (outsider, 1)):
        services.curriculum_start(user=learner)
        profile_adjust_balance(user=learner, tickets=visits)
        for _ in range(visits):
            entry, _ = services.venue_enter(user=learner, venue=curriculum.venue_a)
            services.venue_finish(user=learner, entry=entry)
        entries[learner.username] = list(VenueEntry.objects.filter(user=learner))
    return entries


def _tickets(user) -> int:
    return Profile.objects.get(user=user).tickets


def test_it_grants_tickets_once_per_learner_of_the_selected_entries(staff_client, owner, outsider, two_visits):
    response = staff_client.post(
        _url(VenueEntry, "changelist"),
        {"action": "grant_tickets", "_selected_action": [entry.pk for entry in two_visits["owner"]]},
        follow=True,
    )

    assert response.status_code == 200
    assert (_tickets(owner), _tickets(outsider)) == (economy.STAFF_TICKET_GRANT, 0)
    assert f"Granted {economy.STAFF_TICKET_GRANT} tickets to 1 learner(s)." in _messages(response)


def test_it_offers_service_actions_only_to_holders_of_the_change_permission(client, owner, two_visits):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_venueentry"))
    client.force_login(viewer)
    selected = {"action": "grant_tickets", "_selected_action": [two_visits["owner"][0].pk]}

    page = client.get(_url(VenueEntry, "changelist"))
    client.post(_url(VenueEntry, "changelist"), selected)
    assert page.status_code == 200
    assert "grant_tickets" not in _actions(page)
    assert _tickets(owner) == 0

    viewer.user_permissions.add(Permission.objects.get(codename="change_venueentry"))
    page = client.get(_url(VenueEntry, "changelist"))
    client.post(_url(VenueEntry, "changelist"), selected)
    assert "grant_tickets" in _actions(page)
    assert page.context["has_add_permission"] is False
    assert _tickets(owner) == economy.STAFF_TICKET_GRANT


def test_it_unlocks_the_selected_modules_for_the_named_learner(staff_client, content, outsider):
    modules = list(Module.objects.filter(level=content, code__in=["B", "C"]))

    response = staff_client.post(
        _url(Module, "changelist"),
        {"action": "unlock_for_learner", "learner": "OUTSIDER", "_selected_action": [m.pk for m in modules]},
        follow=True,
    )

    assert "Unlocked 2 module(s) for outsider." in _messages(response)
    progress = UserProgress.objects.filter(user=outsider)
    assert set(progress.values_list("module", flat=True)) == {m.pk for m in modules}
    assert {pk: selectors.module_statuses(user=outsider)[pk] for pk in progress.values_list("module", flat=True)} == {
        m.pk: "unlocked" for m in modules
    }
    first = Module.objects.get(level=content, code="A")  # open to everyone, so its venues too
    opened = Venue.objects.filter(module__in=[*modules, first]).values_list("pk", flat=True)
    assert selectors.unlocked_venue_ids(user=outsider) == set(opened)
    assert AnalyticsEvent.objects.filter(user=outsider, event_type="module_unlocked").count() == 2


@pytest.mark.parametrize("learner", ["", "nobody"])
def test_it_unlocks_nothing_without_an_existing_learner(staff_client, content, learner):
    module = Module.objects.get(level=content, code="B")

    response = staff_client.post(
        _url(Module, "changelist"),
        {"action": "unlock_for_learner", "learner": learner, "_selected_action": [module.pk]},
        follow=True,
    )

    assert "Type the username of an existing learner beside the action." in _messages(response)
    assert not UserProgress.objects.exists()


def test_it_abandons_only_the_selected_runs_still_open(staff_client, owner, curriculum, complete_lesson):
    services.curriculum_start(user=owner)
    finished = complete_lesson(owner, curriculum.lessons_a[0])
    open_run, _ = services.lesson_session_start(user=owner, lesson=curriculum.lessons_a[1])

    response = staff_client.post(
        _url(LessonSession, "changelist"),
        {"action": "abandon_runs", "_selected_action": [str(finished.pk), str(open_run.pk)]},
        follow=True,
    )

    assert "Abandoned 1 run(s); 1 were already closed." in _messages(response)
    states = dict(LessonSession.objects.values_list("pk", "state"))
    assert states == {finished.pk: LessonSessionState.COMPLETED, open_run.pk: LessonSessionState.ABANDONED}


def test_it_ends_the_selected_amphitheatre_visits_still_open(staff_client, owner):
    first, _ = services.amphitheatre_hub(user=owner)
    services.amphitheatre_end(user=owner, session=first)
    second, _ = services.amphitheatre_hub(user=owner)

    response = staff_client.post(
        _url(AmphitheatreSession, "changelist"),
        {"action": "end_visits", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )

    assert "Ended 1 visit(s); 1 had already ended." in _messages(response)
    assert not AmphitheatreSession.objects.filter(ended_at__isnull=True).exists()


# --- Inlines -----------------------------------------------------------------------------------


def _inline_rows(response, model) -> int:
    formsets = [fs for fs in response.context["inline_admin_formsets"] if fs.opts.model is model]
    assert len(formsets) == 1, f"no {model.__name__} inline"
    return len(formsets[0].formset.initial_forms)


def test_it_lists_modules_under_their_level(staff_client, content):
    response = staff_client.get(_url(Level, "change", content.pk))

    assert _inline_rows(response, Module) == 4


def test_it_lists_lessons_under_their_module(staff_client, content):
    module = Module.objects.get(level=content, code="A")

    response = staff_client.get(_url(Module, "change", module.pk))

    assert _inline_rows(response, Lesson) == module.lessons.count() == 3


def test_it_lists_task_sheets_under_their_venue(staff_client, content):
    venue = Venue.objects.get(slug="town-hall")

    response = staff_client.get(_url(Venue, "change", venue.pk))

    assert _inline_rows(response, VenueTaskSheet) == 1
    assert "Handle a sceptic" in response.content.decode()


def test_it_lists_responses_under_their_lesson_run(staff_client, journey):
    response = staff_client.get(_url(LessonSession, "change", quote(journey.run.pk)))

    assert _inline_rows(response, LessonStepResponse) == len(journey.run.lesson.steps)


def test_it_lists_records_under_their_amphitheatre_visit(staff_client, journey):
    response = staff_client.get(_url(AmphitheatreSession, "change", journey.visit.pk))

    assert _inline_rows(response, AmphitheatreExerciseRecord) == 2


# --- Changelists stay cheap --------------------------------------------------------------------


def _learner_in_module_a(curriculum):
    learner = UserFactory()
    services.curriculum_start(user=learner)
    return learner


def _add_progress(curriculum) -> None:
    learner = _learner_in_module_a(curriculum)
    services.lesson_session_start(user=learner, lesson=curriculum.lessons_a[0])  # sets the current lesson


def _add_venue_entry(curriculum) -> None:
    learner = _learner_in_module_a(curriculum)
    profile_adjust_balance(user=learner, tickets=1)
    services.venue_enter(user=learner, venue=curriculum.venue_a)


def _add_attempts(curriculum) -> None:
    """One scored venue attempt and one scored amphitheatre exercise."""
    learner = _learner_in_module_a(curriculum)
    profile_adjust_balance(user=learner, tickets=1)
    VenueTaskSheet.objects.get_or_create(
        venue=curriculum.venue_a,
        order=1,
        defaults={"title": "Warm-up", "exercises": [{"key": "intro", "title": "Intro", "instructions": "Go."}]},
    )
    entry, _ = services.venue_enter(user=learner, venue=curriculum.venue_a)
    services.venue_exercise_attempt(user=learner, entry=entry, exercise_key="intro", score=60)
    visit, _ = services.amphitheatre_hub(user=learner)
    services.amphitheatre_submit(user=learner, session=visit, exercise_key="story", scores={"clarity": 70})


def _add_lesson_session(curriculum) -> None:
    services.lesson_session_start(user=_learner_in_module_a(curriculum), lesson=curriculum.lessons_a[0])


def _add_course(curriculum) -> None:
    teacher = UserFactory()
    course = CourseFactory(teacher=teacher)
    services.course_enroll(user=teacher, course=course)


def _add_module(curriculum) -> None:
    LessonFactory()  # a new level holding a new module with a lesson


@pytest.mark.parametrize(
    ("model", "add_row"),
    [
        (UserProgress, _add_progress),
        (VenueEntry, _add_venue_entry),
        (ExerciseAttempt, _add_attempts),
        (LessonSession, _add_lesson_session),
        (Course, _add_course),
        (Module, _add_module),
    ],
    ids=lambda value: _label(value) if isinstance(value, type) else value.__name__,
)
def test_it_lists_rows_with_a_number_of_queries_that_does_not_grow(
    staff_client, curriculum, django_assert_max_num_queries, model, add_row
):
    url = _url(model, "changelist")
    while model.objects.count() < 2:
        add_row(curriculum)
    staff_client.get(url)  # warm the session so both measured requests start alike

    with CaptureQueriesContext(connection) as few_rows:
        response = staff_client.get(url)
    assert response.context["cl"].result_count == 2

    while model.objects.count() < 10:
        add_row(curriculum)
    with django_assert_max_num_queries(len(few_rows)):
        response = staff_client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 10
