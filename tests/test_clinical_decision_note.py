"""Safety first: an urgent insight (a risk alert) is rejected only with a reason, kept with the decision. The
new-user review rejected a self-harm alert with one stray click, no confirmation and nothing recorded. The rule
is the service's (``insights._decision_note``); the API and the pages pass the reason through."""

import pytest
from django.urls import reverse

from myApp.lib.exceptions import ServiceError
from myApp.sessions.models import InsightDecision, SessionInsight
from myApp.sessions.services import clinical as services
from tests.clinical_helpers import client_create, clinician_create, draft_insight, session_with_transcript


@pytest.fixture
def clinician(db):
    return clinician_create()


@pytest.fixture
def session(clinician):
    return session_with_transcript(client_create(clinician))


@pytest.fixture
def urgent(session):
    return draft_insight(session, insight_type="risk", title="Possible self-harm", intervention_priority="urgent")


def test_an_urgent_insight_is_not_rejected_without_a_reason(clinician, urgent):
    for note in ("", "   ", "no", "false  al"):  # spaces are not a reason: "false al" is 8 characters
        with pytest.raises(ServiceError) as refused:
            services.insight_reject(insight=urgent, by=clinician, note=note)
        assert "reason" in refused.value.errors["note"][0]
    assert SessionInsight.objects.get().status == "draft"


def test_with_a_reason_it_is_rejected_and_the_reason_is_kept(clinician, urgent):
    services.insight_reject(insight=urgent, by=clinician, note="  Quoting a film line,\n not about herself. ")

    stored = SessionInsight.objects.get()
    assert (stored.status, stored.decision_note) == ("rejected", "Quoting a film line, not about herself.")


def test_approving_an_urgent_insight_or_rejecting_any_other_needs_no_reason(clinician, session, urgent):
    other = draft_insight(session)

    assert services.insight_approve(insight=urgent, by=clinician).status == "approved"
    assert services.insight_reject(insight=other, by=clinician).status == "rejected"
    with pytest.raises(ServiceError):
        services.insight_reject(insight=urgent, by=clinician, note="x" * 1001)


def test_the_api_answers_400_naming_the_note_and_takes_the_reason(api_as, clinician, urgent):
    api = api_as(clinician)
    url = reverse("session-insight-reject", args=[urgent.pk])

    refused = api.post(url, {}, format="json")
    assert refused.status_code == 400 and "note" in refused.json()["errors"]
    assert api.post(url, {"note": "ok", "extra": 1}, format="json").status_code == 400  # unknown field
    done = api.post(url, {"note": "Transcription error: 'kill' was 'skill'."}, format="json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["decision_note"]) == (
        "rejected",
        "Transcription error: 'kill' was 'skill'.",
    )


def test_the_pages_ask_for_the_reason_refuse_without_it_and_show_it(client, clinician, session, urgent):
    client.force_login(clinician)
    page = client.get(reverse("clinic:session", args=[session.pk])).content.decode()
    assert f'data-testid="note-{urgent.pk}"' in page
    assert 'aria-label="Reject: Possible self-harm"' in page

    refused = client.post(reverse("clinic:insight_decide", args=[urgent.pk]), {"decision": "reject", "note": ""})
    assert refused.status_code == 400 and "reason" in refused.content.decode()
    assert SessionInsight.objects.get().status == "draft"

    client.post(
        reverse("clinic:insight_decide", args=[urgent.pk]),
        {"decision": "reject", "note": "Said about a character in her novel.", "back": "queue"},
    )
    assert SessionInsight.objects.get().status == "rejected"
    review = client.get(reverse("clinic:insight_review", args=[urgent.pk])).content.decode()
    assert "Rejected because: Said about a character in her novel." in review


