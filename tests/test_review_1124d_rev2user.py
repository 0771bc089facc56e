"""Review 1124d (new-user walk-through of the learner report, data rights and retention): failing tests for
what a learner, a parent, a clinician and staff met in the browser.

- A clinician's "7 years after discharge" deletes a discharged client's sessions two days before the seventh
  anniversary: a year is counted as 365 days (``services/clinical/retention.py`` ``DAYS_PER_YEAR``).
- Staff who tick their own account in "Erase the selected accounts" are told "That is not your password" (they
  typed none) next to a green "Erased 0 account(s)."
- The admin still offers Django's "Delete selected users" beside "Erase": it deletes a learner's purchases with
  them (CASCADE), the records erasure promises to keep "for the accounts".
- A parent whose child does not share is answered with Django's bare "Not Found" page, outside the site.
- The report shows a learner's times in the server's zone (UTC), not in the learner's own zone, unlabelled.
- Chat retention (30 idle days) deletes the guided-exercise results the report's wellbeing trends read.
- "Lessons completed" counts a lesson practised again twice.
- A discharged client's page never says when their sessions will be deleted.
- Shortening the retention policy says nothing of the discharged clients already past it (deleted next sweep).
- Neither the parent's Family links page nor the clinician's client page links the new report.
"""

import datetime
from decimal import Decimal

from django.contrib.messages import get_messages
from django.test import Client as PageClient
from django.urls import reverse

from myApp.accounts.models import Profile
from myApp.curriculum.models import Purchase
from myApp.sessions.models import Client, ModuleCompletion, TherapySession
from myApp.sessions.services.clinical import retention as clinical_retention
from tests.clinical_helpers import client_create, clinician_create, session_with_transcript
from tests.factories import CourseFactory, UserFactory
from tests.test_learner_report import complete

UTC = datetime.UTC
USERS_ADMIN = "/admin/accounts/user/"


def test_a_seven_year_policy_keeps_a_discharged_clients_sessions_until_the_seventh_anniversary(db):
    lee = clinician_create("dr_leap")
    clinical_retention.clinical_retention_policy_set(clinician=lee, keep_years=7)
    client = client_create(lee, name="Leap Years")
    session_with_transcript(client, days_ago=30)
    Client.objects.filter(pk=client.pk).update(discharged_at=datetime.datetime(2026, 11, 24, 12, tzinfo=UTC))

    # 23 Nov 2033 is still inside "7 years after discharge" (24 Nov 2033); 2028 and 2032 have a 29 February.
    clinical_retention.therapy_sessions_apply_retention(
        dry_run=False, now=datetime.datetime(2033, 11, 23, 12, tzinfo=UTC), batch_size=100
    )

    assert TherapySession.objects.filter(client=client).count() == 1


def test_staff_erasing_their_own_account_in_the_admin_are_not_told_about_a_password_they_never_typed(
    staff_client, staff
):
    response = staff_client.post(
        USERS_ADMIN,
        {"action": "erase_accounts", "_selected_action": [staff.pk], "confirm": "yes"},
        follow=True,
    )

    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert not any("not your password" in text for text in shown), shown
    assert not any("Erased 0 account(s)" in text for text in shown), shown


def test_staff_removing_a_learner_in_the_admin_keep_their_purchases_as_erasure_promises(staff_client):
    learner = UserFactory(username="paying_learner")
    course = CourseFactory(price=Decimal("49.00"))
    Purchase.objects.create(user=learner, course=course, amount=Decimal("49.00"), currency="GBP")

    staff_client.post(USERS_ADMIN, {"action": "delete_selected", "_selected_action": [learner.pk], "post": "yes"})

    assert Purchase.objects.filter(course=course).count() == 1


def test_a_parent_whose_child_does_not_share_gets_a_page_of_the_site_with_a_way_back(unconsented_parent, owner):
    page = PageClient()
    page.force_login(unconsented_parent)

    response = page.get(reverse("reports:learner", args=[owner.pk]))

    assert response.status_code == 404
    body = response.content.decode()
    assert reverse("accounts:family") in body, body[:300]  # inside the site's layout, with the family page near


