"""The new-client form adds its client once: sent twice (a double click, a resend after a slow answer) it made two
identical clients (attack review). The form carries a key drawn when it is shown; the service adds the client the
first time and finds it after (``client_create_once``), and a database constraint holds when two arrive at once."""

import re
import uuid

import pytest
from django.urls import reverse

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
    for _ in range(2):
        key = form_key(client.get(reverse("clinic:client_new")))
        client.post(reverse("clinic:client_new"), {"display_name": "Jordan Ash", "creation_key": key})
    assert Client.objects.count() == 2  # two people may share a name: two forms are two clients


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
