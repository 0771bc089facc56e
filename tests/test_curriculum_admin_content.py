"""Editing curriculum content in the admin: the JSON staff type is checked, courses are saved
through the catalogue services, and pages with a module dropdown stay cheap."""

import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rich.console import Console

from myApp.accounts.models import Role
from myApp.analytics.models import AnalyticsEvent
from myApp.curriculum.content_rules import lesson_steps_errors, task_sheet_errors
from myApp.curriculum.models import Course, KnowledgeBlock, Lesson, Level, Module, Venue, VenueTaskSheet
from myApp.curriculum.seeds import load_module_a_content
from tests.factories import CourseFactory, LevelFactory, ModuleFactory, UserFactory


def _label(model) -> str:
    return model._meta.label


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def content(db) -> Level:
    return load_module_a_content(Console(file=io.StringIO()))


@pytest.mark.parametrize("model", [Level, Module, Lesson, KnowledgeBlock, Course, Venue, VenueTaskSheet], ids=_label)
def test_it_keeps_content_editable(staff_client, content, model):
    row = model._default_manager.order_by("pk").first()

    assert staff_client.get(_url(model, "add")).status_code == 200
    page = staff_client.get(_url(model, "change", row.pk))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is True


# --- The JSON staff type is checked ------------------------------------------------------------

GOOD_STEPS = [
    {"prompt": "Who is in the room?", "kind": "text"},
    {"prompt": "Best opener?", "kind": "choice", "choices": ["A question", "An apology"]},
    {"prompt": "How ready are you?", "kind": "scale"},
]


def _module_form(module: Module, steps: list) -> dict:
    """The module's change form with one new lesson typed into the lessons inline."""
    return {
        "level": module.level_id,
        "code": module.code,
        "title": module.title,
        "description": "",
        "order": module.order,
        "lesson_video_url": "",
        "xp_reward": 50,
        "coin_reward": 10,
        "ticket_reward": 2,
        "lessons-TOTAL_FORMS": "1",
        "lessons-INITIAL_FORMS": "0",
        "lessons-MIN_NUM_FORMS": "0",
        "lessons-MAX_NUM_FORMS": "1000",
        "lessons-0-id": "",
        "lessons-0-module": module.pk,
        "lessons-0-order": "1",
        "lessons-0-title": "Chairing a panel",
        "lessons-0-xp_reward": "10",
        "lessons-0-steps": json.dumps(steps),
    }


def test_it_adds_a_lesson_through_the_module_inline(staff_client):
    module = ModuleFactory(level=LevelFactory(number=5), code="A", order=1, title="Panels")

    response = staff_client.post(_url(Module, "change", module.pk), _module_form(module, GOOD_STEPS))

    assert response.status_code == 302
    assert list(module.lessons.values_list("title", "steps")) == [("Chairing a panel", GOOD_STEPS)]


def test_it_refuses_a_lesson_whose_choice_step_has_one_choice(staff_client):
    module = ModuleFactory(level=LevelFactory(number=5), code="A", order=1, title="Panels")
    broken = [{"prompt": "Best opener?", "kind": "choice", "choices": ["A question"]}]

    response = staff_client.post(_url(Module, "change", module.pk), _module_form(module, broken))

    assert response.status_code == 200
    assert "Step 1: a choice step needs at least two choices." in response.content.decode()
    assert not module.lessons.exists()


@pytest.mark.parametrize(
    ("steps", "error"),
    [
        ([], "Give at least one step"),
        ({"prompt": "x"}, "Give at least one step"),
        (["just text"], "Step 1: must be an object."),
        ([{"kind": "text"}], "Step 1: needs a prompt."),
        ([{"prompt": "Say it", "kind": "audio"}], "Step 1: kind must be one of text, choice, scale."),
        ([{"prompt": "Pick", "kind": "choice", "choices": ["a", "a"]}], "Step 1: choices must differ"),
        ([{"prompt": "Rate", "kind": "scale", "choices": ["1", "2"]}], "Step 1: only choice steps have choices."),
        ([{"prompt": "Say it", "kind": "text", "choices": None}], "Step 1: only choice steps have choices."),
    ],
)
def test_it_explains_what_is_wrong_with_lesson_steps(steps, error):
    errors = lesson_steps_errors(steps)

    assert any(message.startswith(error) for message in errors), errors
    assert lesson_steps_errors(GOOD_STEPS) == []


