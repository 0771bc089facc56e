"""Who sees a client's records: their clinician; staff, as a recorded staff operation; nobody else (404), not
another clinician, not the client's own platform account, not a clinician who is no longer a psychologist."""

import pytest
from django.urls import reverse

from myApp.accounts.models import AccessRecord, Role
from myApp.sessions.models import SessionInsight, SessionStatusChange
from tests.clinical_helpers import (
    client_create,
    clinician_create,
    draft_insight,
    segments,
    session_with_transcript,
)
from tests.factories import StaffFactory, UserFactory


@pytest.fixture
def people(db):
    return {
        "clinician": clinician_create("dr_lee"),
        "other_clinician": clinician_create("dr_other"),
        "staff": StaffFactory(username="ops"),
        "outsider": UserFactory(username="nobody"),
        "client_account": UserFactory(username="robin"),
    }


@pytest.fixture
def records(people):
    client = client_create(people["clinician"], user=people["client_account"])
    session = session_with_transcript(client)
    insight = draft_insight(session)
    return {"client": client, "session": session, "insight": insight}


def _reads(records) -> list[str]:
    client, session, insight = records["client"].pk, records["session"].pk, records["insight"].pk
    return [
        reverse("client-detail", args=[client]),
        reverse("client-sessions", args=[client]),
        reverse("client-keyword-search", args=[client]) + "?term=work",
        reverse("client-search", args=[client]) + "?q=work",
        reverse("client-emotion-trends", args=[client]),
        reverse("client-progress-metrics", args=[client]),
        reverse("client-summary", args=[client]),
        reverse("api-client-sessions", args=[client]),
        reverse("therapy-session-detail", args=[session]),
        reverse("therapy-session-transcript", args=[session]),
        reverse("session-insight-detail", args=[insight]),
    ]


def _writes(records) -> list[tuple[str, dict]]:
    session, insight = records["session"].pk, records["insight"].pk
    return [
        (reverse("client-detail", args=[records["client"].pk]), {"clinical_notes": "Changed"}),
        (reverse("therapy-session-set-status", args=[session]), {"status": "in_progress"}),
        (reverse("therapy-session-transcript", args=[session]), {"mode": "append", "segments": segments(1, start=99)}),
        (reverse("session-insight-approve", args=[insight]), {}),
        (reverse("session-insight-reject", args=[insight]), {}),
    ]


def test_it_shows_the_clinician_every_record_without_recording_it(people, records, api_as):
    api = api_as(people["clinician"])

    for url in _reads(records):
        assert api.get(url).status_code == 200, url
    assert not AccessRecord.objects.exists()


def test_it_shows_staff_every_record_and_records_each_look(people, records, api_as):
    api = api_as(people["staff"])

    for url in _reads(records):
        assert api.get(url).status_code == 200, url
    looks = AccessRecord.objects.filter(viewer=people["staff"])
    assert looks.count() == len(_reads(records))
    # Whose data: the client's own account, as they have one.
    assert set(looks.values_list("subject", "what", "through")) == {
        (people["client_account"].pk, "clinical_records", "staff_operations")
    }


def test_it_records_the_clinicians_caseload_as_the_subject_when_the_client_has_no_account(people, api_as):
    client = client_create(people["clinician"], name="No Account")

    assert api_as(people["staff"]).get(reverse("client-detail", args=[client.pk])).status_code == 200

    assert AccessRecord.objects.get().subject == people["clinician"]


@pytest.mark.parametrize("persona", ["other_clinician", "outsider", "client_account"])
def test_it_hides_every_record_from_anyone_else(people, records, api_as, persona):
    api = api_as(people[persona])

    for url in _reads(records):
        assert api.get(url).status_code == 404, (persona, url)
    for url, body in _writes(records):
        assert api.post(url, body, format="json").status_code in (404, 405), (persona, url)
        assert api.patch(url, body, format="json").status_code in (404, 405), (persona, url)
    assert not AccessRecord.objects.exists()


def test_it_lets_only_the_clinician_write_staff_included(people, records, api_as):
    staff = api_as(people["staff"])
    for url, body in _writes(records):
        method = staff.patch if url.endswith(f"/clients/{records['client'].pk}/") else staff.post
        assert method(url, body, format="json").status_code == 404, url
    assert SessionInsight.objects.get().status == "draft"

    clinician = api_as(people["clinician"])
    for url, body in _writes(records):
        method = clinician.patch if url.endswith(f"/clients/{records['client'].pk}/") else clinician.post
        assert method(url, body, format="json").status_code == 200, url


def test_a_clinician_who_is_no_longer_a_psychologist_sees_nothing(people, records, api_as):
    clinician = people["clinician"]
    clinician.role = Role.TEACHER
    clinician.save(update_fields=["role"])
    api = api_as(clinician)

    for url in _reads(records):
        assert api.get(url).status_code == 404, url
    assert api.get(reverse("client-list")).json()["results"] == []


def test_lists_hold_only_the_callers_own_caseload(people, records, api_as):
    client_create(people["other_clinician"], name="Someone else's")

    for persona, expected in [("clinician", ["Robin Vale"]), ("other_clinician", ["Someone else's"]), ("staff", [])]:
        names = [row["display_name"] for row in api_as(people[persona]).get(reverse("client-list")).json()["results"]]
        assert names == expected, persona
    sessions = api_as(people["other_clinician"]).get(reverse("therapy-session-list")).json()["results"]
    insights = api_as(people["other_clinician"]).get(reverse("session-insight-list")).json()["results"]
    assert (sessions, insights) == ([], [])


def test_it_refuses_to_schedule_a_session_for_someone_elses_client(people, records, api_as):
    def schedule(client_id: int):
        return api_as(people["other_clinician"]).post(
            reverse("therapy-session-list"), {"client": client_id, "date": "2026-03-01T10:00:00Z"}
        )

    # The same answer for someone else's client and for no client at all.
    for response in (schedule(records["client"].pk), schedule(records["client"].pk + 1000)):
        assert response.status_code == 400
        assert response.json()["errors"] == {"client": ["No such client on your caseload."]}


def test_only_psychologists_take_clients(people, api_as):
    response = api_as(people["outsider"]).post(reverse("client-list"), {"display_name": "Anyone"})

    assert response.status_code == 403


@pytest.mark.parametrize("pk", ["0", "9" * 19, "99999"])
def test_it_answers_404_for_ids_that_name_nothing(people, api_as, pk):
    assert api_as(people["staff"]).get(f"/api/v1/clients/{pk}/").status_code == 404
    assert api_as(people["staff"]).get(f"/api/clients/{pk}/sessions").status_code == 404


def test_only_the_clinician_queues_an_analysis(people, records, api_as):
    url = reverse("therapy-session-analyse", args=[records["session"].pk])

    for persona in ("staff", "other_clinician", "outsider", "client_account"):
        assert api_as(people[persona]).post(url).status_code == 404, persona
    assert not SessionStatusChange.objects.filter(field="analysis_status").exists()
    assert api_as(people["clinician"]).post(url).status_code == 202
