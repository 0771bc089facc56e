"""The OpenAPI schema documents the errors each operation really answers, and the rules it enforces."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from drf_spectacular.generators import SchemaGenerator

V1 = "/api/v1"


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(generated, cls=DjangoJSONEncoder))


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def test_it_documents_every_error_answer_in_the_error_shape(schema):
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"detail", "errors"}
    for path, method, operation in operations(schema):
        for code, response in operation["responses"].items():
            if code[0] in "45":
                name = response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
                shape = schema["components"]["schemas"][name]
                assert {"detail", "errors"} <= set(shape["properties"]), (method, path, code)


def test_it_derives_the_shared_error_codes_from_each_view(schema):
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        has_body = "requestBody" in operation
        where = {p["in"] for p in operation.get("parameters", [])}
        assert "503" in codes, (method, path)
        if has_body:
            assert {"400", "413", "415"} <= codes, (method, path)
        if method != "get":
            assert {"400", "409"} <= codes, (method, path)
        if "path" in where:
            assert "404" in codes, (method, path)
        if "query" in where:
            assert "400" in codes, (method, path)


def test_it_documents_who_may_call(schema):
    anonymous = schema["paths"][f"{V1}/auth/token/"]["post"]["responses"]
    assert "401" not in anonymous and "429" in anonymous
    staff_write = schema["paths"][f"{V1}/levels/"]["post"]["responses"]
    assert {"401", "403"} <= set(staff_write)
    own_read = schema["paths"][f"{V1}/conversations/{{id}}/"]["get"]["responses"]
    assert "401" in own_read and "403" not in own_read


def test_it_documents_the_page_size_bounds(schema):
    parameters = {p["name"]: p for p in schema["paths"][f"{V1}/conversations/"]["get"]["parameters"]}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert parameters["page"]["schema"]["minimum"] == 1


@pytest.mark.parametrize("page_size", ["0", "101", "-1", "ten", "1.5", "²", "\u0661\u0660"])
def test_it_refuses_a_page_size_outside_its_bounds(api_as, owner, page_size):
    response = api_as(owner).get(f"{V1}/conversations/", {"page_size": page_size})
    assert response.status_code == 400
    assert response.json()["errors"] == {"page_size": ["A whole number from 1 to 100."]}


def test_it_accepts_the_page_size_bounds_and_404s_a_missing_page(api_as, owner):
    client = api_as(owner)
    assert client.get(f"{V1}/conversations/", {"page_size": 1}).status_code == 200
    assert client.get(f"{V1}/conversations/", {"page_size": 100}).status_code == 200
    missing = client.get(f"{V1}/conversations/", {"page": 5})
    assert missing.status_code == 404
    assert set(missing.json()) == {"detail", "errors"}


def test_it_documents_the_chat_message_rule(schema):
    message = schema["components"]["schemas"]["ChatInputRequest"]["properties"]["message"]
    assert (message["minLength"], message["maxLength"], message["pattern"]) == (1, 4000, r"\S")


@pytest.mark.parametrize("message", ["", "   ", "x" * 4001])
def test_it_refuses_the_chat_messages_the_schema_rules_out(api_as, owner, message):
    response = api_as(owner).post("/api/chat", {"message": message})
    assert response.status_code == 400
    assert "message" in response.json()["errors"]
