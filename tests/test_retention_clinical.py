"""Clinical records retention: a clinician's policy (API and the client list page), discharging and reopening a
client (API and the client's page), and the ``clinical`` kind of ``manage.py retention``, which deletes only
discharged clients' sessions past their clinician's policy and never an open client's."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from myApp.lib import retention
from myApp.sessions.models import Client, ClinicalRetentionPolicy, SessionSentence, TherapySession
from myApp.sessions.services.clinical import retention as services
from tests.clinical_helpers import client_create, clinician_create, session_with_transcript
from tests.factories import StaffFactory, UserFactory

POLICY_URL = "/api/v1/clients/retention-policy/"


@pytest.fixture
def people(db):
    return {
        "clinician": clinician_create("dr_lee"),
        "other_clinician": clinician_create("dr_other"),
        "staff": StaffFactory(username="ops"),
        "outsider": UserFactory(username="nobody"),
        "client_account": UserFactory(username="robin"),
    }


def discharged(client, *, years_ago: float) -> None:
    """Move a discharge into the past (no service rewinds the clock)."""
    Client.objects.filter(pk=client.pk).update(discharged_at=timezone.now() - timedelta(days=365 * years_ago))


@pytest.fixture
def caseload(people):
    """Dr Lee keeps records 2 years after discharge; Dr Other has no policy (keep)."""
    lee, other = people["clinician"], people["other_clinician"]
    services.clinical_retention_policy_set(clinician=lee, keep_years=2)
    long_gone = client_create(lee, name="Long Gone", user=people["client_account"])
    recent = client_create(lee, name="Recently Discharged")
    still_open = client_create(lee, name="Still Open")
    others = client_create(other, name="Other's Client")
    for client in (long_gone, recent, still_open, others):
        session_with_transcript(client, days_ago=4000)
        session_with_transcript(client, days_ago=3000)
    discharged(long_gone, years_ago=3)
    discharged(recent, years_ago=1)
    discharged(others, years_ago=10)
    return {"long_gone": long_gone, "recent": recent, "open": still_open, "others": others}


def sessions_of(client) -> int:
    return TherapySession.objects.filter(client=client).count()


def test_it_deletes_only_sessions_of_clients_discharged_longer_ago_than_the_policy(caseload):
    (result,) = retention.retention_apply(kinds=["clinical"])

    assert result.counts == {"therapy sessions": 2, "transcript sentences": 10, "clients": 1}
    assert sessions_of(caseload["long_gone"]) == 0
    assert not SessionSentence.objects.filter(session__client=caseload["long_gone"]).exists()
    assert Client.objects.filter(pk=caseload["long_gone"].pk).exists()  # the caseload keeps the person
    assert sessions_of(caseload["recent"]) == 2  # discharged 1 year ago, policy 2 years
    assert sessions_of(caseload["open"]) == 2  # open: never, however old
    assert sessions_of(caseload["others"]) == 2  # no policy: keep


def test_it_counts_in_a_dry_run_what_it_then_deletes(caseload):
    before = TherapySession.objects.count()

    (dry,) = retention.retention_apply(kinds=["clinical"], dry_run=True)

    assert TherapySession.objects.count() == before
    (real,) = retention.retention_apply(kinds=["clinical"])
    assert dry.counts == real.counts == {"clients": 1, "therapy sessions": 2, "transcript sentences": 10}
    (again,) = retention.retention_apply(kinds=["clinical"])
    assert again.counts == {"clients": 0}


def test_it_deletes_in_batches(caseload):
    (result,) = retention.retention_apply(kinds=["clinical"], batch_size=1)

    assert result.counts["therapy sessions"] == 2
    assert sessions_of(caseload["long_gone"]) == 0


def test_it_keeps_a_reopened_clients_sessions(caseload, people):
    services.client_reopen(client=caseload["long_gone"], by=people["clinician"])

    (result,) = retention.retention_apply(kinds=["clinical"])

    assert result.counts == {}
    assert sessions_of(caseload["long_gone"]) == 2


def test_it_keeps_everything_when_the_clinician_goes_back_to_keep(caseload, people):
    services.clinical_retention_policy_set(clinician=people["clinician"], keep_years=None)

    retention.retention_apply(kinds=["clinical"])

    assert TherapySession.objects.count() == 8


def test_discharging_twice_keeps_the_first_date(people):
    client = client_create(people["clinician"])
    first = services.client_discharge(client=client, by=people["clinician"]).discharged_at

    again = services.client_discharge(client=client, by=people["clinician"]).discharged_at

    assert first is not None and again == first


# --- The API ---------------------------------------------------------------------------------------------


def test_the_api_reads_and_sets_the_clinicians_policy(people, api_as):
    api = api_as(people["clinician"])
    assert api.get(POLICY_URL).json() == {"keep_years": None}

    response = api.put(POLICY_URL, {"keep_years": 7}, format="json")

    assert response.status_code == 200 and response.json() == {"keep_years": 7}
    assert api.get(POLICY_URL).json() == {"keep_years": 7}
    assert api.put(POLICY_URL, {"keep_years": None}, format="json").json() == {"keep_years": None}
    assert ClinicalRetentionPolicy.objects.get(clinician=people["clinician"]).keep_years is None


@pytest.mark.parametrize("body", [{"keep_years": 0}, {"keep_years": 26}, {"keep_years": "soon"}, {}, {"x": 1}])
def test_the_api_refuses_a_bad_policy_with_field_messages(people, api_as, body):
    response = api_as(people["clinician"]).put(POLICY_URL, body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]
    assert not ClinicalRetentionPolicy.objects.exists()


@pytest.mark.parametrize("who", ["staff", "outsider", "client_account"])
def test_only_a_clinician_has_a_policy(people, api_as, who):
    api = api_as(people[who])

    assert api.get(POLICY_URL).status_code == 404
    assert api.put(POLICY_URL, {"keep_years": 3}, format="json").status_code == 404
    assert not ClinicalRetentionPolicy.objects.exists()


def test_the_api_discharges_and_reopens_the_clinicians_client(people, api_as):
    client = client_create(people["clinician"])
    api = api_as(people["clinician"])

    response = api.post(f"/api/v1/clients/{client.pk}/discharge/")

    assert response.status_code == 200 and response.json()["discharged_at"]
    assert api.get(f"/api/v1/clients/{client.pk}/").json()["discharged_at"] == response.json()["discharged_at"]
    response = api.post(f"/api/v1/clients/{client.pk}/reopen/")
    assert response.status_code == 200 and response.json()["discharged_at"] is None


@pytest.mark.parametrize("who", ["other_clinician", "staff", "outsider", "client_account"])
def test_nobody_else_discharges_or_reopens_a_client(people, api_as, who):
    client = client_create(people["clinician"], user=people["client_account"])
    api = api_as(people[who])

    assert api.post(f"/api/v1/clients/{client.pk}/discharge/").status_code == 404
    assert api.post(f"/api/v1/clients/{client.pk}/reopen/").status_code == 404
    assert Client.objects.get(pk=client.pk).discharged_at is None


# --- The pages ---------------------------------------------------------------------------------------------


def test_the_client_list_page_sets_the_policy(people, client):
    client.force_login(people["clinician"])
    page = client.get(reverse("clinic:clients"))
    assert page.status_code == 200
    assert b"Keeping records after discharge" in page.content

    response = client.post(reverse("clinic:retention_policy"), {"keep_years": "8"}, follow=True)

    assert b"deleted 8 years after discharge" in response.content
    assert services.clinical_retention_policy_of(clinician=people["clinician"]) == 8
    assert client.post(reverse("clinic:retention_policy"), {"keep_years": ""}).status_code == 302
    assert services.clinical_retention_policy_of(clinician=people["clinician"]) is None


@pytest.mark.parametrize("value", ["0", "26", "soon"])
def test_the_page_refuses_a_bad_policy(people, client, value):
    client.force_login(people["clinician"])

    response = client.post(reverse("clinic:retention_policy"), {"keep_years": value})

    assert response.status_code == 400
    assert b"Choose from 1 to 25 years" in response.content
    assert not ClinicalRetentionPolicy.objects.exists()


@pytest.mark.parametrize("who", ["staff", "outsider"])
def test_the_policy_page_is_for_clinicians_only(people, client, who):
    client.force_login(people[who])

    assert client.post(reverse("clinic:retention_policy"), {"keep_years": "3"}).status_code == 404
    assert not ClinicalRetentionPolicy.objects.exists()


def test_the_client_page_discharges_and_reopens(people, client):
    record = client_create(people["clinician"])
    client.force_login(people["clinician"])
    assert b"Discharge: treatment has ended" in client.get(reverse("clinic:client", args=[record.pk])).content

    page = client.post(reverse("clinic:client_discharge", args=[record.pk]), follow=True)

    assert b"is discharged" in page.content and b"Reopen: take the client back" in page.content
    assert Client.objects.get(pk=record.pk).discharged_at is not None
    client.post(reverse("clinic:client_reopen", args=[record.pk]))
    assert Client.objects.get(pk=record.pk).discharged_at is None


@pytest.mark.parametrize("who", ["other_clinician", "staff", "outsider", "client_account"])
def test_nobody_else_discharges_on_the_page(people, client, who):
    record = client_create(people["clinician"], user=people["client_account"])
    client.force_login(people[who])

    assert client.post(reverse("clinic:client_discharge", args=[record.pk])).status_code == 404
    assert Client.objects.get(pk=record.pk).discharged_at is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sweep_never_deletes_a_client_being_reopened(caseload, people):
    """While a reopen holds the client's row, the sweep leaves that client alone; the reopen then commits."""
    client = caseload["long_gone"]
    locked, release = threading.Event(), threading.Event()

    def reopen_slowly() -> None:
        try:
            with transaction.atomic():
                Client.objects.select_for_update().get(pk=client.pk)  # what client_reopen takes first
                locked.set()
                release.wait(10)
                Client.objects.filter(pk=client.pk).update(discharged_at=None)
        finally:
            connection.close()

    thread = threading.Thread(target=reopen_slowly)
    thread.start()
    assert locked.wait(10)
    try:
        (result,) = retention.retention_apply(kinds=["clinical"])
    finally:
        release.set()
        thread.join()

    assert result.counts == {"clients": 0}
    assert sessions_of(client) == 2
    assert Client.objects.get(pk=client.pk).discharged_at is None
