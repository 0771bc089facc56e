"""The API base: one error format, JSON only, pagination, schema and docs (health: test_health.py)."""

import pytest
from django.core.management import call_command

from myApp.analytics import services as analytics
from myApp.analytics.models import AnalyticsEvent


def test_it_reports_unknown_routes_and_methods_in_the_error_format(api_as, owner):
    client = api_as(owner)
    assert client.get("/api/v1/child-links/999999/").json() == {
        "detail": "Not found.",
        "errors": {},
    }
    response = client.delete("/api/v1/me/")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.', "errors": {}}


def test_it_rejects_malformed_json_with_400(api_as, owner):
    response = api_as(owner).generic("PATCH", "/api/v1/me/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


def test_it_validates_the_openapi_schema(db):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_it_serves_the_schema_and_the_docs(client, owner):
    client.force_login(owner)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/me/", "/api/v1/auth/token/", "/api/v1/child-links/"} <= set(paths)
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


def test_it_records_analytics_events(owner):
    event = analytics.track(event_type="lesson_started", user=owner, data={"lesson": 3})
    assert AnalyticsEvent.objects.get(pk=event.pk).event_data == {"lesson": 3}
    with pytest.raises(ValueError):
        analytics.track(event_type="")
    with pytest.raises(ValueError):  # a name outside the vocabulary (myApp/analytics/events.py) is refused
        analytics.track(event_type="lesson_startd", user=owner)
