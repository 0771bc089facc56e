"""Every admin form parses JSON with the API's bounds, so staff typing (or pasting) a hostile document get
a form error, never a 500."""

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory

from myApp.curriculum.models import Lesson
from myApp.lib.json_input import JSONFormField
from tests.factories import ModuleFactory


def _forms(model_admin, request):
    yield type(model_admin).__name__, model_admin.get_form(request)
    for inline in model_admin.get_inline_instances(request):
        yield type(inline).__name__, inline.get_formset(request).form


def test_it_uses_the_bounded_json_field_in_every_admin_form(staff):
    request = RequestFactory().get("/admin/")
    request.user = staff
    checked = 0
    for model_admin in admin.site._registry.values():
        for name, form_class in _forms(model_admin, request):
            for field_name, field in form_class.base_fields.items():
                if isinstance(field, forms.JSONField):
                    assert isinstance(field, JSONFormField), f"{name}.{field_name} parses JSON without bounds"
                    checked += 1
    assert checked >= 5


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ("[" * 20_000 + "]" * 20_000, "at most 32 levels deep"),
        ('[{"prompt": "a\\u0000b", "kind": "text"}]', "no NUL characters"),
        ('[{"prompt": "x", "kind": "scale", "max": NaN}]', "Enter valid JSON"),
    ],
)
def test_it_shows_a_form_error_for_hostile_json_in_the_admin(staff_client, steps, message):
    module = ModuleFactory()
    response = staff_client.post(
        "/admin/curriculum/lesson/add/",
        {"module": module.pk, "order": 1, "title": "Deep", "summary": "", "steps": steps, "xp_reward": 5},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Lesson.objects.exists()


def test_it_still_saves_ordinary_json_in_the_admin(staff_client):
    module = ModuleFactory()
    steps = '[{"prompt": "What makes an opening memorable?", "kind": "text"}]'
    response = staff_client.post(
        "/admin/curriculum/lesson/add/",
        {"module": module.pk, "order": 1, "title": "Fine", "summary": "", "steps": steps, "xp_reward": 5},
    )
    assert response.status_code == 302
    assert Lesson.objects.get().steps == [{"prompt": "What makes an opening memorable?", "kind": "text"}]