def test_the_pages_say_how_long_a_reason_must_be(client, clinician, session, urgent):
    """The second new-user review typed 'dup' as the reason and was told only 'Say why this urgent insight is
    rejected.': neither the field nor the refusal named the rule (10 characters or more)."""
    client.force_login(clinician)
    for url in (
        reverse("clinic:session", args=[session.pk]),
        reverse("clinic:insights"),
        reverse("clinic:insight_review", args=[urgent.pk]),
    ):
        assert "at least 10 characters" in client.get(url).content.decode()

    refused = client.post(reverse("clinic:insight_decide", args=[urgent.pk]), {"decision": "reject", "note": "dup"})
    assert refused.status_code == 400 and "at least 10 characters" in refused.content.decode()


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("\u200b" * 12, "reason"),  # invisible: it passed as a 12-character reason
        ("\u200b \u200b " * 11, "reason"),
        ("\u202enot a risk, a quote", "direction"),  # stored, and shown backwards in the record
        ("a reason with a \x07 bell", "control"),
    ],
)
def test_an_invisible_or_reversed_reason_is_no_reason(api_as, clinician, urgent, note, message):
    with pytest.raises(ServiceError) as refused:
        services.insight_reject(insight=urgent, by=clinician, note=note)
    assert message in refused.value.errors["note"][0]
    answer = api_as(clinician).post(reverse("session-insight-reject", args=[urgent.pk]), {"note": note}, format="json")
    assert answer.status_code == 400 and "note" in answer.json()["errors"]
    assert SessionInsight.objects.get().status == "draft"


@pytest.mark.parametrize(("note", "message"), [("x" * 1001, "at most 1000"), ("a long reason \x00 here", "Null")])
def test_the_page_says_what_is_wrong_with_the_reason(client, clinician, session, urgent, note, message):
    """A reason over 1,000 characters or with a NUL came back as a redirect and "Choose approve or reject."."""
    client.force_login(clinician)
    answer = client.post(reverse("clinic:insight_decide", args=[urgent.pk]), {"decision": "reject", "note": note})
    assert answer.status_code == 400
    assert "Reason: " in answer.content.decode() and message in answer.content.decode()
    assert SessionInsight.objects.get().status == "draft"


def test_a_refused_decision_comes_back_on_the_insights_page_with_the_reason_as_typed(client, clinician, urgent):
    """It went to a bare 'That did not work' page and the typed reason was lost (second new-user review)."""
    client.force_login(clinician)

    refused = client.post(
        reverse("clinic:insight_decide", args=[urgent.pk]), {"decision": "reject", "note": "dup", "back": "queue"}
    )

    page = refused.content.decode()
    assert refused.status_code == 400 and 'data-testid="decision-refused"' in page
    assert ">dup</textarea>" in page and "at least 10 characters" in page
    assert '<input type="hidden" name="back" value="queue">' in page  # still goes back to the queue once decided
    assert "Possible self-harm" in page  # the insight's own page, its evidence beside the form
    assert SessionInsight.objects.get().status == "draft"


def test_the_form_asks_for_a_reason_exactly_where_the_service_needs_one(client, clinician, session, urgent):
    other = draft_insight(session)
    client.force_login(clinician)
    page = client.get(reverse("clinic:session", args=[session.pk])).content.decode()
    assert f'data-testid="note-{urgent.pk}"' in page and f'data-testid="note-{other.pk}"' not in page
    assert f'data-testid="optional-note-{other.pk}"' in page  # any other decision may say why, and need not

    services.insight_reject(insight=urgent, by=clinician, note="Quoting a film line, not about herself.")
    page = client.get(reverse("clinic:session", args=[session.pk])).content.decode()
    assert f'data-testid="note-{urgent.pk}"' not in page  # rejected: approving it again needs no reason
    assert f'data-testid="optional-note-{urgent.pk}"' in page


def test_an_optional_reason_is_kept_with_any_decision(client, clinician, session, urgent):
    """Only rejecting an urgent insight could carry a reason: rejecting an ordinary one, or approving a rejected
    alert after all, recorded no why (new-user review)."""
    other = draft_insight(session)
    client.force_login(clinician)
    decide = reverse("clinic:insight_decide", args=[other.pk])

    client.post(decide, {"decision": "reject", "note": "Said in jest."})
    client.post(decide, {"decision": "approve", "note": ""})  # optional: deciding without one still works

    assert [(d.status, d.note) for d in InsightDecision.objects.filter(insight=other).order_by("decided_at", "pk")] == [
        ("rejected", "Said in jest."),
        ("approved", ""),
    ]


def test_the_reason_has_a_line_of_its_own_above_the_buttons(clinician, urgent, client):
    """The form was inline: label, a two-column-wide box and the buttons ran on as one line of text, the box a
    few words wide (new-user review). It is a block of its own, the box as wide as the card."""
    from django.conf import settings

    client.force_login(clinician)

    page = client.get(reverse("clinic:insight_review", args=[urgent.pk])).content.decode()

    assert f'class="decide-form" data-testid="decide-{urgent.pk}"' in page
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    assert ".decide-form { display: flex;" in css and ".decide-form > textarea" in css
