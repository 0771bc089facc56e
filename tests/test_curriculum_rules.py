"""Curriculum rules that live in services, so a page, the API and the admin share them."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from myApp.accounts.models import Profile
from myApp.analytics.models import AnalyticsEvent
from myApp.curriculum import economy, services
from myApp.curriculum.models import (
    Enrollment,
    LessonSession,
    LessonSessionContext,
    LessonStepResponse,
    UserProgress,
    VenueEntry,
)
from tests.factories import CourseFactory

V1 = "/api/v1"


class Boom(RuntimeError):
    pass


def _explode(**kwargs):
    raise Boom("the analytics write failed")


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Atomic services ----------------------------------------------------------------------


def test_it_starts_a_lesson_all_or_nothing(owner, curriculum, monkeypatch):
    """The learner's first start writes module A's progress row, then the run: a failure after
    the first write leaves neither."""
    monkeypatch.setattr("myApp.curriculum.services.lessons.track", _explode)

    with pytest.raises(Boom):
        services.lesson_session_start(user=owner, lesson=curriculum.lessons_a[0])

    assert not UserProgress.objects.filter(user=owner).exists()
    assert not LessonSession.objects.filter(user=owner).exists()
    assert not AnalyticsEvent.objects.filter(user=owner).exists()


def test_it_starts_a_later_lesson_without_leaving_a_scenario_behind(owner, curriculum, complete_lesson, monkeypatch):
    services.stakes_map_set(user=owner, module=curriculum.module_a, scenarios=["Thesis defence"])
    for lesson in curriculum.lessons_a:
        complete_lesson(owner, lesson)
    monkeypatch.setattr("myApp.curriculum.services.lessons.track", _explode)

    with pytest.raises(Boom):
        services.lesson_session_start(user=owner, lesson=curriculum.lessons_b[0])

    assert not LessonSession.objects.filter(user=owner, lesson__module=curriculum.module_b).exists()
    assert not LessonSessionContext.objects.exists()
    assert UserProgress.objects.get(user=owner, module=curriculum.module_b).current_lesson is None


def test_it_enrolls_all_or_nothing(owner, monkeypatch):
    course = CourseFactory()
    monkeypatch.setattr("myApp.curriculum.services.catalogue.track", _explode)

    with pytest.raises(Boom):
        services.course_enroll(user=owner, course=course)

    assert not Enrollment.objects.filter(user=owner).exists()


# --- One rule for a step already answered ---------------------------------------------------


def test_it_refuses_an_answer_to_a_step_already_answered_in_the_api(api_as, owner, curriculum):
    api = api_as(owner)
    session = api.post(f"{V1}/lesson-sessions/", {"lesson": curriculum.lessons_a[0].pk}).json()
    url = f"{V1}/lesson-sessions/{session['id']}/answer/"

    assert api.post(url, {"value": "Open with a question", "step": 0}).status_code == 200
    retried = api.post(url, {"value": "Open with a question", "step": 0})  # a retried request

    assert retried.status_code == 409
    assert retried.json()["errors"] == {"step": ["already_answered"]}
    assert LessonStepResponse.objects.filter(session_id=session["id"]).count() == 1
    assert api.post(url, {"value": "A question", "step": 1}).json()["current_step"] == 2


def test_it_says_a_resubmitted_page_step_was_answered(client, owner, curriculum):
    client.force_login(owner)
    client.post(reverse("curriculum:lesson_start", args=[curriculum.lessons_a[0].pk]))
    session = LessonSession.objects.get(user=owner)
    url = reverse("curriculum:session_answer", args=[session.pk])

    client.post(url, {"step": "0", "value": "Open with a question"})
    resubmitted = client.post(url, {"step": "0", "value": "Open with a question"})

    assert resubmitted.status_code == 302
    assert "That step was already answered; here is the next one." in _messages(resubmitted)
    assert LessonStepResponse.objects.filter(session=session).count() == 1


# --- Did this finish complete the module? -----------------------------------------------------


def test_it_says_the_module_is_complete_only_on_the_finish_that_completed_it(client, owner, curriculum):
    client.force_login(owner)

    def run(lesson):
        client.post(reverse("curriculum:lesson_start", args=[lesson.pk]), follow=True)
        session = LessonSession.objects.get(user=owner, lesson=lesson, state__in=["created", "in_progress"])
        for step, value in enumerate(["Open with a question", "A question", "4"]):
            answer_url = reverse("curriculum:session_answer", args=[session.pk])
            client.post(answer_url, {"step": str(step), "value": value}, follow=True)
        finished = client.post(reverse("curriculum:session_finish", args=[session.pk]), follow=True)
        return [str(message) for message in finished.context["messages"]]

    completed = "Module A complete: the next step is open on your home page."
    assert completed not in run(curriculum.lessons_a[0])
    assert completed in run(curriculum.lessons_a[1])
    assert completed not in run(curriculum.lessons_a[1])  # a replay completes nothing


def test_it_returns_what_a_finish_did(owner, curriculum, complete_lesson):
    complete_lesson(owner, curriculum.lessons_a[0])
    session, _ = services.lesson_session_start(user=owner, lesson=curriculum.lessons_a[1])
    for value in ("Open with a question", "A question", 4):
        session = services.lesson_session_answer(session=session, user=owner, value=value)

    finish = services.lesson_session_finish(session=session, user=owner)

    assert (finish.session.state, finish.rewarded, finish.module_completed) == ("completed", True, True)


# --- Not enough tickets: one message for the page and the API ------------------------------------


def test_it_explains_missing_tickets_alike_on_the_page_and_the_api(client, api_as, owner, curriculum):
    expected = economy.not_enough_tickets_message(venue_name="Cafe", cost=1, tickets=0)
    client.force_login(owner)

    page = client.post(reverse("curriculum:venue_enter", args=[curriculum.venue_a.slug]))
    api = api_as(owner).post(f"{V1}/venues/{curriculum.venue_a.pk}/enter/")

    assert page.status_code == 409 and expected in page.content.decode().replace("&#x27;", "'")
    assert (api.status_code, api.json()["detail"]) == (409, expected)
    assert api.json()["errors"] == {"tickets": ["Not enough."]}
    assert not VenueEntry.objects.exists()


# --- Ticket grants: one amount, one service ----------------------------------------------------


def test_it_grants_the_same_amount_from_both_admin_actions_and_logs_who(
    staff_client, staff, owner, outsider, curriculum
):
    staff_client.post(
        reverse("admin:accounts_user_changelist"), {"action": "grant_tickets", "_selected_action": [owner.pk]}
    )
    entry, _ = services.venue_enter(user=owner, venue=_open_venue(owner))
    staff_client.post(
        reverse("admin:curriculum_venueentry_changelist"),
        {"action": "grant_tickets", "_selected_action": [entry.pk]},
    )

    spent = entry.tickets_spent
    assert Profile.objects.get(user=owner).tickets == 2 * economy.STAFF_TICKET_GRANT - spent
    grants = AnalyticsEvent.objects.filter(user=owner, event_type="tickets_granted")
    assert [event.event_data for event in grants] == [{"tickets": economy.STAFF_TICKET_GRANT, "by": staff.pk}] * 2
    assert Profile.objects.get(user=outsider).tickets == 0


def _open_venue(user):
    from myApp.curriculum import selectors
    from myApp.curriculum.models import Venue

    return Venue.objects.filter(pk__in=selectors.unlocked_venue_ids(user=user)).order_by("pk").first()


# --- One district card for the map and the home page ----------------------------------------------


def test_it_renders_district_cards_from_one_template(client, owner, curriculum):
    client.force_login(owner)

    for url in (reverse("accounts:home"), reverse("curriculum:district_map")):
        response = client.get(url)
        used = [template.name for template in response.templates]
        assert used.count("curriculum/_district_card.html") == 1, url  # one district in the fixture
        assert 'data-testid="district-old-town"' in response.content.decode()