def test_the_report_shows_a_learners_times_in_their_own_zone(db):
    learner = UserFactory(username="berlin_learner")
    Profile.objects.filter(user=learner).update(time_zone="Europe/Berlin")
    completion = complete(
        learner, "breathing_exercise", {"emotion": "Anxious", "intensity": 40, "completed_steps": ["breathing"]}
    )
    ModuleCompletion.objects.filter(pk=completion.pk).update(
        completed_at=datetime.datetime(2026, 11, 24, 23, 10, tzinfo=UTC)
    )
    page = PageClient()
    page.force_login(learner)

    body = page.get(reverse("reports:mine")).content.decode()

    breathing = body[body.find('data-testid="breathing-table"') :][:600]
    assert "Anxious" in breathing  # the exercise is there
    assert "25 Nov 2026, 00:10" in breathing, breathing  # 23:10 UTC is ten past midnight on the 25th in Berlin


def test_the_report_counts_a_lesson_practised_again_once(owner, curriculum, complete_lesson):
    """ "Practise again" on a finished lesson raised "Lessons completed" from 4 to 5 on /report/ while XP stayed
    the same: ``curriculum.selectors.learning_progress`` counts completed runs, not lessons."""
    from myApp.analytics.learner_report import learner_report

    complete_lesson(owner, curriculum.lessons_a[0])
    complete_lesson(owner, curriculum.lessons_a[0])  # "Practise again"

    assert learner_report(user=owner)["learning"]["lessons_completed"] == 1


def test_a_discharged_clients_page_says_when_their_sessions_will_be_deleted(db):
    """Discharging Tom B. under a 7-year policy said only "Tom B. is discharged." and, on the page, "discharged
    24 Nov 2026": nowhere the date the sessions and transcripts go."""
    lee = clinician_create("dr_dates")
    clinical_retention.clinical_retention_policy_set(clinician=lee, keep_years=7)
    client = client_create(lee, name="Tom Dates")
    session_with_transcript(client, days_ago=3)
    page = PageClient()
    page.force_login(lee)

    page.post(reverse("clinic:client_discharge", args=[client.pk]))
    body = page.get(reverse("clinic:client", args=[client.pk])).content.decode()

    discharged_at = Client.objects.get(pk=client.pk).discharged_at
    anniversary = discharged_at.replace(year=discharged_at.year + 7)
    assert f"{anniversary.day} {anniversary:%b %Y}" in body  # e.g. "24 Nov 2033"


def test_the_family_page_links_a_sharing_childs_full_report(member, owner):
    """The parent's Family links page links learning progress, wellbeing report and quests, not the new report
    (only the learning-progress page has a "Full report" link)."""
    page = PageClient()
    page.force_login(member)

    body = page.get(reverse("accounts:family")).content.decode()

    assert f'href="{reverse("reports:learner", args=[owner.pk])}"' in body  # not /chat/report/<id>/


def test_a_clinicians_page_of_a_linked_client_links_the_clients_report(db):
    """A clinician may read a linked client's report at /report/<user id>/, but no page links it: the client's
    page is /clinic/clients/<client id>/, a different number."""
    lee = clinician_create("dr_links")
    account = UserFactory(username="linked_client_account")
    client = client_create(lee, name="Linked Client", user=account)
    page = PageClient()
    page.force_login(lee)

    body = page.get(reverse("clinic:client", args=[client.pk])).content.decode()

    assert f'href="{reverse("reports:learner", args=[account.pk])}"' in body
    # Discharged, the report no longer opens to the clinician, so the page no longer offers it.
    page.post(reverse("clinic:client_discharge", args=[client.pk]))
    body = page.get(reverse("clinic:client", args=[client.pk])).content.decode()
    assert 'data-testid="client-learner-report"' not in body


def test_shortening_the_policy_warns_which_discharged_clients_sessions_it_will_delete(db):
    """Dr with "for good" and Elena R. discharged two years ago chose "for 1 year": the page said only "deleted
    1 year(s) after discharge" and the next sweep deletes Elena R.'s 4 sessions (``retention --dry-run``: "would
    delete 1 clients, 4 therapy sessions"), with no word of it before or after Save."""
    lee = clinician_create("dr_shorten")
    client = client_create(lee, name="Elena Past")
    session_with_transcript(client, days_ago=800)
    Client.objects.filter(pk=client.pk).update(
        discharged_at=datetime.datetime.now(UTC) - datetime.timedelta(days=2 * 366)
    )
    page = PageClient()
    page.force_login(lee)

    response = page.post(reverse("clinic:retention_policy"), {"keep_years": "1"}, follow=True)

    shown = " ".join(str(message) for message in get_messages(response.wsgi_request)) or response.content.decode()
    assert "Elena Past" in shown or "1 discharged client" in shown, shown
