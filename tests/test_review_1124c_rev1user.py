"""Review 1124c (a new operations person using the staff dashboard, issue 12): regressions found by using
/admin/dashboard/ and GET /api/admin/dashboard in Chromium. Each test fails on the code as reviewed.

- a date far in the future (a browser's date field takes year 9999) answers 500 instead of a message;
- the per-day bar charts print every day's label, so over a month they overlap into a black smear;
- the enrolments-per-course chart prints five course titles into slots too narrow for them;
- the API's ``timestamp`` is the time of the response, not of the figures, so cached (30 s old) figures are
  presented as fresh;
- at 390 px (a phone) the page is wider than the screen: the tables' number columns are cut off;
- the revenue chart compares amounts in different currencies on one axis with no currency visible;
- a paid enrolment is counted on the day of enrolment, its purchase on the day of payment, so they disagree.
"""

import datetime
import itertools
import re
import time
from decimal import Decimal

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By

from myApp.analytics import dashboard
from myApp.curriculum.models import Enrollment, Purchase
from myApp.sessions.models import Conversation
from tests.browser import log_in
from tests.factories import PASSWORD, CourseFactory, StaffFactory, UserFactory

PAGE = "/admin/dashboard/"
# pygal writes each x axis label as a vertical guide path followed by its text (y guides are horizontal: "h").
_X_LABEL = re.compile(r'<path d="M[\d.]+ [\d.]+ v[\d.]+"[^>]*?/?>(?:</path>)?<text x="([\d.]+)"[^>]*>([^<]*)</text>')
# About 6 px per character at the charts' 12 px label font (a conservative width: real glyphs are wider).
_PX_PER_CHAR = 6


def _chart(page: str, name: str) -> str:
    return re.search(rf'id="section-{name}".*?</svg>', page, re.S).group(0)


def _overlaps(svg: str) -> list[tuple[str, str]]:
    """Neighbouring x axis labels closer together than the wider of the two is long."""
    labels = sorted((float(x), text) for x, text in _X_LABEL.findall(svg))
    return [
        (left, right)
        for (x1, left), (x2, right) in itertools.pairwise(labels)
        if x2 - x1 < max(len(left), len(right)) * _PX_PER_CHAR
    ]


def test_a_far_future_end_date_gets_a_message_not_a_server_error(staff_client):
    """``DayRange.end`` adds a day to 9999-12-31 (dashboard_range.py, ``end``): OverflowError, HTTP 500."""
    page = staff_client.get(PAGE + "?first=9999-12-30&last=9999-12-31")
    assert page.status_code == 200
    assert 'class="errornote"' in page.content.decode()

    download = staff_client.get(PAGE + "csv/sessions/?first=9999-12-30&last=9999-12-31")
    assert download.status_code == 400


@pytest.mark.parametrize("name", ["curriculum", "wellbeing", "quests"])
def test_a_months_per_day_bar_chart_has_day_labels_that_do_not_overlap(staff_client, name):
    """The line chart thins its labels over 14 days (dashboard_charts._line); the bar charts print all 31."""
    page = staff_client.get(PAGE + "?first=2025-01-01&last=2025-01-31").content.decode()

    assert _overlaps(_chart(page, "sessions")) == []  # the line chart, for comparison: readable
    assert _overlaps(_chart(page, name)) == []


def test_the_enrolments_chart_has_course_names_that_do_not_overlap(staff_client, db):
    for title in (
        "Public Speaking Essentials",
        "Confident Presentations at Work",
        "Storytelling for Leaders",
        "Speaking Up in Meetings",
        "Academic Presentations and Thesis Defence",
    ):
        CourseFactory(title=title)

    page = staff_client.get(PAGE).content.decode()

    assert _overlaps(_chart(page, "courses")) == []


