"""The admin is the operations dashboard: every page loads, stays cheap, and its actions go through services."""

import io

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rich.console import Console

from myApp.accounts import services
from myApp.accounts.models import ChildPrivacySettings, Profile, Role, User
from myApp.analytics import events
from myApp.analytics.models import AnalyticsEvent
from myApp.analytics.services import telemetry_record, track
from myApp.analytics.tasks import record_telemetry
from myApp.curriculum import economy
from myApp.curriculum import services as curriculum_services
from myApp.curriculum.models import MilestoneAttempt, Module
from myApp.curriculum.seeds import load_module_a_content
from myApp.quests import daily_rules
from myApp.quests.services import daily as daily_quests
from myApp.sessions import services as chat_services
from myApp.sessions.services import clinical as clinical_services
from myApp.sessions.services.clinical.retention import clinical_retention_policy_set
from tests import clinical_helpers
from tests.factories import CourseFactory, StaffFactory, UserFactory
from tests.journeys import learner_journey
from tests.quest_helpers import quest_rows
from tests.speech_helpers import amphitheatre_recording

REGISTERED_MODELS = list(admin.site._registry)


def _label(model) -> str:
    return model._meta.label


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def rows(owner, member, api_as, monkeypatch):
    """At least one row behind every admin we own: users, a child link, a pairing code, events, an API device,
    a failed login, a group, curriculum, quests."""
    track(event_type=events.USER_LOGIN, user=owner, data={"source": "test"})
    telemetry_record(name="admin_test_metric", module_code="M1", user=owner)
    api_as(owner)  # signs in an API device for the owner
    services.pairing_code_create(child=owner)
    _failed_login(owner)
    Group.objects.create(name="operators")  # no service owns auth groups
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        record_telemetry.enqueue(name="queued_for_admin", user_id=owner.pk, properties={})
    _curriculum_rows(owner)
    _chat_rows(owner)
    monkeypatch.setattr(daily_rules, "offered_types", lambda *, user_id, day: list(daily_rules.QUEST_TYPES)[:3])
    _daily_quest_rows(owner)
    _read_child_report(member, owner)
    quest_rows(owner)
    _clinical_rows(owner)
    _erasure_rows()
    return owner


def _erasure_rows() -> None:
    """A staff member erases an account: a row in the erasure log."""
    services.account_erase(user=UserFactory(username="erased_for_admin"), by=StaffFactory(username="eraser"))


def _clinical_rows(owner) -> None:
    """A psychologist's client (the owner's account), a session with a transcript, an approved insight."""
    client = clinical_helpers.client_create(clinical_helpers.clinician_create("admin_clinician"), user=owner)
    clinical_retention_policy_set(clinician=client.clinician, keep_years=7)
    session = clinical_helpers.session_with_transcript(client)
    insight = clinical_helpers.draft_insight(session)
    clinical_services.insight_approve(insight=insight, by=client.clinician)
    clinical_helpers.urgent_notification(session)  # an urgent insight and its clinician's notification


def _read_child_report(parent, child) -> None:
    """The consenting child's parent opens the child's wellbeing report: a row in the access log."""
    client = Client()
    client.force_login(parent)
    assert client.get(reverse("chat:report_user", args=[child.pk])).status_code == 200


def _failed_login(owner) -> None:
    """One wrong password through the login page: a row in axes' access attempts."""
    Client().post(reverse("accounts:login"), {"username": owner.username, "password": "not-the-password"})


def _curriculum_rows(owner) -> None:
    """The seeded Level 1 content, then one row of every kind of learner state."""
    load_module_a_content(Console(file=io.StringIO()))
    learner_journey(owner, Module.objects.get(level__number=1, code="A"))
    _milestone_review_rows(owner)
    amphitheatre_recording(owner)  # a recorded talk (its analysis queued on commit)


def _milestone_review_rows(owner) -> None:
    """The owner shares their milestone attempt and a teacher of their course reviews it, through the services."""
    teacher = UserFactory(username="admin_teacher", role=Role.TEACHER)
    curriculum_services.course_enroll(user=owner, course=CourseFactory(teacher=teacher, course_number=9001))
    attempt = MilestoneAttempt.objects.filter(user=owner).first()
    curriculum_services.milestone_review_request(user=owner, attempt=attempt)
    curriculum_services.milestone_review_create(
        reviewer=teacher, attempt_id=attempt.pk, comments="Clear opening.", scores={"clarity": 80}
    )


def _daily_quest_rows(owner) -> None:
    """The day's daily quests, a streak freeze bought with coins and a vacation, through the quest services."""
    daily_quests.offers_ensure(user=owner, day=timezone.localdate())
    services.profile_adjust_balance(user=owner, coins=daily_rules.FREEZE_PRICE_COINS)
    daily_quests.streak_freeze_buy(user=owner)
    daily_quests.vacation_start(user=owner)


