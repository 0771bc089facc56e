"""Staff's writes from the admin go through services: a profile's fields and a client's hand-over."""

import uuid

import pytest

from myApp.accounts import services
from myApp.accounts.models import Profile
from myApp.lib.exceptions import NotAllowed, ServiceError
from myApp.sessions.models import Client
from myApp.sessions.services.clinical import client_staff_update
from tests.clinical_helpers import client_create, clinician_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_may_mark_onboarding_done_but_never_touch_the_economy():
    learner = UserFactory(username="learner")
    services.profile_staff_update(user=learner, profile_data={"onboarding_completed": True, "main_goal": "Talks"})
    profile = Profile.objects.get(user=learner)
    assert (profile.onboarding_completed, profile.main_goal) == (True, "Talks")
    with pytest.raises(ServiceError) as refused:
        services.profile_staff_update(user=learner, profile_data={"coins": 10_000})
    assert "coins" in refused.value.errors
    assert Profile.objects.get(user=learner).coins == profile.coins


def test_the_owners_service_still_refuses_onboarding_which_only_staff_set():
    learner = UserFactory(username="learner")
    with pytest.raises(ServiceError):
        services.profile_update(user=learner, profile_data={"onboarding_completed": True})


def test_a_hand_over_clears_the_creation_key_and_refuses_a_clinician_who_takes_no_clients():
    first, second = clinician_create("first"), clinician_create("second")
    client = client_create(first, creation_key=uuid.uuid4())
    client.clinician = second
    client_staff_update(client=client, changed=["clinician"])
    stored = Client.objects.get(pk=client.pk)
    assert (stored.clinician_id, stored.creation_key) == (second.pk, None)

    client.clinician = UserFactory(username="learner")
    with pytest.raises(NotAllowed):
        client_staff_update(client=client, changed=["clinician"])
    assert Client.objects.get(pk=client.pk).clinician_id == second.pk


def test_a_staff_edit_writes_only_the_fields_it_changed():
    clinician = clinician_create()
    client = client_create(clinician, age=30)
    Client.objects.filter(pk=client.pk).update(treatment_history="Written meanwhile by the clinician")
    client.age = 31
    client_staff_update(client=client, changed=["age"])
    stored = Client.objects.get(pk=client.pk)
    assert (stored.age, stored.treatment_history) == (31, "Written meanwhile by the clinician")