def test_the_apis_timestamp_says_when_its_cached_figures_were_computed(db, api_as):
    """Figures up to 30 s old go out with ``timestamp`` = now (api.AdminDashboardView.get): a reader checking
    freshness is told they are current while a new session is missing from them."""
    staff_api = api_as(StaffFactory(username="ops"))
    learner = UserFactory(username="fresh")
    dashboard.cache.delete(dashboard.CACHE_KEY)
    first = staff_api.get("/api/admin/dashboard").json()
    time.sleep(1.1)
    Conversation.objects.create(user=learner)

    second = staff_api.get("/api/admin/dashboard").json()

    today_first = first["data"]["session_activity_7d"][-1]["session_count"]
    today_second = second["data"]["session_activity_7d"][-1]["session_count"]
    if today_second == today_first:  # the cached figures: they must not claim a later time than theirs
        assert second["timestamp"] == first["timestamp"]
    dashboard.cache.delete(dashboard.CACHE_KEY)


def test_the_page_fits_a_phone_screen_without_sideways_scrolling(browser, live_server, staff):
    """At 390 px the enrolments and wellbeing tables overflow (their first column does not wrap and the table
    is wider than the screen): the number columns are cut off and the whole page scrolls sideways."""
    course = CourseFactory(title="Academic Presentations and Thesis Defence")
    Enrollment.objects.create(user=UserFactory(username="phone_learner"), course=course, is_paid=True)
    log_in(browser, live_server, staff.username, PASSWORD)
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    )
    try:
        browser.get(f"{live_server.url}{PAGE}?first={datetime.date.today()}&last={datetime.date.today()}")
        browser.find_element(By.ID, "section-courses")
        widths = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert widths[0] <= widths[1], f"page {widths[0]} px wide on a {widths[1]} px screen"


def test_the_revenue_chart_shows_each_bars_currency(staff_client, db):
    """Three purchases in USD, GBP and EUR are drawn as bars on one axis with no unit; the currency is appended to
    each course's label and then cut off by the 28-character truncation (dashboard_charts.charts, "revenue"), so
    the chart compares 79 dollars with 49 pounds with nothing on it saying so."""
    learner = UserFactory(username="buyer")
    for title, amount, currency in (
        ("Storytelling for Leaders", "79.00", "USD"),
        ("Confident Presentations at Work", "49.00", "GBP"),
        ("Academic Presentations and Thesis Defence", "29.00", "EUR"),
    ):
        Purchase.objects.create(
            user=learner, course=CourseFactory(title=title), amount=Decimal(amount), currency=currency
        )

    svg = _chart(staff_client.get(PAGE).content.decode(), "revenue")

    shown = " ".join(text for _, text in _X_LABEL.findall(svg)) + " " + " ".join(re.findall(r">([^<]+)</text>", svg))
    for currency in ("USD", "GBP", "EUR"):
        assert currency in shown, f"{currency} appears nowhere on the revenue chart"


def test_the_tables_say_which_day_counts_an_enrolment_and_a_payment(staff_client, db):
    """Decided (new-user review): an enrolment is counted on the day it was made, with whether it is paid (or
    free) now; a purchase on the day it was paid. The two tables say so, since a learner who enrols on one day
    and pays on another shows on both days."""
    page = staff_client.get(PAGE).content.decode()
    assert "Enrolments per course (made in the range)" in page and "Of them paid or free" in page
    assert "Revenue per course (paid in the range)" in page


def test_a_years_sessions_chart_has_distinct_day_labels_that_do_not_overlap(staff_client):
    """Over 366 days the line chart shows every 36th day plus, as pygal adds it, the last one: "19 Nov" and
    "24 Nov" end up 9 px apart, and "24 Nov" stands at both ends of the axis with no year to tell them apart
    (dashboard_charts._day prints day and month only)."""
    today = timezone.localdate()
    first = today - datetime.timedelta(days=365)  # 366 days, the most the filter takes
    page = staff_client.get(f"{PAGE}?first={first}&last={today}").content.decode()

    labels = [text for _, text in _X_LABEL.findall(_chart(page, "sessions"))]
    assert _overlaps(_chart(page, "sessions")) == []
    assert len(labels) == len(set(labels)), f"the same label for two different days: {labels}"
