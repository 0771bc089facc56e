"""Clinician pages: the caseload with last sessions, a client's sessions, a session's transcript with search
within and its insights to approve or reject; staff read (recorded) and never decide; anyone else 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myApp.accounts.models import AccessRecord
from myApp.sessions.models import SessionInsight
from tests.clinical_helpers import (
    client_create,
    clinician_create,
    draft_insight,
    session_create,
    session_with_transcript,
)
from tests.factories import StaffFactory, UserFactory


@pytest.fixture
def clinician(db):
    return clinician_create()


@pytest.fixture
def records(clinician):
    client = client_create(clinician)
    older = session_with_transcript(client, days_ago=8)
    newer = session_with_transcript(client, days_ago=1)
    return {"client": client, "older": older, "newer": newer, "insight": draft_insight(newer)}


def _as(client, user):
    client.force_login(user)
    return client


def test_it_lists_the_caseload_with_each_clients_last_session(client, clinician, records):
    client_create(clinician, name="Ada New")

    page = _as(client, clinician).get(reverse("clinic:clients")).content.decode()

    assert "Robin Vale" in page and "Ada New" in page and "None yet" in page
    assert reverse("clinic:session", args=[records["newer"].pk]) in page
    assert reverse("clinic:session", args=[records["older"].pk]) not in page


def test_it_shows_a_clients_sessions_newest_first(client, clinician, records):
    page = _as(client, clinician).get(reverse("clinic:client", args=[records["client"].pk])).content.decode()

    assert page.index(f"session-{records['newer'].pk}") < page.index(f"session-{records['older'].pk}")


def test_it_shows_the_transcript_in_order_and_finds_words_within(client, clinician, records):
    url = reverse("clinic:session", args=[records["newer"].pk])

    page = _as(client, clinician).get(url, {"q": "evidence"}).content.decode()

    assert page.index("How has the week been") < page.index("Let&#x27;s look at the evidence")
    assert 'data-testid="hits"' in page and "<mark>evidence</mark>" in page
    assert 'data-testid="no-hits"' in _as(client, clinician).get(url, {"q": "zebra"}).content.decode()


def test_the_clinician_approves_an_insight_from_the_page(client, clinician, records):
    insight = records["insight"]

    response = _as(client, clinician).post(reverse("clinic:insight_decide", args=[insight.pk]), {"decision": "approve"})

    assert response.status_code == 302
    assert SessionInsight.objects.get(pk=insight.pk).status == "approved"


def test_the_clinician_uploads_a_transcript_file_from_the_page(client, clinician, records):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.test_clinical_files import VTT

    session = session_create(records["client"])
    url = reverse("clinic:transcript_upload", args=[session.pk])
    logged_in = _as(client, clinician)

    response = logged_in.post(url, {"file": SimpleUploadedFile("s.vtt", VTT), "mode": "replace"})
    assert response.status_code == 302
    assert list(session.sentences.values_list("speaker", flat=True)) == ["Dr Lee", "Client", "CLIENT"]

    refused = logged_in.post(url, {"file": SimpleUploadedFile("s.srt", b"1\nnot a timing\nx"), "mode": "append"})
    assert refused.status_code == 400
    assert "expected a timing line" in refused.content.decode()
    assert session.sentences.count() == 3


def test_staff_read_the_session_page_recorded_and_cannot_decide(client, records):
    staff = StaffFactory(username="ops")
    url = reverse("clinic:session", args=[records["newer"].pk])

    page = _as(client, staff).get(url).content.decode()

    assert "How has the week been" in page and "Approve" not in page
    assert AccessRecord.objects.filter(viewer=staff, through="staff_operations").count() == 1
    decide = client.post(reverse("clinic:insight_decide", args=[records["insight"].pk]), {"decision": "approve"})
    assert decide.status_code == 404
    assert SessionInsight.objects.get().status == "draft"


def test_everyone_else_gets_404(client, records):
    for user in (clinician_create("dr_other"), UserFactory(username="nobody")):
        logged_in = _as(client, user)
        assert logged_in.get(reverse("clinic:client", args=[records["client"].pk])).status_code == 404
        assert logged_in.get(reverse("clinic:session", args=[records["newer"].pk])).status_code == 404
    assert client.get(reverse("clinic:clients")).status_code == 404  # not a clinician: no caseload page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_cost_the_same_for_more_sessions_sentences_and_insights(client, clinician, records):
    logged_in = _as(client, clinician)
    urls = [
        reverse("clinic:clients"),
        reverse("clinic:client", args=[records["client"].pk]),
        reverse("clinic:session", args=[records["newer"].pk]) + "?q=work",
    ]
    logged_in.get(urls[0])  # the session and its user are cached alike for every measured request
    before = [_queries(logged_in, url) for url in urls]

    for days in range(3):
        session_with_transcript(records["client"], count=12, days_ago=days + 2)
        client_create(clinician, name=f"Client {days}")
        session_create(client_create(clinician, name=f"Scheduled {days}"))
    from myApp.sessions.services import clinical as services
    from tests.clinical_helpers import segments

    services.transcript_save(session=records["newer"], by=clinician, segments=segments(30, start=500), mode="append")
    draft_insight(records["newer"], title="Another")

    assert [_queries(logged_in, url) for url in urls] == before


def test_a_sessions_insights_are_listed_drafts_first_and_most_urgent_first(db):
    """Ordered by meaning, not by the stored text (which sorts 'approved' before 'draft' and 'high' after 'low')."""
    from myApp.sessions import clinical_selectors
    from myApp.sessions.services import clinical as services
    from tests.clinical_helpers import client_create, clinician_create, draft_insight, session_create

    clinician = clinician_create("ordering")
    session = session_create(client_create(clinician))
    made = {
        priority: draft_insight(session, title=priority, intervention_priority=priority)
        for priority in ("low", "high", "urgent", "medium")
    }
    services.insight_decide(insight=made["urgent"], by=clinician, status="approved")

    titles = [insight.title for insight in clinical_selectors.session_insights(session)]

    assert titles == ["high", "medium", "low", "urgent"]


def test_the_caseload_shows_each_clients_open_urgent_insights_and_links_the_queue(client, clinician, records):
    """Issue 11: the client list shows open urgent insights; a decided one no longer counts."""
    from tests.clinical_helpers import urgent_notification

    quiet = client_create(clinician, name="Ada New")
    urgent = urgent_notification(records["newer"]).insight
    urgent_notification(records["older"])
    logged_in = _as(client, clinician)

    page = logged_in.get(reverse("clinic:clients")).content.decode()

    assert 'data-testid="queue-link"' in page and reverse("clinic:insights") in page
    row = page[page.index(f'data-testid="urgent-{records["client"].pk}"') :]
    assert row[: row.index("</td>")].count("2 urgent") == 1
    quiet_row = page[page.index(f'data-testid="urgent-{quiet.pk}"') :]
    assert "None" in quiet_row[: quiet_row.index("</td>")]

    from myApp.sessions.services import clinical as services

    services.insight_reject(insight=urgent, by=clinician, note="Not a risk: quoting a song.")
    assert "1 urgent" in logged_in.get(reverse("clinic:clients")).content.decode()


def test_an_urgent_insight_stands_out_on_the_session_page_and_in_the_queue(client, clinician, records):
    from tests.clinical_helpers import urgent_notification

    urgent = urgent_notification(records["newer"]).insight
    logged_in = _as(client, clinician)

    for url in (reverse("clinic:session", args=[records["newer"].pk]), reverse("clinic:insights")):
        page = logged_in.get(url).content.decode()
        card = page[page.index(f'id="insight-{urgent.pk}"') - 200 :]
        assert "insight-urgent" in card[: card.index("</h3>")] and ">Urgent</span>" in card[: card.index("</h3>")]
        plain = page[page.index(f'id="insight-{records["insight"].pk}"') - 200 :]
        assert "insight-urgent" not in plain[: plain.index("</h3>")]


def test_deciding_in_the_queue_goes_back_to_the_queue(client, clinician, records):
    """The queue is worked through one insight after another: a decision there returns to it, not to the
    insight's session (where it went before)."""
    logged_in = _as(client, clinician)
    queue = logged_in.get(reverse("clinic:insights")).content.decode()
    assert 'name="back" value="queue"' in queue

    decide = reverse("clinic:insight_decide", args=[records["insight"].pk])
    response = logged_in.post(decide, {"decision": "reject", "back": "queue", "note": "Not a risk: quoting a song."})

    assert response.status_code == 302 and response.url == reverse("clinic:insights")
    from_session = logged_in.post(decide, {"decision": "approve"})
    assert from_session.url.startswith(reverse("clinic:session", args=[records["newer"].pk]))


