"""The one access rule (myApp/lib/access.py): staff see their own rows on learner pages, a parent sees a
consenting child's report and progress until the child stops sharing, every look at someone else's data
is in the append-only access log, and input naming other users is refused by role before it is looked up."""

import re

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from myApp.accounts import services as account_services
from myApp.accounts.models import AccessRecord, ChildPrivacySettings, Role
from myApp.curriculum import services as curriculum_services
from myApp.lib import access
from myApp.lib.exceptions import NotAllowed
from myApp.sessions import services as chat_services
from tests.factories import UserFactory

V1 = "/api/v1"
BREATHING = {"emotion": "anxious", "intensity": 60}


def _report_url(user) -> str:
    return reverse("chat:report_user", args=[user.pk])


def _progress_url(user) -> str:
    return reverse("accounts:child_progress", args=[user.pk])


def _link(parent, child) -> ChildPrivacySettings:
    return ChildPrivacySettings.objects.get(parent=parent, child=child)


# --- Staff on learner pages: their own rows only --------------------------------------------------


@pytest.fixture
def both_practised(owner, staff, curriculum):
    """The owner and a staff member each have an open lesson run, a milestone attempt... one of everything."""
    rows = {}
    for user in (owner, staff):
        curriculum_services.curriculum_start(user=user)
        session, _ = curriculum_services.lesson_session_start(user=user, lesson=curriculum.lessons_a[0])
        account_services.profile_adjust_balance(user=user, tickets=3)
        entry, _ = curriculum_services.venue_enter(user=user, venue=curriculum.venue_a)
        visit, _ = curriculum_services.amphitheatre_hub(user=user)
        conversation = chat_services.conversation_create(user=user)
        rows[user.username] = {"session": session, "entry": entry, "visit": visit, "conversation": conversation}
    return rows


def test_it_shows_a_staff_member_only_their_own_amphitheatre_history(client, staff, both_practised):
    client.force_login(staff)
    timeline = client.get(reverse("curriculum:amphitheatre_history")).context["timeline"]
    assert [row["visit"] for row in timeline] == [both_practised["staffer"]["visit"]]


def test_it_shows_a_staff_member_only_their_own_lessons_visits_and_conversations(
    client, staff, curriculum, both_practised
):
    mine = both_practised["staffer"]
    client.force_login(staff)

    module_page = client.get(reverse("curriculum:module", args=[curriculum.module_a.pk])).context
    assert [row.active_session for row in module_page["lessons"]] == [mine["session"], None]

    venue_page = client.get(reverse("curriculum:venue", args=[curriculum.venue_a.slug])).context
    assert venue_page["open_entry"] == mine["entry"]
    district_map = client.get(reverse("curriculum:district_map")).context["districts"]
    assert [card.open_entry for card in district_map[0].venues if card.open_entry] == [mine["entry"]]

    history = client.get(reverse("chat:history")).context["rows"]
    assert [row["conversation"] for row in history] == [mine["conversation"]]


def test_it_shows_a_staff_member_only_their_own_milestone_attempts(client, owner, staff, curriculum, complete_lesson):
    attempts = {}
    for user in (owner, staff):
        curriculum_services.curriculum_start(user=user)
        for lesson in [*curriculum.lessons_a, *curriculum.lessons_b]:
            complete_lesson(user, lesson)
        attempts[user.pk] = curriculum_services.milestone_submit(
            user=user, level=curriculum.level, rubric_scores={"clarity": 50}, audio_url="https://example.com/a.mp3"
        )
    client.force_login(staff)
    page = client.get(reverse("curriculum:milestone", args=[curriculum.level.number])).context
    assert list(page["attempts"]) == [attempts[staff.pk]]
    assert client.get(reverse("curriculum:milestone_result", args=[attempts[owner.pk].pk])).status_code == 404


def test_it_shows_a_staff_member_only_their_own_rows_in_the_api(api_as, staff, both_practised):
    client = api_as(staff)
    mine = both_practised["staffer"]
    for path, row in (
        ("lesson-sessions", mine["session"]),
        ("venue-entries", mine["entry"]),
        ("amphitheatre-sessions", mine["visit"]),
        ("conversations", mine["conversation"]),
    ):
        assert [str(item["id"]) for item in client.get(f"{V1}/{path}/").json()["results"]] == [str(row.pk)]
    assert [row["module_code"] for row in client.get(f"{V1}/progress/").json()["results"]] == ["A"]


