"""A bad-input suite generated from the OpenAPI schema.

For every operation that takes a request body, send what a careless or hostile client sends:
malformed JSON, the wrong content type, a body of the wrong type, each field with a value of the
wrong type, a 1 MB string, NUL characters, lone surrogates, non-finite numbers and deep nesting.
Every answer must be a 4xx in the error shape, and no row count and no balance may change. Object
paths name the caller's own real rows, so the requests get past the lookup to the validation and
the services.
"""

import json
import re

import pytest
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from myApp.accounts import services as accounts
from myApp.curriculum import services as curriculum_services
from myApp.sessions import services as chat_services
from tests.factories import CourseFactory, KnowledgeBlockFactory, StaffFactory, UserFactory

WRITE_METHODS = ("post", "put", "patch")
# Content and catalogue writes are staff work; every other write is a learner's own.
STAFF_RESOURCES = {"levels", "modules", "lessons", "knowledge-blocks", "courses"}
# Tables whose rows a refused request may legitimately add: login failures, sessions.
NOT_COUNTED = {"axes", "sessions", "admin"}
MEGABYTE = "x" * (1024 * 1024)


def _schema() -> dict:
    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), cls=DjangoJSONEncoder))


SCHEMA = _schema()


def _resolve(node: dict) -> dict:
    while "$ref" in node:
        node = SCHEMA["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _operations():
    for path, item in SCHEMA["paths"].items():
        for method in WRITE_METHODS:
            operation = item.get(method)
            if operation and "requestBody" in operation:
                yield path, method, operation


def _json_properties(operation: dict) -> dict[str, dict]:
    content = operation["requestBody"]["content"]
    media = content.get("application/json") or next(iter(content.values()))
    body = _resolve(media["schema"])
    return {name: _resolve(prop) for name, prop in body.get("properties", {}).items() if not prop.get("readOnly")}


def _wrong_value(prop: dict):
    """A value of another JSON type than the property's; None when the property takes any JSON."""
    kind = prop.get("type")
    if kind is None:
        return None
    if kind in ("integer", "number"):
        return "not-a-number"
    if kind == "boolean":
        return {"not": "a boolean"}
    if kind == "array":
        return "not-a-list"
    if kind == "object":
        return ["not", "an", "object"]
    return {"not": "a string"}


def _nested(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


def _cases(operation: dict):
    """(label, content type, raw body) for one operation."""
    yield "malformed JSON", "application/json", '{"a": '
    yield "text/plain", "text/plain", "hello"
    yield "xml", "application/xml", "<a>1</a>"
    yield "charset rot13", "application/json; charset=rot13", "{}"
    yield "charset utf-16", "application/json; charset=utf-16", "{}"
    for label, body in [("a list", "[]"), ("a string", '"x"'), ("a number", "5"), ("null", "null")]:
        yield f"body is {label}", "application/json", body
    yield "deep body", "application/json", _nested(10_000)
    for name, prop in _json_properties(operation).items():
        wrong = _wrong_value(prop)
        if wrong is not None:
            yield f"{name}: wrong type", "application/json", json.dumps({name: wrong})
        yield f"{name}: 1 MB string", "application/json", json.dumps({name: MEGABYTE})
        yield f"{name}: 1 MB inside a list", "application/json", json.dumps({name: [MEGABYTE]})
        yield f"{name}: 1 MB inside an object", "application/json", json.dumps({name: {"text": MEGABYTE}})
        yield f"{name}: NUL", "application/json", json.dumps({name: "a\x00b"})
        yield f"{name}: nested 300", "application/json", f'{{"{name}": {_nested(300)}}}'
        yield f"{name}: NaN", "application/json", f'{{"{name}": NaN}}'
        yield f"{name}: 1e400", "application/json", f'{{"{name}": 1e400}}'
        yield f"{name}: lone surrogate", "application/json", f'{{"{name}": "a\\ud800b"}}'


def _snapshot() -> tuple:
    """Every project table's row count and the sum of every balance, in one query."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy and model._meta.app_label not in NOT_COUNTED
        }
    )
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    balances = (
        "(SELECT COALESCE(SUM(xp), 0) + COALESCE(SUM(coins), 0) * 1000 + COALESCE(SUM(tickets), 0) * 1000000"
        " FROM accounts_profile)"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}, {balances}")
        return tuple(zip([*tables, "balances"], cursor.fetchone(), strict=True))


@pytest.fixture
def world(db, curriculum):
    """A learner in the middle of everything, and staff; the ids paths are filled with."""
    learner = UserFactory(username="bad-input-learner")
    staff = StaffFactory(username="bad-input-staff")
    curriculum_services.curriculum_start(user=learner)
    accounts.profile_adjust_balance(user=learner, tickets=5, coins=50)
    lesson_session, _ = curriculum_services.lesson_session_start(user=learner, lesson=curriculum.lessons_a[0])
    visit, _ = curriculum_services.amphitheatre_hub(user=learner)
    entry, _ = curriculum_services.venue_enter(user=learner, venue=curriculum.venue_a)
    conversation = chat_services.conversation_create(user=learner)
    ids = {
        "lesson-sessions": lesson_session.pk,
        "amphitheatre-sessions": visit.pk,
        "venue-entries": entry.pk,
        "venues": curriculum.venue_a.pk,
        "courses": CourseFactory().pk,
        "levels": curriculum.level.pk,
        "modules": curriculum.module_a.pk,
        "lessons": curriculum.lessons_a[1].pk,
        "knowledge-blocks": KnowledgeBlockFactory(module=curriculum.module_a).pk,
        "conversations": conversation.pk,
    }
    return learner, staff, ids


def _url(path: str, ids: dict) -> str:
    resource = re.search(r"/(?:api/v1/)?([a-z-]+)/\{", path)
    own_id = ids.get(resource.group(1), 1) if resource else 1
    return re.sub(r"\{[a-z_]+\}", lambda m: "breathing_exercise" if m.group(0) == "{module_id}" else str(own_id), path)


def _caller(path: str, learner, staff):
    resource = re.match(r"/api/v1/([a-z-]+)/", path)
    return staff if resource and resource.group(1) in STAFF_RESOURCES else learner


OPERATIONS = list(_operations())


def test_it_covers_every_write_operation_with_a_body():
    assert len(OPERATIONS) >= 20
    assert {(path, method) for path, method, _ in OPERATIONS} >= {
        ("/api/chat", "post"),
        ("/conversations/{conversation_id}/modules/{module_id}/complete", "post"),
        ("/api/v1/amphitheatre-sessions/{id}/submit/", "post"),
        ("/api/v1/auth/register/", "post"),
    }


@pytest.mark.parametrize(
    ("path", "method", "operation"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m, _ in OPERATIONS]
)
def test_it_refuses_bad_input_without_changing_anything(world, path, method, operation):
    learner, staff, ids = world
    client = APIClient()
    user = _caller(path, learner, staff)
    _, key = accounts.device_token_create(user=user, name="bad input")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    url = _url(path, ids)
    before = _snapshot()
    for label, content_type, body in _cases(operation):
        response = client.generic(method.upper(), url, body, content_type=content_type)
        assert 400 <= response.status_code < 500, (label, response.status_code, response.content[:300])
        assert set(response.json()) >= {"detail", "errors"}, label
        assert _snapshot() == before, label
