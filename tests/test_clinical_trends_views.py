"""Trends, progress and summary on the API and the client page (its SVG chart); the analyse button on the
session page; who sees them; constant query counts."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myApp.accounts.models import AccessRecord
from myApp.sessions.models import SessionInsight, TherapySession
from myApp.sessions.services import clinical as services
from tests.clinical_analysis_helpers import analysed, finding, scores
from tests.clinical_helpers import client_create, clinician_create, session_with_transcript
from tests.factories import StaffFactory, UserFactory


@pytest.fixture
def clinician(db):
    return clinician_create()


def _analysed(client, days_ago: int, sentiment: float = -0.4):
    return analysed(
        client,
        days_ago=days_ago,
        lines=[("Dr Lee", "How are you?"), ("Client", "Worried about work.")],
        results=[(0.5, scores(trust=1.0), ["check"]), (sentiment, scores(fear=0.6), ["work", "worry"])],
        insights=[finding("cognitive_distortion", "catastrophising", "high"), finding("progress", f"p{days_ago}")],
    )


@pytest.fixture
def records(clinician):
    client = client_create(clinician, name="Robin Vale", user=UserFactory(username="robin"))
    first, second = _analysed(client, 9, -0.4), _analysed(client, 2, 0.2)
    by_rule = {i.recommendations["rule"]: i for i in SessionInsight.objects.filter(session=first)}
    services.insight_approve(insight=by_rule["catastrophising"], by=clinician)
    return {"client": client, "first": first, "second": second}


def _urls(client) -> dict[str, str]:
    return {
        name: reverse(f"client-{name}", args=[client.pk]) for name in ("emotion-trends", "progress-metrics", "summary")
    }


def test_the_api_answers_the_hand_computed_numbers(records, clinician, api_as):
    api = api_as(clinician)
    urls = _urls(records["client"])

    trends = api.get(urls["emotion-trends"]).json()["trends"]
    progress = api.get(urls["progress-metrics"]).json()
    summary = api.get(urls["summary"]).json()

    assert [(p["session_id"], p["sentences"], p["sentiment"], p["emotions"]["fear"]) for p in trends] == [
        (records["first"].pk, 1, -0.4, 0.6),
        (records["second"].pk, 1, 0.2, 0.6),
    ]
    assert trends[0]["emotions"]["trust"] == 0.0  # the clinician's turn is not the client's
    assert [p["approved_insights"] for p in progress["sessions"]] == [1, 0]
    assert progress["progress"] == []  # both progress insights are drafts
    assert progress["change"]["sentiment_change"] == 0.6 and progress["change"]["distortion_change"] == -1
    assert summary["keyword_frequency"] == [{"term": "work", "sentences": 2}, {"term": "worry", "sentences": 2}]
    assert summary["approved_insights"]["total"] == 1
    assert summary["approved_insights"]["by_type"]["cognitive_distortion"] == 1
    assert summary["sentiment"] == {
        "count": 2,
        "mean": -0.1,
        "min": -0.4,
        "max": 0.2,
        "positive": 1,
        "neutral": 0,
        "negative": 1,
    }


def test_staff_read_them_recorded_and_everyone_else_gets_404(records, api_as):
    urls = _urls(records["client"]).values()
    for user in (clinician_create("dr_other"), UserFactory(username="nobody"), records["client"].user):
        assert [api_as(user).get(url).status_code for url in urls] == [404, 404, 404]
    assert not AccessRecord.objects.exists()

    staff = StaffFactory(username="ops")
    assert [api_as(staff).get(url).status_code for url in urls] == [200, 200, 200]
    assert AccessRecord.objects.filter(viewer=staff, through="staff_operations").count() == 3


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert call().status_code == 200
    return len(queries)


def test_the_api_and_the_page_cost_the_same_for_more_sessions(records, clinician, api_as, client):
    api = api_as(clinician)
    client.force_login(clinician)
    calls = [lambda url=url: api.get(url) for url in _urls(records["client"]).values()]
    calls.append(lambda: client.get(reverse("clinic:client", args=[records["client"].pk])))
    for call in calls:
        call()  # warm the session and token caches alike
    before = [_queries(call) for call in calls]

    for days in range(3, 8):
        _analysed(records["client"], days)

    assert [_queries(call) for call in calls] == before


def test_the_client_page_draws_the_trend_and_shows_the_summary(records, clinician, client):
    client.force_login(clinician)

    page = client.get(reverse("clinic:client", args=[records["client"].pk])).content.decode()

    assert 'data-testid="sentiment-chart"' in page and 'data-testid="emotion-chart"' in page
    assert page.count("<polyline") == 2  # sentiment, and fear (the only emotion of the client's speech)
    assert 'data-emotion="fear"' in page and 'data-emotion="trust"' not in page
    assert page.index(f"trend-{records['first'].pk}") < page.index(f"trend-{records['second'].pk}")
    assert '<dd data-testid="approved-insights">1</dd>' in page
    assert "<script" not in page.split('data-testid="trend"')[1].split("</section>")[0]


def test_the_tables_scroll_inside_their_card_on_a_phone(records, clinician, client):
    """Both tables are wider than a 390 px phone (the trend's 8 columns, the sessions' 5): unwrapped, they made
    the whole page 889 px wide and the phone showed it zoomed out, the charts' labels a few pixels high."""
    client.force_login(clinician)

    page = client.get(reverse("clinic:client", args=[records["client"].pk])).content.decode()

    assert '<div class="table-scroll"><table class="data-table" data-testid="trend-table">' in page
    assert '<div class="table-scroll"><table class="data-table" data-testid="sessions">' in page
    assert '<figure class="trend-figure"' in page  # the charts too: at their own size, scrolling sideways
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    assert ".trend-figure { margin: 0; overflow-x: auto; }" in css and ".trend-figure > svg { min-width: 40rem" in css


