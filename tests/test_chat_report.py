"""The wellbeing report stays small and cheap however long the history: summaries and recent trends, the history
a page at a time, a doodle's strokes only on that doodle's own endpoint and page."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myApp.sessions import selectors, services
from myApp.sessions.models import ModuleCompletion
from myApp.sessions.wellbeing import MAX_POINTS

V1 = "/api/v1"
REPORT_URL = reverse("chat:report")
BREATHING = {"completed_steps": ["breathing"], "emotion": "Calm", "intensity": 40}
MOOD = {"mood": "Calm", "date": "2026-01-10"}
CHECK_IN = {"answers": {"0": 4, "1": 2}, "total_questions": 10}


def doodle(points: int) -> dict:
    """A drawing of ``points`` points in strokes of at most 100."""
    strokes, left = [], points
    while left:
        strokes.append([[index % 500, (index * 7) % 400] for index in range(min(100, left))])
        left -= len(strokes[-1])
    return {"sketch_data": {"has_drawing": True, "strokes": strokes, "width": 500, "height": 400}}


@pytest.fixture
def conversation(owner):
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    return conversation


def complete(conversation, module_id: str, data: dict, times: int = 1) -> None:
    for _ in range(times):
        services.conversation_module_complete(
            conversation=conversation, user=conversation.user, module_id=module_id, completion_data=data
        )


def history_of(conversation, *, doodle_points: int, breathing: int = 40) -> None:
    complete(conversation, "breathing_exercise", BREATHING, breathing)
    complete(conversation, "emotion_labeling", MOOD, 35)
    complete(conversation, "quick_assessment", CHECK_IN, 35)
    complete(conversation, "inner_doodling", doodle(doodle_points), 3)


# --- The report: summaries and trends ---------------------------------------------------------------------


def test_it_keeps_the_report_free_of_strokes_and_bounded(api_as, owner, outsider, conversation):
    other, _ = services.conversation_get_or_create_active(user=outsider)
    history_of(conversation, doodle_points=MAX_POINTS)  # three doodles of 20,000 points each
    history_of(other, doodle_points=1)  # the same history, with doodles of one point

    big = api_as(owner).get(f"{V1}/conversations/{conversation.pk}/report/")
    small = api_as(outsider).get(f"{V1}/conversations/{other.pk}/report/")

    assert big.status_code == small.status_code == 200
    assert "strokes" not in big.content.decode()
    # Only ids and timestamps differ: a doodle's size does not reach the report.
    assert abs(len(big.content) - len(small.content)) < 200
    assert len(big.content) < 20_000, len(big.content)
    report = big.json()
    assert report["breathing_exercise"]["count"] == 40
    assert len(report["breathing_exercise"]["trend"]) == selectors.TREND_POINTS == report["trend_points"]
    assert report["breathing_exercise"]["average_intensity"] == 40.0
    assert report["inner_doodling"] == {
        "count": 3,
        "drawings": 3,
        "latest": {
            "id": report["inner_doodling"]["latest"]["id"],
            "conversation_id": conversation.pk,
            "completed_at": report["inner_doodling"]["latest"]["completed_at"],
            "summary": {"has_drawing": True, "width": 500, "height": 400},
        },
    }
    latest_check = report["quick_assessment"]["totals"][-1]
    assert (latest_check["total"], latest_check["answered"], latest_check["possible"]) == (6, 2, 10)
    assert latest_check["scores"] == [4, 2, *[None] * 8]


def test_it_shows_the_most_recent_points_oldest_first(owner, conversation):
    for intensity in range(35):
        complete(conversation, "breathing_exercise", {**BREATHING, "intensity": intensity})
    trend = selectors.psychology_report(user=owner)["breathing_exercise"]["trend"]
    assert [point["intensity"] for point in trend] == list(range(35 - selectors.TREND_POINTS, 35))


def test_it_builds_the_report_in_constant_queries(api_as, owner, conversation, django_assert_max_num_queries):
    client = api_as(owner)
    history_of(conversation, doodle_points=10, breathing=1)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{V1}/conversations/{conversation.pk}/report/").status_code == 200
    few = len(queries)

    history_of(conversation, doodle_points=10, breathing=60)

    with django_assert_max_num_queries(few):
        assert client.get(f"{V1}/conversations/{conversation.pk}/report/").status_code == 200


def test_it_never_reads_completion_data_for_summaries(owner, conversation):
    complete(conversation, "inner_doodling", doodle(50))
    completion = selectors.module_completions().get()
    assert "completion_data" in completion.get_deferred_fields()
    assert selectors.completion_summary(completion) == {"has_drawing": True, "width": 500, "height": 400}


# --- The history: a page at a time; strokes on one completion's endpoint ------------------------------------


def test_it_pages_the_history_without_strokes(api_as, owner, conversation, django_assert_max_num_queries):
    history_of(conversation, doodle_points=MAX_POINTS, breathing=5)
    client = api_as(owner)

    with django_assert_max_num_queries(6):
        page = client.get(f"{V1}/module-completions/", {"page_size": 50})
    body = page.json()
    assert body["count"] == 78 and len(body["results"]) == 50
    assert "strokes" not in page.content.decode()
    assert body["results"][0]["module_id"] == "inner_doodling"  # newest first
    assert body["results"][0]["summary"] == {"has_drawing": True, "width": 500, "height": 400}

    doodles = client.get(f"{V1}/module-completions/", {"module_id": "inner_doodling"}).json()
    assert [row["module_id"] for row in doodles["results"]] == ["inner_doodling"] * 3


def test_it_answers_400_for_an_unknown_module_filter(api_as, owner):
    response = api_as(owner).get(f"{V1}/module-completions/", {"module_id": "juggling"})
    assert response.status_code == 400 and "module_id" in response.json()["errors"]


def test_it_gives_a_doodles_strokes_on_its_own_endpoint_only(api_as, owner, outsider, conversation):
    complete(conversation, "inner_doodling", doodle(250))
    completion = ModuleCompletion.objects.get()

    mine = api_as(owner).get(f"{V1}/module-completions/{completion.pk}/")

    assert mine.status_code == 200
    strokes = mine.json()["completion_data"]["sketch_data"]["strokes"]
    assert sum(len(stroke) for stroke in strokes) == 250
    assert api_as(outsider).get(f"{V1}/module-completions/{completion.pk}/").status_code == 404
    assert api_as(outsider).get(f"{V1}/module-completions/").json()["count"] == 0


# --- The pages -------------------------------------------------------------------------------------------


def test_it_pages_the_report_history_and_bounds_the_page(client, owner, conversation, django_assert_max_num_queries):
    history_of(conversation, doodle_points=MAX_POINTS, breathing=5)
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(REPORT_URL)
    few = len(queries)
    assert 0 < few <= 8, [q["sql"] for q in queries.captured_queries]
    html = first.content.decode()

    assert html.count('data-testid="history-row"') == 20 and "Page 1 of 4" in html
    assert len(first.content) < 120_000, len(first.content)
    assert "sketch_data" not in html and "<polyline" in html  # the sparkline, never a doodle
    assert html.count('data-testid="assessment-row"') == selectors.TREND_POINTS
    last = client.get(REPORT_URL, {"page": 4}).content.decode()
    assert last.count('data-testid="history-row"') == 78 - 60

    with django_assert_max_num_queries(few):
        client.get(REPORT_URL, {"page": 2})


def test_it_draws_a_doodle_on_its_own_page(client, owner, outsider, conversation):
    complete(conversation, "inner_doodling", doodle(250))
    completion = ModuleCompletion.objects.get()
    url = reverse("chat:completion", args=[completion.pk])
    client.force_login(owner)

    report = client.get(REPORT_URL).content.decode()
    assert f'href="{url}"' in report
    page = client.get(url).content.decode()
    drawing = re.search(r'data-testid="doodle">.*?</figure>', page, re.S).group(0)
    assert drawing.count("<polyline") == 3  # 250 points in strokes of 100, 100 and 50
    assert 'viewBox="0 0 500 400"' in drawing

    client.force_login(outsider)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("module_id", ["breathing_exercise", "emotion_labeling", "quick_assessment"])
def test_it_shows_any_completion_on_its_own_page(client, owner, conversation, module_id):
    data = {"breathing_exercise": BREATHING, "emotion_labeling": MOOD, "quick_assessment": CHECK_IN}[module_id]
    complete(conversation, module_id, data)
    client.force_login(owner)
    page = client.get(reverse("chat:completion", args=[ModuleCompletion.objects.get().pk]))
    assert page.status_code == 200
    assert 'data-testid="completion-summary"' in page.content.decode()
    assert json.dumps(data) not in page.content.decode()