def test_it_refuses_staff_changing_a_learners_lesson_or_conversation_in_services(owner, staff, curriculum):
    curriculum_services.curriculum_start(user=owner)
    session, _ = curriculum_services.lesson_session_start(user=owner, lesson=curriculum.lessons_a[0])
    conversation = chat_services.conversation_create(user=owner)
    with pytest.raises(NotAllowed):
        curriculum_services.lesson_session_abandon(session=session, user=staff)
    with pytest.raises(NotAllowed):
        chat_services.conversation_module_complete(
            conversation=conversation, user=staff, module_id="breathing_exercise", completion_data=BREATHING
        )


# --- A parent with the child's consent -----------------------------------------------------------


def _breathe(child) -> None:
    conversation = chat_services.conversation_create(user=child)
    chat_services.conversation_module_complete(
        conversation=conversation, user=child, module_id="breathing_exercise", completion_data=BREATHING
    )


def test_it_shows_a_consenting_childs_report_and_progress_to_their_parent(client, api_as, owner, member, curriculum):
    _breathe(owner)
    curriculum_services.curriculum_start(user=owner)
    client.force_login(member)

    page = client.get(_report_url(owner))
    assert page.status_code == 200
    assert f"Wellbeing report for {owner.username}" in page.content.decode()
    # The way back leads to the parent's Family page and the child's progress, not the parent's own chat.
    breadcrumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', page.content.decode(), re.S).group(0)
    assert f'href="{reverse("accounts:family")}"' in breadcrumbs
    assert f'href="{_progress_url(owner)}"' in breadcrumbs
    assert f'href="{reverse("chat:conversation")}"' not in breadcrumbs
    progress = client.get(_progress_url(owner))
    assert progress.status_code == 200
    assert f"Learning progress of {owner.username}" in progress.content.decode()
    assert [item.status for item in progress.context["progress"].levels[0].modules] == ["unlocked", "locked"]

    parent_api = api_as(member)
    report = parent_api.get(f"{V1}/children/{owner.pk}/report/").json()
    assert report["breathing_exercise"]["count"] == 1
    levels = parent_api.get(f"{V1}/children/{owner.pk}/progress/").json()["levels"]
    assert [(module["code"], module["status"]) for module in levels[0]["modules"]] == [
        ("A", "unlocked"),
        ("B", "locked"),
    ]


def test_it_links_a_parent_to_what_a_child_shares_from_the_family_page(client, owner, member, unconsented_parent):
    client.force_login(member)
    page = client.get(reverse("accounts:family")).content.decode()
    assert f'href="{_progress_url(owner)}"' in page and f'href="{_report_url(owner)}"' in page
    client.force_login(unconsented_parent)
    page = client.get(reverse("accounts:family")).content.decode()
    assert _progress_url(owner) not in page and _report_url(owner) not in page


def test_it_cuts_a_parents_access_the_moment_consent_is_revoked(client, api_as, owner, member):
    parent_page, parent_api = client, api_as(member)
    parent_page.force_login(member)
    urls = [_report_url(owner), _progress_url(owner)]
    api_urls = [f"{V1}/children/{owner.pk}/report/", f"{V1}/children/{owner.pk}/progress/"]
    assert [parent_page.get(url).status_code for url in urls] == [200, 200]
    assert [parent_api.get(url).status_code for url in api_urls] == [200, 200]

    # The child stops sharing from their own API client; the very next request of the parent is refused.
    child_api = api_as(owner)
    assert child_api.post(f"{V1}/child-links/{_link(member, owner).pk}/revoke-consent/").status_code == 200
    assert [parent_page.get(url).status_code for url in urls] == [404, 404]
    assert [parent_api.get(url).status_code for url in api_urls] == [404, 404]

    # Granting it again opens it again, at once.
    assert child_api.post(f"{V1}/child-links/{_link(member, owner).pk}/grant-consent/").status_code == 200
    assert parent_api.get(api_urls[0]).status_code == 200


def test_it_answers_404_without_consent_for_a_real_child_as_for_nobody(api_as, owner, unconsented_parent, outsider):
    for user in (unconsented_parent, outsider):
        client = api_as(user)
        for child_id in (owner.pk, 999999):
            response = client.get(f"{V1}/children/{child_id}/report/")
            assert (response.status_code, response.json()) == (404, {"detail": "Not found.", "errors": {}})


