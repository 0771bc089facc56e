"""The staff dashboard page in the admin (``/admin/dashboard/``, issue 12): the range figures against a hand-built
data set with empty days; staff only (the page and its CSV); the date filter's errors; the CSV's content and its
guard against formulas; the admin index's link; the same number of queries for an empty and a filled data set."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from myApp.analytics import dashboard_range
from myApp.analytics.dashboard_range import DayRange
from myApp.curriculum.models import Enrollment, Purchase, UserProgress
from myApp.quests.models import DailyQuest
from myApp.sessions.models import (
    Client,
    Conversation,
    InsightSource,
    ModuleCompletion,
    Priority,
    SessionInsight,
    TherapySession,
)
from tests.factories import CourseFactory, LevelFactory, ModuleFactory, UserFactory

PAGE = "/admin/dashboard/"
FIRST, LAST = datetime.date(2026, 11, 18), datetime.date(2026, 11, 24)
RANGE = f"?first={FIRST}&last={LAST}"


def at(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _conversation(user, started: datetime.datetime) -> Conversation:
    conversation = Conversation.objects.create(user=user, ended_at=started)
    Conversation.objects.filter(pk=conversation.pk).update(started_at=started)
    return conversation


def _completion(conversation, module_id: str, when: datetime.datetime, **data) -> None:
    ModuleCompletion.objects.create(
        conversation=conversation, user=conversation.user, module_id=module_id, completion_data=data, completed_at=when
    )


def _insight(client: Client, *, priority: str, status: str = "draft", key: str) -> None:
    SessionInsight.objects.create(
        client=client,
        source=InsightSource.CHAT,
        source_key=key,
        insight_type="risk",
        confidence=0.9,
        title="A title no dashboard shows",
        description="Words no dashboard shows",
        therapeutic_method="CBT",
        intervention_priority=priority,
        status=status,
        reviewed_at=None if status == "draft" else timezone.now(),
    )


@pytest.fixture
def world(db):
    """Rows on 18, 20 and 24 November (19, 21, 22 and 23 are empty days), and rows just outside the range."""
    a, b = UserFactory(username="dash_a"), UserFactory(username="dash_b")
    UserFactory(username="dash_parent", role="parent")
    first_course = CourseFactory(title="Speaking 101")
    risky = CourseFactory(title='=HYPERLINK("http://x")')
    # Enrolments: two in the range (one paid), one the day before it starts.
    for user, course, when, paid in (
        (a, first_course, at(FIRST, 9), True),
        (b, first_course, at(LAST, 23, 59), False),
        (a, risky, at(FIRST - datetime.timedelta(days=1), 23, 59), False),
    ):
        enrolment = Enrollment.objects.create(user=user, course=course, is_paid=paid)
        Enrollment.objects.filter(pk=enrolment.pk).update(enrolled_at=when)
    for user, course, amount, currency, when in (
        (a, first_course, "49.50", "USD", at(FIRST)),
        (b, first_course, "10.00", "EUR", at(LAST)),
        (b, risky, "5.00", "USD", at(LAST + datetime.timedelta(days=1), 0, 0)),  # the day after: outside
    ):
        purchase = Purchase.objects.create(user=user, course=course, amount=Decimal(amount), currency=currency)
        Purchase.objects.filter(pk=purchase.pk).update(created_at=when)
    # Chat sessions: two of a and one of b on the 18th, one of b on the 20th, one the day before.
    first_chat = _conversation(a, at(FIRST, 8))
    _conversation(a, at(FIRST, 22))
    _conversation(b, at(FIRST, 10))
    second_chat = _conversation(b, at(FIRST + datetime.timedelta(days=2)))
    _conversation(b, at(FIRST - datetime.timedelta(days=1), 23, 59))
    # Wellbeing: breathing twice and a mood on the 18th; two moods on the 24th; one mood before the range.
    _completion(first_chat, "breathing_exercise", at(FIRST, 8, 5))
    _completion(first_chat, "breathing_exercise", at(FIRST, 8, 10))
    _completion(first_chat, "emotion_labeling", at(FIRST, 8, 15), mood="Calm", date=str(FIRST))
    _completion(second_chat, "emotion_labeling", at(LAST, 9), mood="Anxious", date=str(LAST))
    _completion(second_chat, "emotion_labeling", at(LAST, 10), mood="Calm", date=str(LAST))
    _completion(second_chat, "emotion_labeling", at(FIRST - datetime.timedelta(days=3)), mood="Sad")
    # Curriculum: one module completed on the 20th, one opened and not completed.
    level = LevelFactory(number=1)
    done, open_ = ModuleFactory(level=level, code="A", order=1), ModuleFactory(level=level, code="B", order=2)
    UserProgress.objects.create(user=a, module=done, completed_at=at(FIRST + datetime.timedelta(days=2), 15))
    UserProgress.objects.create(user=a, module=open_)
    # Daily quests: on the 24th three offered, two completed; one the day before the range.
    for user, quest_type, day, completed in (
        (a, "finish_lesson", LAST, True),
        (a, "breathing_exercise", LAST, True),
        (b, "finish_lesson", LAST, False),
        (b, "breathing_exercise", FIRST - datetime.timedelta(days=1), True),
    ):
        DailyQuest.objects.create(
            user=user,
            date=day,
            quest_type=quest_type,
            target=1,
            progress=1 if completed else 0,
            completed_at=at(day) if completed else None,
        )
    # Clinical: two open urgent chat alerts, one decided urgent one, one open high one.
    clinician = UserFactory(username="dash_clin", role="psychologist")
    client = Client.objects.create(clinician=clinician, display_name="Secret Client Name")
    TherapySession.objects.create(client=client, date=at(FIRST))
    _insight(client, priority=Priority.URGENT, key="message:1")
    _insight(client, priority=Priority.URGENT, key="message:2")
    _insight(client, priority=Priority.URGENT, status="approved", key="message:3")
    _insight(client, priority=Priority.HIGH, key="message:4")
    return {"a": a, "b": b, "risky": risky}


def _by_date(rows: list[dict], *names: str) -> dict[str, tuple]:
    return {row["date"].isoformat(): tuple(row[name] for name in names) for row in rows}


def test_it_counts_each_table_against_the_hand_built_data_with_every_empty_day(world):
    figures = dashboard_range.range_figures(DayRange(FIRST, LAST))

    assert _by_date(figures["sessions"], "session_count", "unique_users") == {
        "2026-11-18": (3, 2),
        "2026-11-19": (0, 0),
        "2026-11-20": (1, 1),
        "2026-11-21": (0, 0),
        "2026-11-22": (0, 0),
        "2026-11-23": (0, 0),
        "2026-11-24": (0, 0),
    }
    roles = {row["role"]: row["users"] for row in figures["roles"]}
    assert roles["Learner"] == 2 and roles["Parent"] == 1 and roles["Psychologist"] == 1
    assert [(row["title"], row["enrollments_in_range"], row["paid_in_range"]) for row in figures["courses"]] == [
        ("Speaking 101", 2, 1),
        ('=HYPERLINK("http://x")', 0, 0),
    ]
    assert [
        (row["course__title"], row["currency"], row["purchases"], row["revenue"]) for row in figures["revenue"]
    ] == [
        ("Speaking 101", "USD", 1, Decimal("49.50")),
        ("Speaking 101", "EUR", 1, Decimal("10.00")),
    ]
    assert _by_date(figures["curriculum"], "completions") == {
        day: ((1,) if day == "2026-11-20" else (0,)) for day in _by_date(figures["sessions"])
    }
    wellbeing = _by_date(figures["wellbeing"], "breathing_exercise", "emotion_labeling", "inner_doodling")
    assert wellbeing["2026-11-18"] == (2, 1, 0) and wellbeing["2026-11-24"] == (0, 2, 0)
    assert wellbeing["2026-11-19"] == (0, 0, 0) and len(wellbeing) == 7
    assert [(row["mood"], row["times"]) for row in figures["moods"]] == [("Calm", 2), ("Anxious", 1)]
    quests = _by_date(figures["quests"], "offered", "completed")
    assert quests["2026-11-24"] == (3, 2) and quests["2026-11-18"] == (0, 0) and len(quests) == 7
    insights = {row["source"]: row["open_urgent"] for row in figures["insights"]}
    assert insights == {"Session transcript": 0, "Chat message": 2, "Wellbeing self-check": 0}


def test_it_counts_a_day_in_the_sites_time_zone(db):
    user = UserFactory()
    with override_settings(TIME_ZONE="Asia/Kolkata"):  # UTC+5:30
        _conversation(user, datetime.datetime(2026, 11, 17, 20, 0, tzinfo=datetime.UTC))  # 18 Nov, 01:30 there
        rows = dashboard_range.session_activity(DayRange(FIRST, FIRST))
    assert rows == [{"date": FIRST, "session_count": 1, "unique_users": 1}]


def test_it_shows_every_chart_as_inline_svg_with_its_table_and_no_script(staff_client, world):
    response = staff_client.get(PAGE + RANGE)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<svg role="img" aria-label="') == 9
    assert '<svg role="img" aria-label="Open urgent clinical insights (counts only)"' in page
    assert "<script" not in page.split('id="content-main"')[1]
    assert not re.search(r"<script[^>]+src=\"?(https?:)?//", page)
    assert "kozea.github.io" not in page and "pygal.org" not in page
    assert 'style="opacity: 0"' not in page  # a style attribute the CSP would refuse
    nonce = re.search(r'<style nonce="([^"]+)"', page).group(1)
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
    for heading in (
        "Chat sessions per day",
        "Users by role",
        "Revenue per course (paid in the range)",
        "Moods labelled",
    ):
        assert f">{heading}</h2>" in page
    assert "Secret Client Name" not in page and "A title no dashboard shows" not in page


def test_it_defaults_to_the_last_seven_days(staff_client, db):
    today = timezone.localdate()
    page = staff_client.get(PAGE).content.decode()

    assert f'value="{today - datetime.timedelta(days=6)}"' in page and f'value="{today}"' in page


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?first=2026-11-24&last=2026-11-18", "last", "The end date must be on or after the start date."),
        ("?first=2025-01-01&last=2026-11-24", "last", "Choose a range of at most 366 days."),
        ("?first=2026-13-45&last=2026-11-24", "first", "Enter a valid date."),
        ("?first=99999-01-01", "first", "Enter a valid date."),
        ("?last=yesterday", "last", "Enter a valid date."),
    ],
)
def test_it_shows_field_errors_for_bad_dates_never_a_500(staff_client, db, query, field, message):
    response = staff_client.get(PAGE + query)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()


def test_it_accepts_a_range_of_exactly_366_days(staff_client, db):
    response = staff_client.get(PAGE + "?first=2025-11-24&last=2026-11-24")

    assert response.status_code == 200 and not response.context["form"].errors
    assert len(response.context["sections"][0][0].rows) == 366
    # A year is drawn as lines without a shape per day: as bars (four series a day in one chart) it was 1.5 MB.
    page = response.content.decode()
    assert page.count('class="dot') == 0 and page.count('class="rect') < 50 and len(page) < 600_000


@pytest.mark.parametrize(
    "query",
    ["?first=9999-12-31&last=9999-12-31", "?last=9999-12-31", "?last=0001-01-01", "?first=1999-12-31"],
)
def test_it_refuses_a_date_outside_the_products_years_with_a_field_message(staff_client, db, query):
    response = staff_client.get(PAGE + query)

    assert response.status_code == 200 and "Choose a date from 01 Jan 2000" in response.content.decode()


def test_it_answers_400_with_the_field_message_to_a_bad_csv_range(staff_client, db):
    response = staff_client.get(PAGE + "csv/sessions/?first=2026-11-24&last=2026-11-18")

    assert response.status_code == 400
    assert "The end date must be on or after the start date." in response.content.decode()


def test_it_answers_404_to_an_unknown_table(staff_client, db):
    assert staff_client.get(PAGE + "csv/users/" + RANGE).status_code == 404


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_it_downloads_each_table_as_csv_with_the_same_figures(staff_client, world):
    response = staff_client.get(PAGE + "csv/sessions/" + RANGE)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="dashboard-sessions-2026-11-18-2026-11-24.csv"'
    rows = _csv(response)
    assert rows[0] == ["Day", "Sessions started", "Unique users"]
    assert rows[1:3] == [["2026-11-18", "3", "2"], ["2026-11-19", "0", "0"]] and len(rows) == 8
    revenue = _csv(staff_client.get(PAGE + "csv/revenue/" + RANGE))
    assert revenue[1:] == [["Speaking 101", "USD", "1", "49.50"], ["Speaking 101", "EUR", "1", "10.00"]]


def test_it_prefixes_cells_a_spreadsheet_would_run_as_formulas(staff_client, world):
    for title in ("+1+1", "-2+3", "@SUM(A1)", "Plain"):
        CourseFactory(title=title)

    rows = _csv(staff_client.get(PAGE + "csv/courses/" + RANGE))

    assert [row[0] for row in rows[1:]] == [
        "Speaking 101",
        '\'=HYPERLINK("http://x")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "Plain",
    ]
    assert rows[2][1:] == ["0", "0"]  # numbers are left as they are


@pytest.mark.parametrize("who", ["owner", "parent_with_consent", "parent_without_consent", "outsider"])
@pytest.mark.parametrize("path", [PAGE, PAGE + "csv/sessions/"])
def test_it_sends_everyone_but_staff_to_the_admin_log_in(client, personas, who, path):
    client.force_login(personas[who])

    response = client.get(path)

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("path", [PAGE, PAGE + "csv/sessions/"])
def test_it_sends_an_anonymous_visitor_to_the_admin_log_in(client, db, path):
    response = client.get(path)

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_it_shows_the_page_to_staff_and_not_to_a_deactivated_staff_member(client, personas):
    staff = personas["staff"]
    client.force_login(staff)
    assert client.get(PAGE).status_code == 200
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    assert client.get(PAGE).status_code == 302


def test_it_is_linked_from_the_admin_index_which_keeps_its_app_list(staff_client):
    page = staff_client.get("/admin/").content.decode()

    assert f'href="{PAGE}"' in page
    assert 'id="content-main"' in page and "app-accounts" in page


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE + RANGE).status_code == 200
    return len(queries)


def test_it_runs_the_same_number_of_queries_empty_and_filled(staff_client, db, request):
    empty = _page_queries(staff_client)
    request.getfixturevalue("world")
    filled = _page_queries(staff_client)

    assert empty == filled == 10  # the signed-in user (sessions live in the cache), one aggregate per table


def test_it_shows_the_page_to_staff_without_superuser_rights(client, db):
    operator = UserFactory(username="operator", role="staff", is_staff=True)
    client.force_login(operator)

    assert client.get(PAGE).status_code == 200
    assert client.get(PAGE + "csv/roles/").status_code == 200


@pytest.mark.parametrize("currency", ["=A1", "usd", "US", "€€€"])
def test_a_course_currency_is_a_three_capital_letter_code(api_as, db, currency):
    """Purchases copy a course's currency and the revenue table groups by it: "=A1" made a row of its own (attack
    review). The service answers 400 naming the field; the database refuses it too."""
    from django.db import IntegrityError, transaction

    from myApp.accounts.models import Role
    from myApp.curriculum.models import Course
    from tests.factories import UserFactory

    teacher = UserFactory(username="teacher", role=Role.TEACHER)
    response = api_as(teacher).post(
        "/api/v1/courses/",
        {"title": "Talks", "course_number": 901, "price": "5.00", "currency": currency},
        format="json",
    )
    assert response.status_code == 400 and "currency" in response.json()["errors"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.create(title="Talks", course_number=902, currency=currency)
