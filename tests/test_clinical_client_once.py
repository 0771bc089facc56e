"""The new-client form adds its client once: sent twice (a double click, a resend after a slow answer) it made two
identical clients (attack review). The form carries a key drawn when it is shown; the service adds the client the
first time and finds it after (``client_create_once``), and a database constraint holds when two arrive at once."""

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from myApp.lib.exceptions import NotAllowed
from myApp.sessions.models import Client
from myApp.sessions.services import clinical as services
from myApp.sessions.services.clinical import clients as client_services
from tests.clinical_helpers import clinician_create


@pytest.fixture
def clinician(db):
    return clinician_create()


def form_key(page) -> str:
    return re.search(r'name="creation_key" value="([0-9a-f-]{36})"', page.content.decode()).group(1)


def test_the_same_form_sent_twice_adds_one_client_and_both_land_on_it(client, clinician):
    client.force_login(clinician)
    shown = client.get(reverse("clinic:client_new"))
    assert (
        'type="hidden" name="creation_key"' in shown.content.decode() and "Creation key" not in shown.content.decode()
    )
    data = {"display_name": "Jordan Ash", "age": "34", "creation_key": form_key(shown)}

    first = client.post(reverse("clinic:client_new"), data)
    second = client.post(reverse("clinic:client_new"), data)

    added = Client.objects.get()
    assert first["Location"] == second["Location"] == reverse("clinic:client", args=[added.pk])
    assert "was already added from this form" in client.get(second["Location"]).content.decode()


def test_each_showing_of_the_form_is_a_new_client(client, clinician):
    client.force_login(clinician)
    landed = []
    for age in ("34", "61"):
        key = form_key(client.get(reverse("clinic:client_new")))
        data = {"display_name": "Jordan Ash", "age": age, "creation_key": key}
        landed.append(client.post(reverse("clinic:client_new"), data, follow=True).content.decode())
    assert Client.objects.count() == 2  # two people may share a name: two forms are two clients
    # The second is said to share the first's name, and the list tells them apart (new-user review).
    assert "You have another client called Jordan Ash" not in landed[0]
    assert "You have another client called Jordan Ash" in landed[1]
    listing = client.get(reverse("clinic:clients")).content.decode()
    first, second = Client.objects.order_by("pk")
    assert f'data-testid="client-since-{first.pk}">34, since ' in listing
    assert f'data-testid="client-since-{second.pk}">61, since ' in listing


@pytest.mark.parametrize("key", ["", "not-a-key", None], ids=["empty", "garbage", "absent"])
def test_a_form_without_a_usable_key_still_adds_the_client(client, clinician, key):
    client.force_login(clinician)
    data = {"display_name": "Jordan Ash", **({} if key is None else {"creation_key": key})}
    assert client.post(reverse("clinic:client_new"), data).status_code == 302
    assert Client.objects.get().creation_key is None


def test_a_key_is_one_clinicians_own(clinician):
    key = uuid.uuid4()
    mine, _ = services.client_create_once(clinician=clinician, creation_key=key, display_name="A")
    theirs, added = services.client_create_once(
        clinician=clinician_create("dr_other"), creation_key=key, display_name="B"
    )
    assert added and theirs != mine


def test_two_sendings_at_once_find_the_one_client_the_constraint_let_in(clinician, monkeypatch):
    """The second sending looked before the first had written (its lookup finds nothing), then its insert meets the
    database's unique constraint: it answers with the first one's client, and nothing else is written."""
    key = uuid.uuid4()
    first, _ = services.client_create_once(clinician=clinician, creation_key=key, display_name="Jordan Ash")
    real_filter = Client.objects.filter
    looked = []

    def first_lookup_misses(*args, **kwargs):
        found = real_filter(*args, **kwargs)
        if kwargs.get("creation_key") == key and not looked:
            looked.append(True)
            return found.none()
        return found

    monkeypatch.setattr(client_services.Client.objects, "filter", first_lookup_misses)
    again, added = services.client_create_once(clinician=clinician, creation_key=key, display_name="Jordan Ash")
    assert (again, added) == (first, False) and looked == [True]
    assert Client.objects.count() == 1


# --- The API: a mobile app's retry after a lost answer --------------------------------------------------------

CLIENTS = "/api/v1/clients/"


def test_the_api_adds_a_client_once_per_creation_key_and_answers_the_repeat_with_it(api_as, clinician):
    api = api_as(clinician)
    key = str(uuid.uuid4())
    first = api.post(CLIENTS, {"display_name": "Jordan Ash", "age": 34, "creation_key": key}, format="json")
    repeat = api.post(CLIENTS, {"display_name": "Jordan Ash", "age": 34, "creation_key": key}, format="json")

    assert (first.status_code, repeat.status_code) == (201, 200)
    assert first.json() == repeat.json()
    assert Client.objects.get().creation_key == uuid.UUID(key)
    assert "creation_key" not in first.json()  # the key is the app's, not part of the client


def test_the_api_without_a_key_adds_a_client_per_call(api_as, clinician):
    api = api_as(clinician)
    for _ in range(2):
        assert api.post(CLIENTS, {"display_name": "Jordan Ash"}, format="json").status_code == 201
    assert Client.objects.count() == 2


def test_the_api_refuses_a_key_that_is_not_a_uuid_and_adds_nothing(api_as, clinician):
    answer = api_as(clinician).post(CLIENTS, {"display_name": "Jordan Ash", "creation_key": "x" * 5000}, format="json")
    assert answer.status_code == 400 and "creation_key" in answer.json()["errors"]
    assert not Client.objects.exists()