@pytest.mark.parametrize(
    ("exercises", "error"),
    [
        ([], "Give at least one exercise"),
        ([{"key": "a", "title": "A", "instructions": "Do it"}], "Exercise 1: duration_s must be a positive"),
        ([{"key": "a", "title": "A", "instructions": "", "duration_s": 30}], "Exercise 1: needs instructions."),
        (
            [
                {"key": "a", "title": "A", "instructions": "Do it", "duration_s": 30},
                {"key": "a", "title": "B", "instructions": "Again", "duration_s": 30},
            ],
            "Exercise 2: key 'a' is used twice.",
        ),
    ],
)
def test_it_explains_what_is_wrong_with_a_task_sheet(exercises, error):
    assert error in " ".join(task_sheet_errors(exercises))


def test_it_refuses_a_task_sheet_with_a_broken_exercise(staff_client, content):
    venue = Venue.objects.get(slug="corner-cafe")
    form = {"venue": venue.pk, "title": "Extra", "order": 2, "exercises": json.dumps([{"key": "x"}])}

    response = staff_client.post(_url(VenueTaskSheet, "add"), form)

    assert response.status_code == 200
    assert "Exercise 1: needs title." in response.content.decode()
    assert venue.task_sheets.count() == 1


def _course_form(**changes) -> dict:
    form = {
        "title": "Panel Moderation",
        "description": "Keep a panel on time and on topic.",
        "level": "Intermediate",
        "teacher": "",
        "course_order": 9,
        "course_number": 909,
        "country": "Ireland",
        "file_metadata": "{}",
        "price": "19.00",
        "currency": "EUR",
    }
    return {**form, **changes}


def test_it_adds_a_course_through_the_catalogue_service(staff_client, staff):
    teacher = UserFactory(username="coach", role=Role.TEACHER)

    response = staff_client.post(_url(Course, "add"), _course_form(teacher=teacher.pk))

    assert response.status_code == 302
    course = Course.objects.get(course_number=909)
    assert (course.created_by, course.teacher, course.country) == (staff, teacher, "Ireland")
    assert AnalyticsEvent.objects.filter(event_type="course_created", user=staff).count() == 1


def test_it_refuses_a_learner_as_a_courses_teacher(staff_client, owner):
    response = staff_client.post(_url(Course, "add"), _course_form(teacher=owner.pk))

    assert response.status_code == 200
    assert "teacher" in response.context["adminform"].form.errors
    assert not Course.objects.filter(course_number=909).exists()


def test_it_changes_a_course_through_the_catalogue_service(staff_client, staff):
    course = CourseFactory(course_number=909, title="Old title")

    response = staff_client.post(_url(Course, "change", course.pk), _course_form(title="New title"))

    assert response.status_code == 302
    course.refresh_from_db()
    assert (course.title, course.country) == ("New title", "Ireland")
    event = AnalyticsEvent.objects.get(event_type="course_updated", user=staff)
    assert "title" in event.event_data["fields"]


# --- Pages with a module dropdown stay cheap -----------------------------------------------------


@pytest.mark.parametrize("model", [Lesson, Venue], ids=_label)
def test_it_opens_a_page_with_a_module_dropdown_in_queries_that_do_not_grow(
    staff_client, curriculum, django_assert_max_num_queries, model
):
    row = model.objects.order_by("pk").first()
    url = _url(model, "change", row.pk)
    staff_client.get(url)

    with CaptureQueriesContext(connection) as few_modules:
        staff_client.get(url)

    ModuleFactory.create_batch(8)  # each in a level of its own, named in the module's label
    with django_assert_max_num_queries(len(few_modules)):
        response = staff_client.get(url)
    assert response.status_code == 200
    assert len(response.context["adminform"].form.fields["module"].queryset) == 10
