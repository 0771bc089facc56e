"""Clinician pages that add to the caseload: a new client, a new session of a client. A new psychologist had no
page for either (the review had to make sessions in a shell to upload a transcript). Only psychologists add
clients; only the client's clinician adds their sessions (staff, who read a client recorded, and everyone else:
404); bad input comes back on the form with what was typed."""

import pytest
from django.conf import settings
from django.urls import reverse

from myApp.sessions.models import Client, ClientProfile, TherapySession
from tests.clinical_helpers import client_create, clinician_create
from tests.factories import StaffFactory, UserFactory


@pytest.fixture
def clinician(db):
    return clinician_create()


def _as(client, user):
    client.force_login(user)
    return client


def test_a_psychologist_adds_a_client_and_then_a_session_and_lands_where_the_transcript_goes(client, clinician):
    logged_in = _as(client, clinician)
    listing = logged_in.get(reverse("clinic:clients")).content.decode()
    assert 'data-testid="client-new"' in listing and "You have no clients yet" in listing

    answer = logged_in.post(
        reverse("clinic:client_new"), {"display_name": "Jordan Ash", "age": "34", "gender": "", "clinical_notes": ""}
    )

    new = Client.objects.get()
    assert (new.clinician, new.display_name, new.age) == (clinician, "Jordan Ash", 34)
    assert ClientProfile.objects.filter(client=new).exists()  # the service's, with its empty profile
    assert answer.status_code == 302 and answer["Location"] == reverse("clinic:client", args=[new.pk])
    page = logged_in.get(answer["Location"]).content.decode()
    assert "Jordan Ash is on your caseload" in page and 'data-testid="session-new"' in page

    added = logged_in.post(
        reverse("clinic:session_new", args=[new.pk]),
        {"date": "2026-11-20T10:30", "duration_minutes": "50", "session_type": "individual"},
    )

    session = TherapySession.objects.get()
    assert (session.client, session.duration_minutes, session.status) == (new, 50, "scheduled")
    assert (session.date.year, session.date.month, session.date.day, session.date.hour) == (2026, 11, 20, 10)
    assert added["Location"] == reverse("clinic:session", args=[session.pk])
    assert "Upload its transcript below" in logged_in.get(added["Location"]).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"display_name": ""}, "display_name", "This field is required."),
        ({"display_name": "x" * 121}, "display_name", "at most 120 characters"),
        ({"display_name": "Nul\x00byte"}, "display_name", "Null characters are not allowed."),
        ({"display_name": "Robin", "age": "131"}, "age", "less than or equal to 130"),
        ({"display_name": "Robin", "age": "-1"}, "age", "greater than or equal to 0"),
        # A direction override made the caseload list "abc\u202edef" as "abcfed" reversed; a zero-width name was
        # a blank line (both taken before).
        ({"display_name": "abc\u202edef"}, "display_name", "text-direction overrides"),
        ({"display_name": "Robin", "gender": "\u2066x\u2069"}, "gender", "text-direction overrides"),
        ({"display_name": "\u200b\u200b"}, "display_name", "Must have a visible character."),
    ],
)
def test_a_bad_client_comes_back_on_the_form_with_what_was_typed(client, clinician, data, field, message):
    answer = _as(client, clinician).post(reverse("clinic:client_new"), {"clinical_notes": "kept notes", **data})

    assert answer.status_code == 400
    assert message in " ".join(answer.context["form"].errors[field])
    assert "kept notes" in answer.content.decode()
    assert not Client.objects.exists()


def test_the_new_client_form_carries_its_key_once(client, clinician):
    """The key that makes a resent form add one client was written twice (the template placed the hidden fields
    and so did the errors include it uses), two inputs with one id, on the form and when it came back with
    errors (new-user review, third round)."""
    logged_in = _as(client, clinician)

    shown = logged_in.get(reverse("clinic:client_new")).content.decode()
    refused = logged_in.post(reverse("clinic:client_new"), {"display_name": ""}).content.decode()

    assert shown.count('name="creation_key"') == 1 and shown.count('id="id_creation_key"') == 1
    assert refused.count('name="creation_key"') == 1


