"""An urgent alert whose client's clinician is no longer an active psychologist reaches nobody in the app (the
attack review found it only logged). The admin index says so while there are any, with a link to them, and the
notice goes the moment the client is handed over: it is derived each time, never stored."""

import pytest
from django.urls import reverse

from myApp.accounts.models import Role
from myApp.accounts.services import is_psychologist, psychologist_q
from myApp.sessions import risk_selectors
from myApp.sessions.models import Client
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


def test_staff_hand_a_client_over_in_the_admin_but_do_not_rename_them(client, clinician):
    own = client_create(clinician)
    client.force_login(StaffFactory(username="ops"))

    form = client.get(reverse("admin:usersessions_client_change", args=[own.pk])).context["adminform"].form

    assert "display_name" not in form.fields and "former_names" not in form.fields
    assert "clinician" in form.fields and "user" in form.fields
