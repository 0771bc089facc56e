"""Erasure: POST /api/v1/me/erase (password), the "Erase my account" page, and staff's admin action."""

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse

from myApp.accounts import services
from myApp.accounts.models import AccessRecord, DeviceToken, ErasureRecord, User
from myApp.accounts.services.data_rights import WRONG_PASSWORD
from myApp.analytics.dashboard import dashboard_figures
from myApp.curriculum.models import Enrollment, Purchase
from myApp.lib.exceptions import NotAllowed
from myApp.quests.models import Quest, QuestRating
from myApp.sessions import history_cache
from myApp.sessions.models import Client, Message
from tests.data_rights_helpers import fill, marker
from tests.factories import PASSWORD, UserFactory

URL = "/api/v1/me/erase"
AGGREGATES = ("total_enrollments", "paid_enrollments", "total_purchases", "total_revenue", "courses")


def personal_strings(user) -> list[str]:
    return [user.username, user.email, user.first_name, user.last_name]


def rows_holding(needle: str) -> list[str]:
    """Every row, in every table the project's models know, with ``needle`` in any text or JSON column."""
    found = []
    for model in apps.get_models():
        text = [f for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        json_columns = [f for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        if not text and not json_columns:
            continue
        queryset = model._default_manager.annotate(
            **{f"_as_text_{f.attname}": Cast(f.attname, models.TextField()) for f in json_columns}
        )
        condition = models.Q(pk__in=[])
        for field in text:
            condition |= models.Q(**{f"{field.attname}__icontains": needle})
        for field in json_columns:
            condition |= models.Q(**{f"_as_text_{field.attname}__icontains": needle})
        found += [f"{model._meta.label}#{pk}" for pk in queryset.filter(condition).values_list("pk", flat=True)]
    return found


@pytest.fixture
def ana(db):
    return UserFactory(username="ana_erasable", email="ana.q@example.org", first_name="Anastasia", last_name="Quill")


@pytest.fixture
def bea(db):
    return UserFactory(username="bea_stays", first_name="Beatrix")


@pytest.fixture
def filled(ana, bea):
    ana_rows = fill(ana, peer=bea)
    bea_rows = fill(bea, peer=ana)
    return ana_rows, bea_rows


def test_it_erases_every_personal_field_and_keeps_aggregates(
    filled, ana, bea, api_as, django_capture_on_commit_callbacks
):
    ana_rows, bea_rows = filled
    strings = personal_strings(ana)
    assert all(rows_holding(needle) for needle in strings)  # the scan finds them before
    before = dashboard_figures()
    bea_messages = Message.objects.filter(user=bea).count()

    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(ana).post(URL, {"password": PASSWORD}, format="json")
    assert response.status_code == 204

    for needle in strings:
        assert rows_holding(needle) == [], needle
    assert not Message.objects.filter(content__contains=marker(ana)).exists()
    after = dashboard_figures()
    assert {key: after[key] for key in AGGREGATES} == {key: before[key] for key in AGGREGATES}
    assert after["total_users"] == before["total_users"]
    # Enrolments and purchases stay on the anonymised account.
    assert Enrollment.objects.filter(user=ana).count() == 1 and Purchase.objects.filter(user=ana).count() == 1
    # Bea's own data is untouched; her clinical record of Ana stays with her, unlinked.
    assert Message.objects.filter(user=bea).count() == bea_messages
    bea_client = Client.objects.get(pk=bea_rows["client"].pk)
    assert bea_client.user_id is None and marker(bea) in bea_client.clinical_notes
    # Ana's quest Bea plays stays; the one only Ana used is gone; her rating keeps its score, not its text.
    shared, alone = ana_rows["quests"]
    assert Quest.objects.filter(pk=shared.pk).exists() and not Quest.objects.filter(pk=alone.pk).exists()
    assert not QuestRating.objects.filter(user=ana).exclude(review_text="").exists()
    # The audit log rows stay, pseudonymised.
    assert AccessRecord.objects.filter(subject_id=ana.pk, subject_username=f"erased-{ana.pk}").exists()


def test_it_anonymises_the_account_row(filled, ana, api_as):
    api_as(ana).post(URL, {"password": PASSWORD}, format="json")
    ana.refresh_from_db()
    assert ana.username == f"erased-{ana.pk}"
    assert (ana.email, ana.first_name, ana.last_name, ana.is_active, ana.is_staff) == ("", "", "", False, False)
    assert not ana.has_usable_password()
    record = ErasureRecord.objects.get(erased_user_id=ana.pk)
    assert record.by_staff is False and record.erased_by is None and record.rows


def test_it_revokes_tokens_sessions_and_the_chat_cache_at_once(
    filled, ana, bea, api_as, client, django_capture_on_commit_callbacks
):
    ana_rows, _ = filled
    api = api_as(ana)
    other_device = api_as(ana)
    client.force_login(ana)
    assert client.get(reverse("accounts:home")).status_code == 200
    conversation = ana_rows["conversation"]
    cache.set(history_cache.key(conversation.pk), {"messages": [marker(ana)]})

    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(URL, {"password": PASSWORD}, format="json").status_code == 204

    assert other_device.get("/api/v1/me/").status_code == 401
    assert not DeviceToken.objects.filter(user=ana).exists()
    assert client.get(reverse("accounts:home")).status_code == 302  # logged out
    assert not [s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(ana.pk)]
    assert cache.get(history_cache.key(conversation.pk)) is None
    assert api_as(bea).get("/api/v1/me/").status_code == 200


def test_it_refuses_a_wrong_password_with_a_field_message(filled, ana, api_as):
    response = api_as(ana).post(URL, {"password": "not-it"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"password": [WRONG_PASSWORD]}
    ana.refresh_from_db()
    assert ana.is_active and ana.username == "ana_erasable"
    assert Message.objects.filter(user=ana).exists()


def test_it_asks_for_the_password(ana, api_as):
    response = api_as(ana).post(URL, {}, format="json")
    assert response.status_code == 400 and "password" in response.json()["errors"]


def test_it_erases_only_the_caller(ana, bea, api_as):
    """There is no user to name: a stranger's request with another id is refused and erases nobody."""
    response = api_as(bea).post(URL, {"password": PASSWORD, "user_id": ana.pk}, format="json")
    assert response.status_code == 400
    ana.refresh_from_db()
    bea.refresh_from_db()
    assert ana.is_active and bea.is_active
    with pytest.raises(NotAllowed):
        services.account_erase(user=ana, by=bea, password=PASSWORD)


def test_it_refuses_anonymous_callers(anon_api):
    assert anon_api.post(URL, {"password": PASSWORD}, format="json").status_code == 401


def test_it_erases_from_the_page_and_logs_out(client, ana):
    client.force_login(ana)
    page = client.get(reverse("accounts:erase"))
    assert page.status_code == 200 and "password" in page.content.decode()
    wrong = client.post(reverse("accounts:erase"), {"password": "nope"})
    assert wrong.status_code == 400 and WRONG_PASSWORD in wrong.content.decode()
    done = client.post(reverse("accounts:erase"), {"password": PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:login")
    assert client.get(reverse("accounts:home")).status_code == 302
    ana.refresh_from_db()
    assert not ana.is_active


def test_staff_erase_an_account_through_the_admin_after_confirming(staff_client, staff, filled, ana, bea):
    url = reverse("admin:accounts_user_changelist")
    data = {"action": "erase_accounts", "_selected_action": [ana.pk]}
    confirm = staff_client.post(url, data)
    assert confirm.status_code == 200 and "ana_erasable" in confirm.content.decode()
    ana.refresh_from_db()
    assert ana.is_active  # nothing happens before the confirmation

    done = staff_client.post(url, {**data, "confirm": "yes"})
    assert done.status_code == 302
    ana.refresh_from_db()
    assert not ana.is_active and ana.username == f"erased-{ana.pk}"
    record = ErasureRecord.objects.get(erased_user_id=ana.pk)
    assert record.by_staff and record.erased_by == staff
    assert rows_holding("ana_erasable") == []
    bea.refresh_from_db()
    assert bea.is_active


def test_the_admins_delete_leads_to_erasure_and_deletes_nothing(staff_client, filled, ana):
    """A deletion would cascade into rows other people need; the admin's delete button and bulk action are gone
    in favour of the erasure."""
    answer = staff_client.post(reverse("admin:accounts_user_delete", args=[ana.pk]), {"post": "yes"})
    assert answer.status_code == 302 and answer["Location"] == reverse("admin:accounts_user_changelist")
    assert User.objects.filter(pk=ana.pk, is_active=True).exists()
    changelist = staff_client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert 'value="delete_selected"' not in changelist and 'value="erase_accounts"' in changelist
    bulk = staff_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [ana.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302) and User.objects.filter(pk=ana.pk).exists()


def test_only_staff_erase_someone_else(ana, bea):
    with pytest.raises(NotAllowed):
        services.account_erase(user=ana, by=bea)
    assert User.objects.get(pk=ana.pk).is_active


@pytest.mark.postgres
def test_the_audit_log_still_refuses_any_other_change(ana, bea):
    """The trigger lets erasure pseudonymise usernames, and nothing else."""
    from django.db import DatabaseError, connection, transaction

    services.access_record_create(viewer=bea, subject=ana, what="wellbeing_report", through="test")
    record = AccessRecord.objects.get(subject_id=ana.pk)
    for sql in (
        "UPDATE accounts_accessrecord SET what = 'other' WHERE id = %s",
        "UPDATE accounts_accessrecord SET subject_username = 'someone' WHERE id = %s",
        "DELETE FROM accounts_accessrecord WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [record.pk])
    assert AccessRecord.objects.pseudonymise(user_id=ana.pk, username=f"erased-{ana.pk}") == 1
