"""Attack review of the staff dashboard (issue 12): regressions found by fuzzing /admin/dashboard/, its CSV
downloads and GET /api/admin/dashboard. Each test fails on the code as reviewed (2026-11-24).

- A date at the edge of the calendar (9999-12-31 as the end, 0001-01-01 as the end with the start left empty) is a
  valid ``DateField`` value, but ``DayRange.end`` (``last + 1 day``) and ``DashboardRangeForm.clean``
  (``last - 6 days``) overflow: ``OverflowError`` -> 500 instead of the form's own error (page: the default range
  with a message; CSV: 400 text).
- The staff API's answer (recent users' e-mail addresses) carries no ``Cache-Control``; with a token there is no
  ``Vary: Authorization`` either, so nothing tells a cache between the client and the site not to keep it.
- Seed 004: 404 JSON for anyone who is not staff; a POST (any method but GET) answers 405, so the address is
  confirmed to exist for anyone.
"""

import pytest

from tests.factories import UserFactory

PAGE = "/admin/dashboard/"
CSV = "/admin/dashboard/csv/sessions/"
API = "/api/admin/dashboard"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "?first=9999-12-31&last=9999-12-31",  # DayRange.end: last + 1 day overflows (dashboard_range.py:64)
        "?last=9999-12-31",  # the start defaults to 9999-12-25, the end still overflows
        "?first=9999-01-01&last=9999-12-31",
        "?last=0001-01-01",  # DashboardRangeForm.clean: last - 6 days overflows (forms.py:25)
        "?last=0001-01-03",
    ],
)
def test_page_edge_of_calendar_dates_are_refused_not_a_server_error(staff_client, query):
    response = staff_client.get(PAGE + query)
    assert response.status_code == 200
    assert b"errornote" in response.content  # the form's message, the default range shown


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "?first=9999-12-31&last=9999-12-31",
        "?first=9999-12-30&last=9999-12-31",
        "?last=0001-01-01",
    ],
)
def test_csv_edge_of_calendar_dates_are_a_400_not_a_server_error(staff_client, query):
    response = staff_client.get(CSV + query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_api_staff_answer_is_not_cacheable(api_as, staff):
    response = api_as(staff).get(API)
    assert response.status_code == 200
    cache_control = response.get("Cache-Control", "")
    assert "no-store" in cache_control or "private" in cache_control, cache_control


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_api_other_methods_are_404_for_non_staff(anon_api, api_as, method):
    learner = UserFactory(username="plain_learner")
    for client in (anon_api, api_as(learner)):
        response = getattr(client, method)(API, {}, format="json")
        assert response.status_code == 404, (method, response.status_code)
        assert response["Content-Type"].startswith("application/json")
