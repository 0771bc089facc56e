"""Schemathesis over the whole OpenAPI schema: generated valid and invalid requests for every operation.

No answer may be a server error, and every answer must match what the schema documents (status code,
content type, body). The example count is bounded (``FUZZ_EXAMPLES``, default 12 per operation and mode)
so the suite stays fast; raise it locally to search harder.
"""

import json
import os

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

from myApp.accounts import services
from tests.factories import StaffFactory, UserFactory

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))


def _raw_schema() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(generated, cls=DjangoJSONEncoder))


schema = schemathesis.openapi.from_dict(_raw_schema())
schema.config.generation.update(max_examples=EXAMPLES, deterministic=True, database="none")

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture
def app():
    """The real WSGI application. Like Django's test client, it must not close the test's database
    connection at the end of each request (the test's transaction lives on it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def learner_token(db, curriculum):
    user = UserFactory(username="fuzz-learner")
    return services.device_token_create(user=user, name="fuzz")[1]


@pytest.fixture
def staff_token(db, curriculum):
    return services.device_token_create(user=StaffFactory(username="fuzz-staff"), name="fuzz")[1]


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_it_answers_every_generated_request_as_documented(case, app, learner_token):
    case.call_and_validate(app=app, headers={"Authorization": f"Token {learner_token}"}, checks=CHECKS)


# Staff get past the permission check of content writes, so their validation is searched too.
staff_writes = schema.include(path_regex=r"^/api/v1/(levels|modules|lessons|knowledge-blocks|courses)/").exclude(
    method=["GET"]
)


@staff_writes.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_it_answers_every_generated_staff_write_as_documented(case, app, staff_token):
    case.call_and_validate(app=app, headers={"Authorization": f"Token {staff_token}"}, checks=CHECKS)