def test_it_does_not_let_a_parent_see_the_childs_conversations(api_as, owner, member):
    conversation = chat_services.conversation_create(user=owner)
    client = api_as(member)
    assert client.get(f"{V1}/conversations/{conversation.pk}/").status_code == 404
    assert client.get(f"{V1}/conversations/{conversation.pk}/report/").status_code == 404


def test_it_renders_a_childs_progress_in_constant_queries(
    client, owner, member, curriculum, django_assert_max_num_queries
):
    curriculum_services.curriculum_start(user=owner)
    client.force_login(member)
    with django_assert_max_num_queries(14):
        assert client.get(_progress_url(owner)).status_code == 200


def test_it_lets_staff_revoke_but_never_grant_a_childs_consent(owner, unconsented_parent, staff):
    link = _link(unconsented_parent, owner)
    with pytest.raises(NotAllowed):
        account_services.child_consent_set(link=link, by=staff, share=True)
    assert account_services.child_consent_set(link=_link(unconsented_parent, owner), by=staff, share=False)


def test_it_leads_staff_back_to_the_admin_from_a_learners_report(client, owner, staff):
    client.force_login(staff)

    page = client.get(_report_url(owner)).content.decode()
    breadcrumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', page, re.S).group(0)

    assert f'href="{reverse("admin:index")}"' in breadcrumbs
    assert f'href="{reverse("accounts:family")}"' not in breadcrumbs


# --- The access log ------------------------------------------------------------------------------


def test_it_records_who_saw_whose_what_through_which_relationship(client, api_as, owner, member, staff):
    client.force_login(member)
    client.get(_report_url(owner))
    api_as(member).get(f"{V1}/children/{owner.pk}/progress/")
    client.force_login(staff)
    client.get(_report_url(owner))
    api_as(staff).get("/api/session/check", {"user_id": owner.pk})

    rows = list(
        AccessRecord.objects.order_by("pk").values_list(
            "viewer_username", "subject_username", "what", "through", "where"
        )
    )
    assert rows == [
        ("member", "owner", "wellbeing_report", "parent_with_consent", _report_url(owner)),
        ("member", "owner", "learning_progress", "parent_with_consent", f"{V1}/children/{owner.pk}/progress/"),
        ("staffer", "owner", "wellbeing_report", "staff_operations", _report_url(owner)),
        ("staffer", "owner", "chat_sessions", "staff_operations", "/api/session/check"),
    ]
    assert all(record.created_at for record in AccessRecord.objects.all())


def test_it_records_nothing_for_own_data_or_refused_looks(client, api_as, owner, unconsented_parent, outsider):
    client.force_login(owner)
    client.get(reverse("chat:report"))
    client.get(_report_url(owner))
    client.get(_progress_url(owner))
    api_as(owner).get(f"{V1}/children/{owner.pk}/report/")
    api_as(owner).get("/api/session/check", {"user_id": owner.pk})
    for user in (unconsented_parent, outsider):
        client.force_login(user)
        assert client.get(_report_url(owner)).status_code == 404
    assert not AccessRecord.objects.exists()


def test_it_keeps_the_access_log_append_only_in_the_model(owner, member):
    access.subject_visible_to(viewer=member, subject_id=owner.pk, what=access.WELLBEING_REPORT)
    record = AccessRecord.objects.get()
    record.what = "nothing"
    for attempt in (record.save, record.delete, AccessRecord.objects.all().delete):
        with pytest.raises(TypeError):
            attempt()
    with pytest.raises(TypeError):
        AccessRecord.objects.update(what="nothing")
    assert AccessRecord.objects.get().what == access.WELLBEING_REPORT