@pytest.mark.parametrize(
    ("fields", "meta"),
    [
        ({}, "client since"),  # was "· client since": a stray separator before it
        ({"gender": "woman"}, "woman · client since"),
        ({"age": 34}, "Age 34 · client since"),
        ({"age": 34, "gender": "woman"}, "Age 34 · woman · client since"),
        ({"age": 0}, "Age 0 · client since"),  # an infant's age was left out
    ],
)
def test_the_client_page_lists_age_and_gender_without_a_stray_separator(client, clinician, fields, meta):
    own = client_create(clinician, **fields)

    page = _as(client, clinician).get(reverse("clinic:client", args=[own.pk])).content.decode()

    line = page.split('data-testid="client-meta">', 1)[1].split("</p>", 1)[0]
    assert line.startswith(meta)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": "", "session_type": "individual"}, "date"),
        ({"date": "yesterday", "session_type": "individual"}, "date"),
        ({"date": "2026-11-20T10:30", "session_type": "solo"}, "session_type"),
        ({"date": "2026-11-20T10:30", "session_type": "group", "duration_minutes": "0"}, "duration_minutes"),
        ({"date": "2026-11-20T10:30", "session_type": "group", "duration_minutes": "1441"}, "duration_minutes"),
    ],
)
def test_a_bad_session_comes_back_on_the_form(client, clinician, data, field):
    own = client_create(clinician)

    answer = _as(client, clinician).post(reverse("clinic:session_new", args=[own.pk]), data)

    assert answer.status_code == 400 and field in answer.context["form"].errors
    assert not TherapySession.objects.exists()


@pytest.mark.parametrize(
    "date", ["9999-12-31T23:59-05:00", "0001-01-01T00:00+05:00", "1899-12-31T23:59", "2200-01-01T00:00"]
)
def test_a_session_dated_at_the_calendars_edge_is_refused_and_the_caseload_still_opens(client, clinician, date):
    """PostgreSQL stored "9999-12-31T23:59-05:00" as year 10000 (and "0001-01-01T00:00+05:00" as 1 BC), which
    could not be read back: the caseload, the client's page and the session's page answered 500 from then on."""
    own = client_create(clinician)
    logged_in = _as(client, clinician)

    answer = logged_in.post(reverse("clinic:session_new", args=[own.pk]), {"date": date, "session_type": "individual"})

    assert answer.status_code == 400 and answer.context["form"].errors["date"] == ["Must be from 1900 to 2199."]
    assert not TherapySession.objects.exists()
    assert logged_in.get(reverse("clinic:clients")).status_code == 200
    assert logged_in.get(reverse("clinic:client", args=[own.pk])).status_code == 200


def test_only_psychologists_add_clients_and_only_the_clients_clinician_adds_their_sessions(client, clinician):
    own = client_create(clinician)
    session = {"date": "2026-11-20T10:30", "session_type": "individual"}
    for outsider in (
        clinician_create("dr_other"),
        UserFactory(username="learner"),
        StaffFactory(username="ops"),
    ):
        logged_in = _as(client, outsider)
        assert logged_in.post(reverse("clinic:session_new", args=[own.pk]), session).status_code == 404
        assert logged_in.get(reverse("clinic:session_new", args=[own.pk])).status_code == 404
    for not_a_psychologist in (UserFactory(username="learner2"), StaffFactory(username="ops2")):
        logged_in = _as(client, not_a_psychologist)
        assert logged_in.post(reverse("clinic:client_new"), {"display_name": "Sneaky"}).status_code == 404
    assert not TherapySession.objects.exists() and Client.objects.count() == 1
    client.logout()
    assert client.get(reverse("clinic:client_new"))["Location"].startswith(reverse(settings.LOGIN_URL))


def test_staff_reading_a_client_are_not_offered_a_new_session(client, clinician):
    own = client_create(clinician)

    page = _as(client, StaffFactory(username="ops")).get(reverse("clinic:client", args=[own.pk])).content.decode()

    assert 'data-testid="session-new"' not in page


