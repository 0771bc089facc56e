"""A person whose account is linked to a clinician's client is told so where they write: their chat messages and
self-check notes the safety layer reads as risk alert that clinician (``services.clinical.risk``). Before, nothing
on the chat or self-check pages said so; the linked person could not know a clinician would read such a message."""

import pytest
from django.urls import reverse

from myApp.accounts.models import Role
from myApp.sessions.risk_selectors import clinicians_told_of_risk
from tests.clinical_helpers import client_create, clinician_create
from tests.factories import UserFactory

NOTICE = 'data-testid="clinician-notice"'


@pytest.fixture
def person(db):
    return UserFactory(username="maya")


@pytest.fixture
def clinician(db):
    return clinician_create("dr_lee")


def _page(client, person, url: str) -> str:
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("slug", ["mood"])
def test_a_linked_person_is_told_who_reads_a_risk_message_on_the_pages_that_are_screened(client, person, slug):
    clinician = UserFactory(username="dr_lee", first_name="Ada", last_name="Lee", role=Role.PSYCHOLOGIST)
    client_create(clinician, name="Maya Stone", user=person)

    for url in (reverse("chat:conversation"), reverse("chat:module", args=[slug])):
        page = _page(client, person, url)
        assert NOTICE in page and "linked to your psychologist, Ada Lee." in page
        assert "they see only what you wrote then, never your other messages" in page


def test_pages_that_are_not_screened_and_people_not_linked_say_nothing(client, person, clinician):
    assert NOTICE not in _page(client, person, reverse("chat:conversation"))  # not linked
    client_create(clinician, name="Maya Stone", user=person)
    # Nothing written there is read for risk (the quick self-check's page has ratings only: its note comes by the API).
    for slug in ("breathing", "doodle", "check-in"):
        assert NOTICE not in _page(client, person, reverse("chat:module", args=[slug]))


def test_it_names_each_clinician_told_and_no_one_who_is_not(person, clinician):
    client_create(clinician, name="Maya Stone", user=person)
    client_create(clinician_create("dr_kim"), name="Maya S.", user=person)
    former = clinician_create("dr_gone")
    client_create(former, name="Maya", user=person)
    former.is_active = False  # a deactivated clinician is notified of nothing (``notify_urgent``)
    former.save()
    client_create(clinician_create("dr_other"), name="Someone else", user=UserFactory(username="other"))

    assert clinicians_told_of_risk(user=person) == ["dr_kim", "dr_lee"]