def test_another_clinicians_key_adds_their_own_client_and_shows_nothing_of_mine(api_as, clinician):
    key = str(uuid.uuid4())
    api_as(clinician).post(CLIENTS, {"display_name": "Mine", "creation_key": key}, format="json")
    theirs = api_as(clinician_create("dr_other")).post(
        CLIENTS, {"display_name": "Theirs", "creation_key": key}, format="json"
    )
    assert theirs.status_code == 201 and theirs.json()["display_name"] == "Theirs"


def test_a_client_update_takes_no_creation_key(api_as, clinician):
    api = api_as(clinician)
    added = api.post(CLIENTS, {"display_name": "Jordan Ash"}, format="json").json()
    answer = api.patch(f"{CLIENTS}{added['id']}/", {"creation_key": str(uuid.uuid4())}, format="json")
    assert answer.status_code == 400 and "creation_key" in answer.json()["errors"]
    assert Client.objects.get().creation_key is None


def test_someone_who_may_not_take_clients_finds_nothing_by_a_key(clinician):
    key = uuid.uuid4()
    services.client_create_once(clinician=clinician, creation_key=key, display_name="A")
    clinician.is_active = False
    clinician.save()
    with pytest.raises(NotAllowed):
        services.client_create_once(clinician=clinician, creation_key=key, display_name="A")


# --- A new session: the same, per client ---------------------------------------------------------------------


def _session_form(page) -> dict:
    return {"date": "2026-11-20T10:00", "duration_minutes": "50", "session_type": "individual", **_key(page)}


def _key(page) -> dict:
    return {"creation_key": form_key(page)}


def test_the_same_session_form_sent_twice_adds_one_session(client, clinician):
    from myApp.sessions.models import TherapySession

    client.force_login(clinician)
    patient = client_services.client_create(clinician=clinician, display_name="Jordan Ash")
    url = reverse("clinic:session_new", args=[patient.pk])
    shown = client.get(url)
    assert shown.content.decode().count('name="creation_key"') == 1
    data = _session_form(shown)

    first, second = client.post(url, data), client.post(url, data)

    added = TherapySession.objects.get()
    assert first["Location"] == second["Location"] == reverse("clinic:session", args=[added.pk])
    assert "was already added from this form" in client.get(second["Location"]).content.decode()
    client.post(url, _session_form(client.get(url)))  # shown again: another session
    assert TherapySession.objects.count() == 2


def test_the_api_adds_a_session_once_per_creation_key(api_as, clinician):
    from myApp.sessions.models import TherapySession

    patient = client_services.client_create(clinician=clinician, display_name="Jordan Ash")
    api = api_as(clinician)
    body = {"client": patient.pk, "date": "2026-11-20T10:00:00Z", "creation_key": str(uuid.uuid4())}

    first, repeat = (
        api.post("/api/v1/therapy-sessions/", body, format="json"),
        api.post("/api/v1/therapy-sessions/", body, format="json"),
    )

    assert (first.status_code, repeat.status_code) == (201, 200) and first.json() == repeat.json()
    assert TherapySession.objects.count() == 1
    other = client_services.client_create(clinician=clinician, display_name="Sam Lee")
    # The key is per client: the same key for another client adds that client's session.
    assert api.post("/api/v1/therapy-sessions/", {**body, "client": other.pk}, format="json").status_code == 201


def test_another_clinician_cannot_find_a_session_by_its_key(clinician):
    patient = client_services.client_create(clinician=clinician, display_name="Jordan Ash")
    key = uuid.uuid4()
    services.therapy_session_create_once(client=patient, by=clinician, creation_key=key, date=timezone.now())
    with pytest.raises(NotAllowed):
        services.therapy_session_create_once(
            client=patient, by=clinician_create("dr_other"), creation_key=key, date=timezone.now()
        )


def test_a_form_brought_back_for_another_session_adds_it(client, clinician):
    """Back brought the form back with its key; filled in with another date it landed on the first session and the
    second was dropped (attack review). A key's row with another date is not it."""
    from myApp.sessions.models import TherapySession

    client.force_login(clinician)
    patient = client_services.client_create(clinician=clinician, display_name="Jordan Ash")
    url = reverse("clinic:session_new", args=[patient.pk])
    data = _session_form(client.get(url))

    client.post(url, data)
    client.post(url, {**data, "date": "2026-11-27T10:00"})

    assert sorted(TherapySession.objects.values_list("date__day", flat=True)) == [20, 27]
    assert TherapySession.objects.filter(creation_key__isnull=False).count() == 1


def test_a_resend_after_the_client_was_renamed_still_finds_them(clinician):
    key = uuid.uuid4()
    first, _ = services.client_create_once(clinician=clinician, creation_key=key, display_name="Jordan Ash")
    services.client_update(client=first, by=clinician, display_name="Jordan Ash-Lee")

    again, added = services.client_create_once(clinician=clinician, creation_key=key, display_name="jordan  ash")

    assert (again, added) == (first, False)


@pytest.mark.parametrize("name", ["clinic:client_new", "clinic:session_new"])
def test_the_form_pages_are_kept_for_back_so_a_resend_carries_the_first_key(client, clinician, name):
    """Sent no-store, Back fetched the form anew with a new key while the browser filled in what was typed: sending
    it again added a second, identical session (new-user review, in Chromium). Back must show the page it left."""
    client.force_login(clinician)
    patient = client_services.client_create(clinician=clinician, display_name="Jordan Ash")
    args = [patient.pk] if name == "clinic:session_new" else []

    shown = client.get(reverse(name, args=args))

    assert shown.status_code == 200
    assert "no-store" not in shown.get("Cache-Control", "") and "no-cache" not in shown.get("Cache-Control", "")
