"""Every answer under /api/ and the seed routes is JSON in the error shape, whatever went wrong."""

import pytest
from django.db import connection
from django.test import Client

ERROR_KEYS = {"detail", "errors"}


@pytest.fixture
def quiet_client():
    """A client that returns the 500 answer instead of re-raising the view's exception."""
    return Client(raise_request_exception=False)


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def mode(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.mark.parametrize(
    "path",
    [
        "/api/no-such-thing",
        "/api/v1/no-such-thing/",
        "/api/admin/dashboard",
        "/conversations/abc/modules",
        "/conversations/1/unknown",
    ],
)
def test_it_answers_unknown_api_paths_with_a_json_404(client, db, mode, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_it_keeps_html_404_pages_outside_the_api(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_it_answers_405_in_the_error_shape_with_allow(api_as, owner, mode):
    response = api_as(owner).put("/api/session/check")
    assert response.status_code == 405
    assert set(response.json()) == ERROR_KEYS
    assert "GET" in response["Allow"]


def test_it_answers_a_body_over_django_limits_as_json(api_as, owner, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    response = api_as(owner).post("/api/v1/milestones/", {f"f{n}": "x" for n in range(10)}, format="multipart")
    assert 400 <= response.status_code < 500
    assert set(response.json()) == ERROR_KEYS


@pytest.mark.urls("tests.crash_urls")
@pytest.mark.parametrize("path", ["/api/v1/test-crash/", "/conversations/test-crash"])
def test_it_answers_a_crash_with_a_json_500(quiet_client, db, mode, path, caplog):
    response = quiet_client.get(path)
    assert response.status_code == 500
    assert response.json() == {"detail": "A server error occurred. It has been logged.", "errors": {}}
    assert any("Boom" in (record.exc_text or "") or record.exc_info for record in caplog.records)


@pytest.mark.urls("tests.crash_urls")
def test_it_keeps_the_html_500_page_outside_the_api(quiet_client, db):
    response = quiet_client.get("/test-crash/")
    assert response.status_code == 500
    assert not response["Content-Type"].startswith("application/json")


@pytest.fixture
def database_down(transactional_db):
    """The real driver failing to connect: the connection is closed and pointed at a closed port.
    (A database server can be down; the embedded SQLite test database cannot, so these run on PostgreSQL.)"""
    settings_dict = connection.settings_dict
    saved = dict(settings_dict)
    connection.close()
    settings_dict["PORT"] = "1"
    settings_dict["HOST"] = "127.0.0.1"
    yield
    connection.close()
    settings_dict.clear()
    settings_dict.update(saved)


@pytest.mark.postgres
@pytest.mark.urls("tests.crash_urls")
def test_it_answers_a_database_outage_with_503_and_retry_after(quiet_client, database_down, mode):
    response = quiet_client.get("/api/v1/test-database/")
    assert response.status_code == 503
    assert response.json()["detail"].startswith("The service is temporarily unavailable")
    assert int(response["Retry-After"]) > 0


@pytest.mark.postgres
def test_it_answers_503_when_the_database_is_down_for_an_authenticated_api_call(quiet_client, database_down):
    response = quiet_client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token " + "a" * 64)
    assert response.status_code == 503
    assert set(response.json()) == ERROR_KEYS
    assert "Retry-After" in response


@pytest.mark.parametrize("url", ["/admin/accounts/user/?role=%00", "/admin/accounts/user/?q=a%00b", "/learn/%00/"])
def test_it_refuses_nul_characters_in_page_addresses_with_400(staff_client, url):
    response = staff_client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/conversations/?page_size=%00", "/api/courses?country=%00", "/api/v1/%00/"])
def test_it_refuses_nul_characters_in_api_addresses_in_the_error_shape(api_as, owner, url):
    response = api_as(owner).get(url)
    assert response.status_code == 400
    assert response.json() == {"detail": "NUL (\\u0000) characters are not allowed in the address.", "errors": {}}


@pytest.mark.parametrize("charset", ["rot13", "base64", "latin-1", "utf-16"])
def test_it_refuses_a_body_in_another_charset_than_utf8(client, db, charset):
    body = b'{"username": "a", "password": "b"}'
    api = client.generic("POST", "/api/v1/auth/token/", body, content_type=f"application/json; charset={charset}")
    assert api.status_code == 400
    assert api.json()["detail"] == f"Send the body as UTF-8; the request declared charset {charset!r}."

    page = client.generic(
        "POST",
        "/login/",
        b"username=a&password=b",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert page.status_code == 400
    assert "Send the body as UTF-8" in page.content.decode()


def test_it_refuses_a_body_over_the_request_limit_before_reading_it(api_as, owner, settings):
    settings.MAX_REQUEST_BYTES = 1024
    response = api_as(owner).post("/api/v1/milestones/", {"transcript": "x" * 2048}, format="multipart")
    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large (at most 0 MB).", "errors": {}}


def test_it_answers_413_for_a_json_body_over_the_upload_limit(api_as, owner):
    body = '{"first_name": "%s"}' % ("x" * (3 * 1024 * 1024))
    response = api_as(owner).generic("PATCH", "/api/v1/me/", body, content_type="application/json")
    assert response.status_code == 413
    assert set(response.json()) == ERROR_KEYS


def test_it_answers_a_page_form_over_the_body_limit_with_a_400_page(db, settings):
    """Django's own error views re-ran the CSRF check, which read the body again and escaped as a bare 500."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    response = client.post("/login/", {"username": "a", "password": "x" * 4096, "csrfmiddlewaretoken": token})
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
