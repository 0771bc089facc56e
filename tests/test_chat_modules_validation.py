"""Every declared field of every guided module refuses bad values through the real endpoint.

The invalid cases are generated from the module schemas (``myApp/sessions/wellbeing.py``): for each field,
wherever it is nested, a wrong type, null, and whatever its declaration bounds (range, choices, length,
emptiness, required). A field whose kind the generator does not know fails the test, so a new field cannot
go unchecked. Each case starts from a completion that is valid in every field and breaks one.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework import serializers

from myApp.lib.exceptions import ServiceError
from myApp.sessions import services
from myApp.sessions.models import ModuleCompletion, WellbeingModule
from myApp.sessions.wellbeing import CANVAS_MAX, MAX_POINTS, SCHEMAS

# A completion that fills every declared field (nested ones too) with a valid value.
VALID: dict[str, dict[str, Any]] = {
    WellbeingModule.BREATHING: {
        "completed_steps": ["breathing", "body_scan"],
        "emotion": "Calm",
        "intensity": 30,
        "timestamp": "2026-03-01T10:00:00Z",
        "timings": {"inhale": 4, "hold": 4, "exhale": 4, "hold_after": 2},
    },
    WellbeingModule.EMOTION_LABELING: {"mood": "Content", "date": "2026-03-01", "note": "A quiet day."},
    WellbeingModule.INNER_DOODLING: {
        "sketch_data": {"has_drawing": True, "strokes": [[[1, 2], [3, 4]]], "width": 300, "height": 200}
    },
    WellbeingModule.QUICK_ASSESSMENT: {"answers": {"0": 3, "9": 5}, "total_questions": 10},
}

NOT_A_CHOICE = "definitely-not-a-choice"


@dataclass(frozen=True)
class Case:
    module_id: str
    path: tuple[str | int, ...]  # where the bad value goes inside completion_data
    problem: str
    value: Any = None
    remove: bool = False  # the field is left out instead

    @property
    def field(self) -> str:
        return ".".join(["completion_data", *map(str, self.path)])

    def __str__(self) -> str:
        return f"{self.module_id}:{'.'.join(map(str, self.path))}:{self.problem}"


def wrong_types(field: serializers.Field) -> list[tuple[str, Any]]:
    """Values of a kind the field does not take (coercions DRF documents, such as "5" for 5, are allowed)."""
    if isinstance(field, serializers.BooleanField):
        return [("wrong type: text", "sometimes"), ("wrong type: number", 7), ("wrong type: list", [True])]
    if isinstance(field, serializers.IntegerField):
        return [("wrong type: text", "many"), ("wrong type: fraction", 1.5), ("wrong type: boolean", True)]
    if isinstance(field, serializers.ChoiceField):
        return [("wrong type: number", 3), ("wrong type: list", ["x"]), ("wrong type: object", {"a": 1})]
    if isinstance(field, serializers.CharField):
        return [("wrong type: number", 42), ("wrong type: list", ["text"]), ("wrong type: object", {"a": "b"})]
    if isinstance(field, serializers.DateTimeField | serializers.DateField):
        return [("wrong type: number", 20260301), ("wrong type: text", "yesterday"), ("wrong type: list", [])]
    if isinstance(field, serializers.ListField):
        return [("wrong type: text", "abc"), ("wrong type: object", {"0": "a"})]
    if isinstance(field, serializers.DictField | serializers.Serializer):
        return [("wrong type: text", "abc"), ("wrong type: list", [1])]
    raise AssertionError(f"no invalid cases known for {type(field).__name__}: teach wrong_types() about it")


def bounds(field: serializers.Field) -> list[tuple[str, Any]]:
    """Values of the right kind outside what the declaration allows."""
    cases: list[tuple[str, Any]] = []
    if isinstance(field, serializers.IntegerField):
        if field.min_value is not None:
            cases.append(("below the minimum", field.min_value - 1))
        if field.max_value is not None:
            cases.append(("above the maximum", field.max_value + 1))
    if isinstance(field, serializers.ChoiceField):
        cases += [("unknown choice", NOT_A_CHOICE), ("blank choice", "")]
    if isinstance(field, serializers.CharField) and not isinstance(field, serializers.ChoiceField):
        assert field.max_length is not None, f"free text without a max_length: {field}"
        cases.append(("too long", "x" * (field.max_length + 1)))
        if not field.allow_blank:
            cases.append(("blank", ""))
    if isinstance(field, serializers.DateField):
        cases.append(("impossible date", "2026-02-30"))
    if isinstance(field, serializers.DateTimeField):
        cases.append(("impossible time", "2026-02-28T25:00:00Z"))
    if isinstance(field, serializers.ListField | serializers.DictField) and not field.allow_empty:
        cases.append(("empty", [] if isinstance(field, serializers.ListField) else {}))
    if isinstance(field, serializers.ListField):
        assert field.max_length is not None, f"a list without a max_length: {field}"
        cases.append(("too many items", [[]] * (field.max_length + 1)))
    return cases


def cases_for(module_id: str, schema: serializers.Serializer, valid: dict, path: tuple = ()) -> list[Case]:
    cases = []
    for name, field in schema.fields.items():
        here = (*path, name)
        assert name in valid, f"VALID[{module_id}] lacks {'.'.join(here)}: give every declared field a value"
        cases += [Case(module_id, here, problem, value) for problem, value in wrong_types(field) + bounds(field)]
        if not field.allow_null:
            cases.append(Case(module_id, here, "null", None))
        if field.required:
            cases.append(Case(module_id, here, "missing", remove=True))
        if isinstance(field, serializers.Serializer):
            cases += cases_for(module_id, field, valid[name], here)
        child = getattr(field, "child", None)
        if _is_typed(child):
            first = next(iter(valid[name])) if isinstance(valid[name], dict) else 0
            item_path = (*here, first)
            nulls = [] if child.allow_null else [("null", None)]
            for problem, value in wrong_types(child) + bounds(child) + nulls:
                cases.append(Case(module_id, item_path, f"item {problem}", value))
    return cases


def _is_typed(child: Any) -> bool:
    """A list/dict child that validates its items (DRF's default child accepts anything)."""
    return isinstance(child, serializers.Field) and type(child).__name__ != "_UnvalidatedField"


# Rules a declaration cannot show (custom validators), written out by hand.
CUSTOM_CASES = [
    Case(WellbeingModule.EMOTION_LABELING, ("date",), "a day to come", "FUTURE"),
    Case(WellbeingModule.INNER_DOODLING, ("sketch_data", "strokes"), "stroke not a list", [{"x": 1}]),
    Case(WellbeingModule.INNER_DOODLING, ("sketch_data", "strokes"), "point not a pair", [[[1, 2, 3]]]),
    Case(WellbeingModule.INNER_DOODLING, ("sketch_data", "strokes"), "point of text", [[["1", "2"]]]),
    Case(WellbeingModule.INNER_DOODLING, ("sketch_data", "strokes"), "point of booleans", [[[True, False]]]),
    Case(WellbeingModule.INNER_DOODLING, ("sketch_data", "strokes"), "point off the canvas", [[[1, CANVAS_MAX + 1]]]),
    Case(WellbeingModule.INNER_DOODLING, ("sketch_data", "strokes"), "negative point", [[[-1, 5]]]),
    Case(WellbeingModule.QUICK_ASSESSMENT, ("answers",), "unknown question", {"10": 3}),
    Case(WellbeingModule.QUICK_ASSESSMENT, ("answers",), "negative question", {"-1": 3}),
    Case(WellbeingModule.BREATHING, ("completed_steps",), "a step twice", ["breathing", "breathing"]),
]

GENERATED = [case for module_id, schema in SCHEMAS.items() for case in cases_for(module_id, schema(), VALID[module_id])]


def declared_paths(schema: serializers.Serializer, path: tuple = ()) -> set[tuple]:
    paths = set()
    for name, field in schema.fields.items():
        paths.add((*path, name))
        if isinstance(field, serializers.Serializer):
            paths |= declared_paths(field, (*path, name))
    return paths


def with_case(case: Case) -> dict:
    """VALID for the case's module, with the one bad value put in (or the field taken out)."""
    data = _copy(VALID[case.module_id])
    parent = data
    for key in case.path[:-1]:
        parent = parent[key]
    last = case.path[-1]
    if case.remove:
        del parent[last]
    elif case.value == "FUTURE":
        parent[last] = (timezone.localdate() + timedelta(days=3)).isoformat()
    else:
        parent[last] = case.value
    return data


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def complete_url(conversation_id: int, module_id: str) -> str:
    return f"/conversations/{conversation_id}/modules/{module_id}/complete"


@pytest.fixture
def conversation(owner):
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    return conversation


def test_it_generates_a_case_for_every_declared_field_of_every_module():
    for module_id, schema in SCHEMAS.items():
        covered = {case.path for case in GENERATED if case.module_id == module_id}
        for path in declared_paths(schema()):
            assert any(c[: len(path)] == path for c in covered), f"{module_id}.{'.'.join(path)} has no invalid case"
    assert set(SCHEMAS) == set(WellbeingModule.values)


@pytest.mark.parametrize("module_id", list(VALID))
def test_it_accepts_the_complete_valid_document(api_as, owner, conversation, module_id):
    response = api_as(owner).post(complete_url(conversation.pk, module_id), {"completion_data": VALID[module_id]})
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("case", GENERATED + CUSTOM_CASES, ids=str)
def test_it_refuses_the_bad_value_naming_its_field(api_as, owner, conversation, case):
    response = api_as(owner).post(
        complete_url(conversation.pk, case.module_id), {"completion_data": with_case(case)}, format="json"
    )
    assert response.status_code == 400, (case, response.json())
    errors = response.json()["errors"]
    assert any(name == case.field or name.startswith(case.field + ".") for name in errors), (case, errors)
    assert not ModuleCompletion.objects.filter(conversation=conversation).exists()
    conversation.refresh_from_db()
    assert conversation.module_status == {}


def test_it_refuses_more_points_than_a_doodle_keeps(owner, conversation):
    # Over MAX_POINTS is more than the API's 64 KB body carries, so this one goes to the service directly.
    strokes = [[[1, 1]] * 100] * (MAX_POINTS // 100 + 1)
    with pytest.raises(ServiceError) as refused:
        services.conversation_module_complete(
            conversation=conversation,
            user=owner,
            module_id=WellbeingModule.INNER_DOODLING,
            completion_data={"sketch_data": {"strokes": strokes}},
        )
    assert "completion_data.sketch_data.strokes" in refused.value.errors