def test_it_shows_the_access_log_read_only_in_the_admin(staff_client, owner, member, rf, staff):
    access.subject_visible_to(viewer=member, subject_id=owner.pk, what=access.WELLBEING_REPORT)
    record = AccessRecord.objects.get()
    model_admin = admin.site._registry[AccessRecord]
    request = rf.get("/")
    request.user = staff
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, record)
    assert not model_admin.has_delete_permission(request, record)
    changelist = staff_client.get(reverse("admin:accounts_accessrecord_changelist"), {"q": "member"})
    assert changelist.status_code == 200 and "owner" in changelist.content.decode()
    delete = staff_client.post(reverse("admin:accounts_accessrecord_delete", args=[record.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert AccessRecord.objects.filter(pk=record.pk).exists()


@pytest.mark.postgres
def test_it_refuses_updates_and_deletes_of_the_access_log_in_postgresql(owner, member):
    access.subject_visible_to(viewer=member, subject_id=owner.pk, what=access.WELLBEING_REPORT)
    for sql in ("UPDATE accounts_accessrecord SET what = 'nothing'", "DELETE FROM accounts_accessrecord"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AccessRecord.objects.get().what == access.WELLBEING_REPORT


# --- Relationships plug in -------------------------------------------------------------------------


def test_it_lets_a_new_relationship_grant_only_what_it_names(client, owner, outsider, monkeypatch):
    """A later relationship (here a stand-in for a clinician with their client) plugs into the registry."""
    monkeypatch.setattr(access, "_RELATIONSHIPS", dict(access._RELATIONSHIPS))
    access.register_relationship(
        "clinician_with_client",
        grants={access.WELLBEING_REPORT},
        holds=lambda *, viewer, subject_id: viewer.pk == outsider.pk and subject_id == owner.pk,
    )
    client.force_login(outsider)
    assert client.get(_report_url(owner)).status_code == 200
    assert client.get(_progress_url(owner)).status_code == 404  # not granted by that relationship
    assert list(AccessRecord.objects.values_list("through", "what")) == [("clinician_with_client", "wellbeing_report")]


# --- Input that names other users ------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.LEARNER, Role.TEACHER])
def test_it_answers_the_same_for_a_real_and_a_missing_teacher_id(db, api_as, role):
    caller = UserFactory(username=f"caller-{role}", role=role)
    real_teacher = UserFactory(username="real-teacher", role=Role.TEACHER)
    client = api_as(caller)
    answers = [
        client.post(f"{V1}/courses/", {"title": "Probe", "course_number": 901, "teacher": teacher_id})
        for teacher_id in (real_teacher.pk, real_teacher.pk + 1000)
    ]
    assert [response.status_code for response in answers] == [403, 403]
    assert answers[0].json() == answers[1].json()


def test_it_refuses_a_learner_changing_a_course_before_reading_the_input(api_as, owner, staff):
    course = api_as(staff).post(f"{V1}/courses/", {"title": "Voice", "course_number": 902}).json()
    client = api_as(owner)
    for teacher_id in (staff.pk, 999999):
        response = client.patch(f"{V1}/courses/{course['id']}/", {"teacher": teacher_id, "course_number": "x"})
        assert response.status_code == 403


def test_it_tells_staff_a_missing_teacher_id_is_missing(api_as, staff):
    response = api_as(staff).post(f"{V1}/courses/", {"title": "X", "course_number": 903, "teacher": 999999})
    assert response.status_code == 400
    assert "teacher" in response.json()["errors"]


def test_it_decides_and_records_a_batch_of_subjects_in_fixed_queries(
    owner, member, unconsented_parent, staff, django_assert_num_queries
):
    """``subjects_visible_to``: only the people a relationship shows now, each recorded, in three queries
    (who shares, the people, one insert) however many are asked about; the rest reveal nothing."""
    from tests.factories import link_parent_and_child

    sharing = [owner, *(UserFactory(username=f"batch{number}") for number in range(3))]
    for child in sharing[1:]:
        link_parent_and_child(parent=member, child=child, share=True)
    quiet = UserFactory(username="batch_quiet")
    link_parent_and_child(parent=member, child=quiet)
    asked = [child.pk for child in sharing] + [quiet.pk, staff.pk, member.pk, 2**64, 10**9]

    with django_assert_num_queries(3):
        seen = access.subjects_visible_to(viewer=member, subject_ids=asked, what=access.QUEST_PROGRESS, where="/x/")

    assert sorted(item.subject.pk for item in seen) == sorted(child.pk for child in sharing)
    records = AccessRecord.objects.filter(viewer=member, where="/x/")
    assert sorted(records.values_list("subject_id", flat=True)) == sorted(child.pk for child in sharing)
    assert (
        access.subjects_visible_to(viewer=unconsented_parent, subject_ids=[owner.pk], what=access.QUEST_PROGRESS) == []
    )
    assert not AccessRecord.objects.filter(viewer=unconsented_parent).exists()
