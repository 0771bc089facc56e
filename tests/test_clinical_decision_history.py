"""Every decision on an insight is kept (``InsightDecision``): a rejected alert approved later keeps the rejection's
reason in its history, shown on the insight's page and in the admin. Before, deciding again overwrote the reason."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client as PageClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from myApp.lib.exceptions import NotAllowed, ServiceError
from myApp.sessions.models import InsightDecision
from myApp.sessions.services import clinical as services
from tests.clinical_helpers import client_create, clinician_create, draft_insight, session_with_transcript
from tests.factories import StaffFactory, UserFactory

REASON = "Quoting a film line, not about herself."


@pytest.fixture
def clinician(db):
    return clinician_create("dr_lee")


@pytest.fixture
def urgent(clinician):
    session = session_with_transcript(client_create(clinician))
    return draft_insight(session, insight_type="risk", title="Possible self-harm", intervention_priority="urgent")


def page_as(user) -> PageClient:
    page = PageClient()
    page.force_login(user)
    return page


def test_deciding_again_keeps_the_earlier_decision_and_its_reason(clinician, urgent):
    services.insight_reject(insight=urgent, by=clinician, note=REASON)
    services.insight_approve(insight=urgent, by=clinician, note="She said it again next session.")

    history = [(d.status, d.note, d.decided_by_id) for d in InsightDecision.objects.filter(insight=urgent)]
    assert history == [
        ("rejected", REASON, clinician.pk),
        ("approved", "She said it again next session.", clinician.pk),
    ]
    urgent.refresh_from_db()
    assert (urgent.status, urgent.decision_note) == ("approved", "She said it again next session.")
    assert urgent.decisions.last().decided_at == urgent.reviewed_at


def test_deciding_the_same_way_again_adds_nothing(clinician, urgent):
    services.insight_approve(insight=urgent, by=clinician)
    services.insight_approve(insight=urgent, by=clinician, note="again")
    assert InsightDecision.objects.filter(insight=urgent).count() == 1


def test_a_refused_decision_is_not_recorded(clinician, urgent):
    with pytest.raises(ServiceError):
        services.insight_reject(insight=urgent, by=clinician, note="")  # an urgent rejection needs a reason
    with pytest.raises(NotAllowed):
        services.insight_approve(insight=urgent, by=clinician_create("dr_other"))
    assert not InsightDecision.objects.exists()


def test_the_insight_page_shows_the_history_to_its_clinician_and_staff_only(clinician, urgent):
    url = reverse("clinic:insight_review", args=[urgent.pk])
    assert "Not decided yet" in page_as(clinician).get(url).content.decode()
    services.insight_reject(insight=urgent, by=clinician, note=REASON)
    services.insight_approve(insight=urgent, by=clinician)

    for viewer in (clinician, StaffFactory(username="ops")):
        page = page_as(viewer).get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert REASON in text and text.index("Rejected</strong>") < text.index("Approved</strong>")
    for viewer in (clinician_create("dr_other"), UserFactory(username="nobody")):
        assert page_as(viewer).get(url).status_code == 404


def test_the_api_lists_the_decisions_to_the_clinician_and_staff_only(api_as, clinician, urgent):
    services.insight_reject(insight=urgent, by=clinician, note=REASON)
    services.insight_approve(insight=urgent, by=clinician)
    url = reverse("session-insight-decisions", args=[urgent.pk])
    for viewer in (clinician, StaffFactory(username="ops")):
        body = api_as(viewer).get(url).json()
        assert [(d["status"], d["note"], d["decided_by"]) for d in body] == [
            ("rejected", REASON, clinician.pk),
            ("approved", "", clinician.pk),
        ]
    for viewer in (clinician_create("dr_other"), UserFactory(username="nobody")):
        assert api_as(viewer).get(url).status_code == 404


def test_the_page_reads_the_history_in_one_query_however_long(clinician, urgent):
    url = reverse("clinic:insight_review", args=[urgent.pk])
    page = page_as(clinician)
    services.insight_reject(insight=urgent, by=clinician, note=REASON)
    with CaptureQueriesContext(connection) as one:
        assert page.get(url).status_code == 200
    for n in range(4):
        services.insight_decide(
            insight=urgent, by=clinician, status="approved" if n % 2 == 0 else "rejected", note=f"{REASON} {n}"
        )
    with CaptureQueriesContext(connection) as five:
        assert page.get(url).status_code == 200
    assert urgent.decisions.count() == 5 and len(five) == len(one)


def test_the_admin_shows_the_history_on_the_insight(clinician, urgent):
    services.insight_reject(insight=urgent, by=clinician, note=REASON)
    admin = page_as(StaffFactory(username="root", is_superuser=True))
    page = admin.get(reverse("admin:usersessions_sessioninsight_change", args=[urgent.pk]))
    assert page.status_code == 200 and REASON in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_migration_records_each_decision_made_before_it():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    before = [("usersessions", "0014_client_former_names")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    try:
        User = old.get_model("accounts", "User")
        Client = old.get_model("usersessions", "Client")
        Insight = old.get_model("usersessions", "SessionInsight")
        doctor = User.objects.create(username="dr_old", password="!")
        client = Client.objects.create(clinician=doctor, display_name="Old client")
        common = {"client": client, "confidence": 0.9, "title": "t", "description": "d", "therapeutic_method": "CBT"}
        at = timezone.now()
        rejected = Insight.objects.create(
            **common, source="chat", source_key="message:1", insight_type="risk", intervention_priority="urgent",
            status="rejected", reviewed_by=doctor, reviewed_at=at, decision_note=REASON,
        )  # fmt: skip
        Insight.objects.create(**common, source="chat", source_key="message:2", insight_type="risk")  # a draft

        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
        new = executor.loader.project_state(leaves).apps
        decisions = new.get_model("usersessions", "InsightDecision").objects.values_list(
            "insight_id", "status", "decided_by_id", "decided_at", "note"
        )
        assert list(decisions) == [(rejected.pk, "rejected", doctor.pk, at, REASON)]
    finally:
        MigrationExecutor(connection).migrate(leaves)


def test_the_admin_reads_an_insight_and_a_client_as_records_not_json(clinician, urgent):
    """The new-user review found the client page a column of empty JSON boxes with the name last, and the insight's
    recommendations as raw JSON."""
    type(urgent).objects.filter(pk=urgent.pk).update(recommendations=["Ask about safety", "Agree a plan"])
    staff = PageClient()
    staff.force_login(StaffFactory(username="ops"))

    insight = staff.get(reverse("admin:usersessions_sessioninsight_change", args=[urgent.pk])).content.decode()
    assert "• Ask about safety<br>• Agree a plan" in insight and '["Ask about safety"' not in insight

    client_page = staff.get(reverse("admin:usersessions_client_change", args=[urgent.client_id])).content.decode()
    assert client_page.index("field-display_name") < client_page.index("field-clinical_notes")
    assert client_page.index("Clinical record") < client_page.index("field-former_names")


def test_a_decision_and_an_evidence_sentence_read_as_words_in_the_admin(clinician, urgent):
    """The insight's admin page titled its decision "Approved 1 at 2026-11-24 20:03" and its evidence sentence
    "1#4 client: If I mess up the first slide it will be", cut mid-sentence (new-user review)."""
    services.insight_approve(insight=urgent, by=clinician)
    decision = InsightDecision.objects.get()
    sentence = urgent.session.sentences.first()
    sentence.text = "If I mess up the first slide it will be a complete disaster, and everyone will see it."

    assert str(decision) == f"Insight {urgent.pk} approved on {decision.decided_at:%Y-%m-%d %H:%M}"
    assert str(sentence) == (
        f"Session {urgent.session_id}, sentence #{sentence.sequence_number}, {sentence.speaker}: "
        "If I mess up the first slide it will be a complete disaster,…"
    )