def test_a_decision_on_the_insights_own_page_returns_to_it(client, clinician, records):
    """Deciding on an insight's own page sent the clinician to the queue ("Nothing waits for your review"), away
    from the Decisions list that had just changed (new-user review)."""
    logged_in = _as(client, clinician)
    page_url = reverse("clinic:insight_review", args=[records["insight"].pk])
    assert 'name="back" value="insight"' in logged_in.get(page_url).content.decode()

    decide = reverse("clinic:insight_decide", args=[records["insight"].pk])
    response = logged_in.post(decide, {"decision": "reject", "back": "insight", "note": "Not a risk: a song."})

    assert response.status_code == 302 and response.url == page_url
    assert "Not a risk: a song." in logged_in.get(page_url).content.decode()


def test_a_transcript_without_the_clients_speech_says_what_was_read(client, clinician, records):
    """Distortions and trends read only the lines taken as the client's ("client", "patient", the client's name):
    a transcript that labels the client otherwise ("Speaker 2") said nothing about it. Risk is screened on every line
    not the clinician's: "was screened" once the analysis completed, "is screened ... when it runs" before."""
    from myApp.sessions.models import TherapySession

    named = [("Dr Lee", "How are you?"), ("Speaker 2", "Some nights I think everyone would be better off without me.")]
    unscreened = session_with_transcript(records["client"], count=2, lines=named)
    TherapySession.objects.filter(pk=unscreened.pk).update(analysis_status="completed")
    logged_in = _as(client, clinician)

    page = logged_in.get(reverse("clinic:session", args=[unscreened.pk])).content.decode()
    assert 'data-testid="no-client-speech"' in page
    assert "“client”, “patient”, “Robin Vale”, “Robin”" in page and "this transcript was screened for risk" in page
    TherapySession.objects.filter(pk=unscreened.pk).update(analysis_status="pending")
    pending = logged_in.get(reverse("clinic:session", args=[unscreened.pk])).content.decode()
    assert "is screened for risk when its analysis runs" in pending and "was screened" not in pending

    screened = logged_in.get(reverse("clinic:session", args=[records["newer"].pk])).content.decode()
    assert 'data-testid="no-client-speech"' not in screened


