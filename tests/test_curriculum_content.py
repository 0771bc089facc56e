"""Teaching content (levels, modules, lessons, knowledge blocks) is written through the content services by the
API and the admin alike: the same checks, lesson steps stored the same way, and a course's teacher by one rule."""

import json

import pytest
from django.urls import reverse

from myApp.accounts.models import Role
from myApp.curriculum import selectors, services
from myApp.curriculum.models import Course, Lesson, Module
from myApp.lib.exceptions import NotAllowed
from tests.factories import LevelFactory, ModuleFactory, UserFactory
from tests.test_curriculum_admin_content import _module_form  # the module page with one lesson typed inline

V1 = "/api/v1"
# A step without a kind takes text; the stored lesson says so, whoever wrote it.
TYPED_STEPS = [{"prompt": "Name your hero."}, {"prompt": "Pick a shape.", "kind": "choice", "choices": ["Arc", "Loop"]}]
STORED_STEPS = [
    {"kind": "text", "prompt": "Name your hero."},
    {"kind": "choice", "prompt": "Pick a shape.", "choices": ["Arc", "Loop"]},
]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def module(db) -> Module:
    return ModuleFactory(level=LevelFactory(number=5), code="A", order=1, title="Stories")


def lesson_form(module: Module, steps, **changes) -> dict:
    return {"module": module.pk, "order": 1, "title": "Heroes", "summary": "", "xp_reward": 10, **changes} | {
        "steps": json.dumps(steps)
    }


# --- Lesson steps ------------------------------------------------------------------------------------


def test_it_stores_steps_the_same_from_the_api_the_admin_and_its_inline(api_as, staff, staff_client, module):
    from_api = api_as(staff).post(
        f"{V1}/lessons/", {"module": module.pk, "order": 1, "title": "A", "steps": TYPED_STEPS}
    )
    assert from_api.status_code == 201, from_api.json()
    assert staff_client.post(admin_url(Lesson, "add"), lesson_form(module, TYPED_STEPS, order=2)).status_code == 302
    inline_module = ModuleFactory(level=module.level, code="B", order=2)
    response = staff_client.post(
        admin_url(Module, "change", inline_module.pk), _module_form(inline_module, TYPED_STEPS)
    )
    assert response.status_code == 302

    stored = [lesson.steps for lesson in Lesson.objects.order_by("pk")]
    assert stored == [STORED_STEPS] * 3
    assert from_api.json()["steps"] == STORED_STEPS


def test_it_normalises_steps_changed_in_the_admin_as_in_the_api(api_as, staff, staff_client, module):
    lesson = services.content_create(model=Lesson, by=staff, module=module, order=1, title="A", steps=STORED_STEPS)
    admin_lesson = services.content_create(
        model=Lesson, by=staff, module=module, order=2, title="B", steps=STORED_STEPS
    )

    patched = api_as(staff).patch(f"{V1}/lessons/{lesson.pk}/", {"steps": TYPED_STEPS[:1]})
    changed = staff_client.post(
        admin_url(Lesson, "change", admin_lesson.pk), lesson_form(module, TYPED_STEPS[:1], order=2, title="B")
    )

    assert (patched.status_code, changed.status_code) == (200, 302)
    lesson.refresh_from_db()
    admin_lesson.refresh_from_db()
    assert lesson.steps == admin_lesson.steps == [{"kind": "text", "prompt": "Name your hero."}]


def test_it_asks_for_steps_when_a_lesson_is_made_in_the_api_as_in_the_admin(api_as, staff, staff_client, module):
    from_api = api_as(staff).post(f"{V1}/lessons/", {"module": module.pk, "order": 1, "title": "No steps"})
    from_admin = staff_client.post(admin_url(Lesson, "add"), lesson_form(module, []))

    assert from_api.status_code == 400
    assert from_api.json()["errors"]["steps"] == ["Give at least one step: a list of objects with a prompt and a kind."]
    assert from_admin.status_code == 200
    assert from_admin.context["adminform"].form.errors["steps"] == from_api.json()["errors"]["steps"]
    assert not Lesson.objects.exists()


def test_it_keeps_steps_that_a_change_leaves_alone(api_as, staff, module):
    lesson = services.content_create(model=Lesson, by=staff, module=module, order=1, title="A", steps=STORED_STEPS)

    response = api_as(staff).patch(f"{V1}/lessons/{lesson.pk}/", {"title": "Heroes and villains"})

    assert response.status_code == 200, response.json()
    lesson.refresh_from_db()
    assert (lesson.title, lesson.steps) == ("Heroes and villains", STORED_STEPS)


def test_it_lets_only_staff_write_content_through_the_service(owner, module):
    with pytest.raises(NotAllowed):
        services.content_create(model=Lesson, by=owner, module=module, order=1, title="Mine", steps=STORED_STEPS)
    with pytest.raises(NotAllowed):
        services.content_delete(instance=module, by=owner)
    assert Module.objects.filter(pk=module.pk).exists()


def test_it_deletes_content_through_the_service_from_the_api_and_the_admin(api_as, staff, staff_client, module):
    other = ModuleFactory(level=module.level, code="B", order=2)

    assert api_as(staff).delete(f"{V1}/modules/{module.pk}/").status_code == 204
    assert staff_client.post(admin_url(Module, "delete", other.pk), {"post": "yes"}).status_code == 302

    assert not Module.objects.filter(pk__in=[module.pk, other.pk]).exists()


# --- Who may teach a course ----------------------------------------------------------------------------


def test_it_applies_one_teacher_rule_in_the_api_and_the_admin(api_as, staff, staff_client):
    people = {
        "teacher": UserFactory(username="coach", role=Role.TEACHER),
        "staff": staff,
        "learner": UserFactory(username="pupil", role=Role.LEARNER),
        "parent": UserFactory(username="mum", role=Role.PARENT),
    }
    admin_choices = set(
        staff_client.get(admin_url(Course, "add"))
        .context["adminform"]
        .form.fields["teacher"]
        .queryset.values_list("pk", flat=True)
    )
    api_accepts = {}
    for number, (name, person) in enumerate(people.items(), start=1):
        response = api_as(staff).post(
            f"{V1}/courses/", {"title": f"Course {name}", "course_number": 800 + number, "teacher": person.pk}
        )
        assert response.status_code in (201, 400), response.json()
        api_accepts[name] = response.status_code == 201

    assert api_accepts == {"teacher": True, "staff": True, "learner": False, "parent": False}
    assert {name: person.pk in admin_choices for name, person in people.items()} == api_accepts
    assert admin_choices == set(selectors.course_teachers().values_list("pk", flat=True))