def test_a_refused_upload_comes_back_on_the_session_page_in_words_with_the_mode_kept(client, clinician):
    """It went to a separate 400 page that said 'segments.0.start: ...' and lost the chosen mode."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.clinical_helpers import session_create, session_with_transcript

    session = session_with_transcript(client_create(clinician))
    before = session.sentences.count()
    backwards = b'[{"start": 5, "end": 2, "text": "Backwards", "speaker": "client"}, {"start": 1, "end": 2}]'
    logged_in = _as(client, clinician)

    answer = logged_in.post(
        reverse("clinic:transcript_upload", args=[session.pk]),
        {"file": SimpleUploadedFile("t.json", backwards), "mode": "append", "format": ""},
    )

    page = answer.content.decode()
    assert answer.status_code == 400 and 'data-testid="upload-refused"' in page
    assert "Segment 1, end:" in page and "segments.0" not in page
    assert "Segment 2, text:" in page
    assert '<option value="append" selected>' in page  # the chosen mode is kept
    assert "How has the week been" in page  # the session's own page, its transcript shown
    assert session.sentences.count() == before

    empty = session_create(session.client)
    missing = logged_in.post(reverse("clinic:transcript_upload", args=[empty.pk]), {"mode": "replace"})
    assert missing.status_code == 400 and "This field is required." in missing.content.decode()


def test_every_optional_field_of_the_new_session_form_says_so(client, clinician):
    """The client form marks its optional fields 'Optional.'; the session form's length was optional (a session
    saves without it) and did not say so (second new-user review)."""
    new = client_create(clinician)
    form = _as(client, clinician).get(reverse("clinic:session_new", args=[new.pk])).context["form"]
    optional = [
        field.name for field in form.visible_fields() if not field.field.required and field.name != "session_type"
    ]
    assert optional == ["duration_minutes"]
    assert all("Optional" in form.fields[name].help_text for name in optional)


def test_the_upload_asks_replace_or_append_once_a_transcript_exists(client, clinician):
    """The mode defaulted to 'Replace the transcript': an upload meant to add to it dropped the transcript and its
    draft insights without a word (new-user review). With a transcript, the clinician chooses; sent without a
    choice, nothing is saved and the form says so."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.clinical_helpers import session_create, session_with_transcript

    session = session_with_transcript(client_create(clinician))
    before = session.sentences.count()
    logged_in = _as(client, clinician)

    page = logged_in.get(reverse("clinic:session", args=[session.pk])).content.decode()
    assert '<option value="" selected>Choose: replace or append</option>' in page
    assert "Replace drops the current transcript" in page
    later = b'[{"start": 500, "end": 502, "text": "Later on.", "speaker": "client"}]'
    url = reverse("clinic:transcript_upload", args=[session.pk])
    unchosen = logged_in.post(url, {"file": SimpleUploadedFile("t.json", later), "mode": "", "format": ""})
    assert unchosen.status_code == 400 and "This field is required." in unchosen.content.decode()
    assert session.sentences.count() == before
    appended = logged_in.post(url, {"file": SimpleUploadedFile("t.json", later), "mode": "append", "format": ""})
    assert appended.status_code == 302 and session.sentences.count() == before + 1
    fresh = logged_in.get(reverse("clinic:session", args=[session_create(session.client).pk])).content.decode()
    assert '<option value="replace" selected>' in fresh and "Choose: replace or append" not in fresh


def test_the_upload_says_the_risk_screen_reads_every_line_not_the_clinicians(client, clinician):
    """The upload's help said "the analysis reads every other speaker as the clinician", which the risk screen
    no longer does: a clinician reading it would think a line labelled "Tom" goes unscreened."""
    own = client_create(clinician)
    session = TherapySession.objects.create(client=own, date="2026-11-20T10:30Z")

    page = _as(client, clinician).get(reverse("clinic:session", args=[session.pk])).content.decode()

    assert "every other speaker as the clinician" not in page
    assert "the risk screen reads every line not labelled as the clinician's" in page


def test_the_clinician_moves_a_session_along_its_statuses_from_its_page(client, clinician):
    """A session stayed 'Scheduled' after its transcript and analysis, with no page to change it (second
    new-user review). The page offers the statuses the service allows next; a move it refuses is a 409."""
    from tests.clinical_helpers import session_with_transcript

    session = session_with_transcript(client_create(clinician))
    logged_in = _as(client, clinician)
    url = reverse("clinic:session_status", args=[session.pk])
    page = logged_in.get(reverse("clinic:session", args=[session.pk])).content.decode()
    form = page[page.index('data-testid="session-status"') :]
    assert [value in form[: form.index("</form>")] for value in ("in_progress", "completed", "cancelled")] == [True] * 3

    assert logged_in.post(url, {"status": "completed"}).status_code == 302
    session.refresh_from_db()
    assert session.status == "completed" and session.status_changes.filter(to_status="completed").exists()
    assert (
        'data-testid="session-status"'
        not in logged_in.get(reverse("clinic:session", args=[session.pk])).content.decode()
    )
    assert logged_in.post(url, {"status": "scheduled"}).status_code == 409  # a completed session is not reopened
    assert logged_in.post(url, {"status": "bogus"}).status_code == 400
    session.refresh_from_db()
    assert session.status == "completed"