def test_the_upload_says_the_analysis_is_queued(client, clinician, records):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.test_clinical_files import VTT

    session = session_create(records["client"])
    logged_in = _as(client, clinician)

    response = logged_in.post(
        reverse("clinic:transcript_upload", args=[session.pk]),
        {"file": SimpleUploadedFile("s.vtt", VTT), "mode": "replace"},
        follow=True,
    )

    page = response.content.decode()
    assert "Saved 3 sentences (3 in the transcript). The analysis is queued." in page
    assert 'data-testid="analysis-queued"' in page


def test_the_transcript_shows_turns_sentiment_keywords_and_risk_evidence(client, clinician, records):
    """Issue 11's session page: speaker turns, sentiment colouring, keyword highlights (it showed plain lines).
    A risk insight's evidence is outlined as risk whatever its sentiment: VADER reads "better off without me"
    as positive, and tinting it green would say the opposite of what matters."""
    from myApp.sessions.models import SessionSentence, TherapySession
    from tests.clinical_helpers import keywords_set

    lines = [
        ("Dr Lee", "How was the week?"),
        ("Client", "Work was <b>awful</b> again."),
        ("Client", "Some nights everyone would be better off without me."),
        ("Dr Lee", "Thank you for telling me."),
    ]
    session = session_with_transcript(records["client"], count=4, lines=lines)
    TherapySession.objects.filter(pk=session.pk).update(analysis_status="completed")
    sentences = {s.sequence_number: s for s in SessionSentence.objects.filter(session=session)}
    for number, sentiment in {0: 0.0, 1: -0.6, 2: 0.44, 3: 0.5}.items():
        SessionSentence.objects.filter(pk=sentences[number].pk).update(sentiment=sentiment)
    keywords_set(sentences[1], "awful", "work")
    from myApp.sessions.services.clinical.risk import urgent_insight_raise

    urgent_insight_raise(
        client=session.client, session=session, evidence=sentences[2].text, evidence_sentence=sentences[2]
    )

    page = _as(client, clinician).get(reverse("clinic:session", args=[session.pk])).content.decode()
    transcript = page[page.index('data-testid="transcript"') :]

    assert transcript.count('<li class="turn">') == 3  # Dr Lee, Client (two sentences), Dr Lee
    assert 'id="s-1" class="sentence tone-negative"' in transcript
    assert 'id="s-2" class="sentence tone-risk"' in transcript  # not tone-positive
    assert 'id="s-3" class="sentence tone-positive"' in transcript
    assert 'id="s-0" class="sentence tone-neutral"' in transcript
    assert (
        '<mark class="keyword">Work</mark> was &lt;b&gt;<mark class="keyword">awful</mark>&lt;/b&gt; again.'
        in transcript
    )
    assert "<b>awful</b>" not in transcript
    assert 'data-testid="transcript-key"' in page