def test_the_summary_pairs_each_figure_with_its_label(records, clinician, client):
    """``.stats`` lays out one box per ``<div>`` (as on home); bare dt/dd pairs made each a grid cell of its own,
    the sentiment's counts wrapped word by word in the big figure's font."""
    client.force_login(clinician)

    page = client.get(reverse("clinic:client", args=[records["client"].pk])).content.decode()

    stats = page[page.index('data-testid="summary-stats"') : page.index("</dl>", page.index("summary-stats"))]
    assert stats.count("<div><dt>") == stats.count("<dt>") == 6
    assert "<div><dt>Mean sentiment</dt><dd>" in stats and "negative sentences)</span></dd></div>" in stats


def test_every_date_label_of_the_chart_fits_inside_it():
    """A label is drawn centred on its session: the last one ran past the right edge and was cut ("17 No")."""
    import datetime

    from myApp.sessions.trend_chart import trend_chart

    day = datetime.date(2026, 11, 17)
    points = [{"date": day - datetime.timedelta(days=7 * n), "sentiment": 0.1, "emotions": {}} for n in (2, 1, 0)]
    chart = trend_chart(points)

    for x, label in chart.x_labels:
        half = len(label) * 0.62 * 11 / 2  # 11 px (the template's), DejaVu Sans: about 0.62 em a character
        assert half <= x <= chart.width - half, label


def test_the_client_page_without_analysed_sessions_says_so(clinician, client):
    robin = client_create(clinician)
    session_with_transcript(robin)  # its queued run does not execute inside the test's transaction
    client.force_login(clinician)

    page = client.get(reverse("clinic:client", args=[robin.pk])).content.decode()

    assert "No analysed session yet." in page and "<svg" not in page


def test_the_session_page_queues_an_analysis_and_shows_a_failure(
    clinician, client, monkeypatch, django_capture_on_commit_callbacks
):
    from myApp.sessions.clinical import analysis as library

    session = session_with_transcript(client_create(clinician))
    client.force_login(clinician)
    page_url = reverse("clinic:session", args=[session.pk])
    assert "Analyse the transcript" in client.get(page_url).content.decode()

    def refuse(rows, client_speakers):
        raise library.AnalysisRefused("Too long to analyse.")

    monkeypatch.setattr(library, "analyse_session", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("clinic:session_analyse", args=[session.pk]))

    assert response.status_code == 302 and response.url == page_url
    page = client.get(page_url).content.decode()
    assert "The analysis failed: Too long to analyse." in page and "Analyse again" in page

    TherapySession.objects.filter(pk=session.pk).update(analysis_status="processing")
    assert 'data-testid="analyse"' not in client.get(page_url).content.decode()
    refused = client.post(reverse("clinic:session_analyse", args=[session.pk]))
    assert refused.status_code == 409 and "already running" in refused.content.decode()


def test_staff_and_others_cannot_queue_an_analysis_from_the_page(clinician, client):
    session = session_with_transcript(client_create(clinician))
    for user in (StaffFactory(username="ops"), clinician_create("dr_other"), UserFactory(username="nobody")):
        client.force_login(user)
        assert client.post(reverse("clinic:session_analyse", args=[session.pk])).status_code == 404
    session.refresh_from_db()
    assert not session.status_changes.filter(field="analysis_status").exists()