def _chat_rows(owner) -> None:
    """A conversation with two chat turns and one guided-module completion, through the chat services."""
    result = chat_services.chat_send(user=owner, message="Hi, my name is Alice")
    chat_services.conversation_module_complete(
        conversation=result.conversation,
        user=owner,
        module_id="emotion_labeling",
        completion_data={"mood": "Calm", "note": "Ready for Friday"},
    )


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=_label)
def test_it_loads_every_changelist(staff_client, rows, model):
    response = staff_client.get(_url(model, "changelist"))

    assert response.status_code == 200, _label(model)


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=_label)
def test_it_searches_every_changelist(staff_client, rows, model):
    response = staff_client.get(_url(model, "changelist"), {"q": "something"})

    assert response.status_code == 200, _label(model)


def test_it_finds_a_user_by_search(staff_client, rows, outsider):
    response = staff_client.get(_url(User, "changelist"), {"q": "outsid"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [outsider]


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=_label)
def test_it_loads_the_change_page_of_an_existing_row(staff_client, rows, model):
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the rows fixture made no {_label(model)} to open"

    response = staff_client.get(_url(model, "change", quote(obj.pk)))

    assert response.status_code == 200, _label(model)


def test_it_has_rows_behind_the_project_admins(rows):
    """Guards the change-page test above against silently skipping our own models."""
    for model in (User, ChildPrivacySettings, AnalyticsEvent):
        assert model in admin.site._registry
        assert model._default_manager.exists(), _label(model)


def test_it_lists_users_with_a_bounded_number_of_queries(staff_client, staff, django_assert_max_num_queries):
    url = _url(User, "changelist")
    UserFactory.create_batch(3)
    staff_client.get(url)  # warm the session cache so both measured requests start alike

    with CaptureQueriesContext(connection) as few_users:
        response = staff_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 4

    UserFactory.create_batch(12)
    with django_assert_max_num_queries(len(few_users)):
        response = staff_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 16


def test_it_grants_ten_tickets_to_the_selected_users(staff_client, owner, outsider):
    services.profile_adjust_balance(user=owner, tickets=2)

    response = staff_client.post(_url(User, "changelist"), {"action": "grant_tickets", "_selected_action": [owner.pk]})

    assert response.status_code == 302
    assert Profile.objects.get(user=owner).tickets == 2 + economy.STAFF_TICKET_GRANT
    assert Profile.objects.get(user=outsider).tickets == 0


def test_it_revokes_consent_on_the_selected_links(staff_client, staff, owner, member):
    link = ChildPrivacySettings.objects.get(parent=member, child=owner)
    assert link.share_quest_progress

    response = staff_client.post(
        _url(ChildPrivacySettings, "changelist"), {"action": "revoke_consent", "_selected_action": [link.pk]}
    )

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.share_quest_progress is False
    assert link.consent_revoked_at is not None
    assert link.consent_changed_by == staff
    assert AnalyticsEvent.objects.filter(event_type="child_consent_revoked", user=staff).count() == 1


def _add_user_form(username: str, password: str, **profile_fields) -> dict:
    """What the browser posts from the admin's add-user page, including the profile inline."""
    data = {
        "username": username,
        "usable_password": "true",
        "password1": password,
        "password2": password,
        "email": f"{username}@example.com",
        "role": Role.TEACHER,
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "0",
        "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-role": "",
        "profile-0-main_goal": "",
        "profile-0-audience": "",
        "profile-0-comfort_one_on_one": "",
        "profile-0-comfort_small_group": "",
        "profile-0-comfort_large_audience": "",
        "profile-0-mode": "educational",
        "profile-0-parent_name": "",
        "profile-0-time_zone": "UTC",  # the field's initial value, as the page renders it
        "profile-0-id": "",
        "profile-0-user": "",
    }
    data.update({f"profile-0-{name}": value for name, value in profile_fields.items()})
    return data


def test_it_gives_a_user_added_in_the_admin_a_profile(staff_client, password):
    response = staff_client.post(_url(User, "add"), _add_user_form("coach", password))

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    user = User.objects.get(username="coach")
    assert user.role == Role.TEACHER
    assert user.check_password(password)
    assert Profile.objects.filter(user=user).count() == 1


def test_it_keeps_the_persona_typed_into_the_add_user_page(staff_client, password):
    response = staff_client.post(
        _url(User, "add"), _add_user_form("mentor", password, main_goal="Run workshops", comfort_small_group="4")
    )

    assert response.status_code == 302
    profile = Profile.objects.get(user__username="mentor")
    assert profile.main_goal == "Run workshops"
    assert profile.comfort_small_group == 4


@pytest.mark.parametrize("url", ["admin:index", "admin:accounts_user_changelist"])
def test_it_redirects_a_non_staff_user_to_the_admin_login(client, owner, url):
    client.force_login(owner)

    response = client.get(reverse(url))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_it_never_lets_staff_add_or_repoint_a_child_link(staff_client, owner, member, outsider):
    link = ChildPrivacySettings.objects.get(parent=member, child=owner)

    assert staff_client.get(_url(ChildPrivacySettings, "add")).status_code == 403
    response = staff_client.post(
        _url(ChildPrivacySettings, "change", link.pk), {"parent": outsider.pk, "child": owner.pk}
    )

    assert response.status_code in (200, 302)
    link.refresh_from_db()
    assert (link.parent, link.child) == (member, owner)
    assert not ChildPrivacySettings.objects.filter(parent=outsider).exists()