def test_keywords_are_marked_as_whole_words_best_first_and_escaped():
    from myApp.sessions.models import SessionSentence
    from myApp.sessions.transcript_display import KEYWORDS_MARKED, keyword_terms, marked

    assert marked("Plan & planning: the plan.", ["plan"]) == (
        '<mark class="keyword">Plan</mark> &amp; planning: the <mark class="keyword">plan</mark>.'
    )
    assert marked("a safety  plan", ["safety plan"]) == 'a <mark class="keyword">safety  plan</mark>'
    scores = {f"t{n}": n / 10 for n in range(6)}
    sentence = SessionSentence(keywords={"term": list(reversed(scores)), "score": scores})
    assert keyword_terms(sentence) == ["t0", "t1", "t2"][:KEYWORDS_MARKED]
    assert keyword_terms(SessionSentence(keywords=None)) == []


@pytest.mark.parametrize(
    "query",
    [
        "date__year=9999",
        "date__year=9999&date__month=12",
        "date__year=2026&date__month=12&date__day=31",
        "date__year=99999999999999999999",
        "date__year=2026&date__month=99999999999999999999",
        "date__year=abc",
    ],
)
def test_the_session_admins_date_drill_down_answers_a_bad_date_without_an_error(client, records, query):
    """A session may be dated 9999-12-31 (the API takes any valid date); drilling into its year made Django
    compute year 10000 and fail with a 500."""
    client.force_login(StaffFactory(username="staffer"))

    response = client.get(f"{reverse('admin:usersessions_therapysession_changelist')}?{query}")

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize(
    ("changelist", "lookup"),
    [
        ("admin:usersessions_sessionsentence_changelist", "text__icontains=work"),
        ("admin:usersessions_sessionsentence_changelist", "text=x"),
        ("admin:usersessions_sessionsentence_changelist", "keywords__contains=work"),
        ("admin:usersessions_sessioninsight_changelist", "evidence__icontains=work"),
        (
            "admin:usersessions_sessioninsight_changelist",
            "decision_note__icontains=film",
        ),  # the reason a risk alert went
        ("admin:usersessions_client_changelist", "clinical_notes__icontains=work"),
    ],
)
def test_the_admin_does_not_search_clinical_text_from_the_address_bar(client, records, changelist, lookup):
    """Its docstring says nothing searches transcript text; a URL lookup did (?text__icontains=... listed the
    matching sentences)."""
    client.force_login(StaffFactory(username="staffer"))

    assert client.get(f"{reverse(changelist)}?{lookup}").status_code == 400
    assert (
        client.get(f"{reverse('admin:usersessions_sessionsentence_changelist')}?session__id__exact=1").status_code
        == 200
    )


def test_a_session_without_a_transcript_offers_no_search_and_names_the_client_as_written(client, clinician, records):
    """The new-user review saw a search box over nothing and the client's labels in lower case ("ada w.")."""
    from tests.clinical_helpers import session_create

    empty = session_create(records["client"])
    page = _as(client, clinician).get(reverse("clinic:session", args=[empty.pk])).content.decode()

    assert "Search within" not in page
    assert "“Robin Vale”, “Robin”" in page and "robin vale" not in page
