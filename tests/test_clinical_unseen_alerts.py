"""An urgent alert whose client's clinician is no longer an active psychologist reaches nobody in the app (the
attack review found it only logged). The admin index says so while there are any, with a link to them, and the
notice goes the moment the client is handed over: it is derived each time, never stored."""

import pytest
from django.urls import reverse

from myApp.accounts.models import Role
from myApp.accounts.services import is_psychologist, psychologist_q
from myApp.sessions import risk_selectors
from myApp.sessions.models import Client, ClinicianNotification
from myApp.sessions.services import clinical as services
from myApp.sessions.services.clinical.risk import urgent_insight_raise
from tests.clinical_helpers import client_create, clinician_create, draft_insight, session_create
from tests.factories import StaffFactory, UserFactory

RISKY = "Some nights I think everyone would be better off without me."


@pytest.fixture
def clinician(db):
    return clinician_create()


def _unseen() -> list[int]:
    return list(risk_selectors.urgent_insights_seen_by_no_clinician().values_list("pk", flat=True))


def test_the_query_rule_is_the_psychologist_rule(db):
    people = [
        clinician_create("active"),
        UserFactory(username="learner"),
        StaffFactory(username="ops"),
        UserFactory(username="gone", role=Role.PSYCHOLOGIST, is_active=False),
    ]
    matched = set(type(people[0]).objects.filter(psychologist_q()).values_list("pk", flat=True))
    assert {person.pk for person in people if is_psychologist(person)} == matched & {p.pk for p in people}


def test_urgent_undecided_insights_of_an_inactive_or_demoted_clinician_are_listed(clinician):
    session = session_create(client_create(clinician))
    urgent = urgent_insight_raise(client=session.client, session=session, evidence=RISKY)
    draft_insight(session)  # not urgent
    assert _unseen() == []

    type(clinician).objects.filter(pk=clinician.pk).update(is_active=False)
    assert _unseen() == [urgent.pk]
    type(clinician).objects.filter(pk=clinician.pk).update(is_active=True, role=Role.LEARNER)
    assert _unseen() == [urgent.pk]

    type(clinician).objects.filter(pk=clinician.pk).update(role=Role.PSYCHOLOGIST)
    services.insight_approve(insight=urgent, by=clinician)
    type(clinician).objects.filter(pk=clinician.pk).update(is_active=False)
    assert _unseen() == []  # decided: nothing waits


def test_the_admin_index_says_so_links_them_and_stops_once_the_client_is_handed_over(client, clinician):
    session = session_create(client_create(clinician))
    urgent = urgent_insight_raise(client=session.client, session=session, evidence=RISKY)
    client.force_login(StaffFactory(username="ops"))
    assert 'data-testid="unseen-urgent"' not in client.get(reverse("admin:index")).content.decode()

    type(clinician).objects.filter(pk=clinician.pk).update(is_active=False)
    index = client.get(reverse("admin:index")).content.decode()
    assert 'data-testid="unseen-urgent"' in index and "1 urgent insight waits" in index
    listed = client.get(reverse("admin:usersessions_sessioninsight_changelist") + "?unseen_urgent=1")
    assert list(listed.context["cl"].result_list) == [urgent]

    Client.objects.filter(pk=session.client_id).update(clinician=clinician_create("dr_next"))
    assert 'data-testid="unseen-urgent"' not in client.get(reverse("admin:index")).content.decode()


def _admin_change(client, target: Client, clinician_id: int):
    return client.post(
        reverse("admin:usersessions_client_change", args=[target.pk]),
        {
            "clinician": clinician_id,
            "display_name": target.display_name,
            **{field: "{}" for field in ("demographics", "risk_factors", "treatment_history")},
            "profile-TOTAL_FORMS": "0",
            "profile-INITIAL_FORMS": "0",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
        },
    )


def test_the_admin_hands_a_client_only_to_an_active_psychologist(client, clinician):
    """The second new-user review handed a client over in the admin to the staff user and to the deactivated
    psychologist, and was told 'changed successfully' both times: the alert still reached nobody. The admin now
    refuses anyone but an active psychologist, as ``client_create`` does, and takes the hand-over itself."""
    target = client_create(clinician)
    type(clinician).objects.filter(pk=clinician.pk).update(is_active=False)
    staff = StaffFactory(username="ops")
    client.force_login(staff)
    for someone in (staff, UserFactory(username="learner"), clinician):
        refused = _admin_change(client, target, someone.pk)
        assert refused.status_code == 200 and "an active psychologist" in refused.content.decode()
    target.refresh_from_db()
    assert target.clinician_id == clinician.pk

    successor = clinician_create("dr_next")
    assert _admin_change(client, target, successor.pk).status_code == 302
    target.refresh_from_db()
    assert target.clinician_id == successor.pk


def test_the_psychologist_a_client_is_handed_to_is_told_of_its_undecided_urgent_insights(client, clinician):
    """The second new-user review handed a client with an undecided self-harm alert to a new psychologist: the
    admin notice went, but the new clinician had no notification and no email (their home and nav said nothing);
    only the caseload's '1 urgent' showed it. The hand-over now notifies them as the analysis would have."""
    session = session_create(client_create(clinician))
    urgent = urgent_insight_raise(client=session.client, session=session, evidence=RISKY)
    decided = urgent_insight_raise(client=session.client, session=session, evidence="I want to end my life.")
    services.insight_approve(insight=decided, by=clinician)
    type(clinician).objects.filter(pk=clinician.pk).update(is_active=False)
    successor = clinician_create("dr_next")
    client.force_login(StaffFactory(username="ops"))

    assert _admin_change(client, session.client, successor.pk).status_code == 302
    assert list(ClinicianNotification.objects.filter(recipient=successor).values_list("insight_id", flat=True)) == [
        urgent.pk
    ]
    _admin_change(client, session.client, successor.pk)  # saved again: nothing new
    assert ClinicianNotification.objects.filter(recipient=successor).count() == 1


def test_staff_hand_a_client_over_in_the_admin_but_do_not_rename_them(client, clinician):
    own = client_create(clinician)
    client.force_login(StaffFactory(username="ops"))

    form = client.get(reverse("admin:usersessions_client_change", args=[own.pk])).context["adminform"].form

    assert "display_name" not in form.fields and "former_names" not in form.fields
    assert "clinician" in form.fields and "user" in form.fields
