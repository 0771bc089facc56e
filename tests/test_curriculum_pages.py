"""Curriculum pages through real URLs: the home dashboard, the module page and the lesson run."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myApp.accounts.models import Profile
from myApp.analytics.models import AnalyticsEvent
from myApp.curriculum import selectors, services
from myApp.curriculum.models import LessonSession, LessonSessionState, LessonStepResponse, UserProgress, Venue
from tests.factories import (
    DistrictFactory,
    KnowledgeBlockFactory,
    LessonFactory,
    LevelFactory,
    ModuleFactory,
    VenueFactory,
)

HOME_URL = reverse("accounts:home")


def _module_url(module) -> str:
    return reverse("curriculum:module", args=[module.pk])


def _session_url(session, action: str = "") -> str:
    return reverse(f"curriculum:session{'_' + action if action else ''}", args=[session.pk])


def _status_on(html: str, testid: str) -> str | None:
    match = re.search(rf'data-testid="{testid}" data-status="(\w+)"', html)
    return match.group(1) if match else None


def _xp(user) -> int:
    return Profile.objects.get(user=user).xp


def _step_field(html: str) -> str:
    """The answer widget the current step renders: textarea, radio or none."""
    form = re.search(r'<form[^>]*data-testid="step-form".*?</form>', html, re.S)
    if form is None:
        return "none"
    return "textarea" if "<textarea" in form.group(0) else "radio" if 'type="radio"' in form.group(0) else "other"


# --- Home dashboard ------------------------------------------------------------------


def _written_rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (UserProgress, AnalyticsEvent, Profile, LessonSession)}


def test_it_shows_module_a_open_to_a_new_learner_without_writing_on_home(client, owner, curriculum):
    client.force_login(owner)
    before = _written_rows(), list(Profile.objects.values())

    response = client.get(HOME_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert _status_on(html, f"module-{curriculum.module_a.pk}") == "unlocked"
    assert _status_on(html, f"module-{curriculum.module_b.pk}") == "locked"
    assert f'data-testid="next-step" href="{_module_url(curriculum.module_a)}"' in html
    assert 'data-testid="venue-cafe" data-unlocked="true"' in html
    assert 'data-testid="venue-town-hall" data-unlocked="false"' in html
    assert "2 tickets" in html  # the town hall's cost
    assert (_written_rows(), list(Profile.objects.values())) == before  # a GET writes nothing

    # The first module's row is written by the learner's first action in it, a POST.
    client.post(reverse("curriculum:lesson_start", args=[curriculum.lessons_a[0].pk]))
    assert UserProgress.objects.filter(user=owner, module=curriculum.module_a).exists()


def test_it_shows_only_the_learners_own_progress_on_home(client, owner, outsider, curriculum, complete_lesson):
    services.curriculum_start(user=outsider)
    for lesson in curriculum.lessons_a:
        complete_lesson(outsider, lesson)
    client.force_login(owner)

    html = client.get(HOME_URL).content.decode()

    assert _status_on(html, f"module-{curriculum.module_a.pk}") == "unlocked"
    assert _status_on(html, f"module-{curriculum.module_b.pk}") == "locked"


def _add_modules(level, codes: str, *, per_district: int = 2) -> list:
    """Modules ``codes`` in ``level``, each with one lesson and a venue (two venues per new district)."""
    lessons = []
    district = None
    for index, code in enumerate(codes):
        module = ModuleFactory(level=level, code=code, order="ABCD".index(code))
        lessons.append(LessonFactory(module=module, order=1))
        if index % per_district == 0:
            district = DistrictFactory()
        VenueFactory(district=district, module=module, ticket_cost=1)
    return lessons


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME_URL).status_code == 200
    return len(queries)


def test_it_renders_home_in_queries_that_do_not_grow_with_modules_and_venues(
    client, owner, complete_lesson, django_assert_max_num_queries
):
    level_1 = LevelFactory(number=1)
    lessons = _add_modules(level_1, "AB")
    client.force_login(owner)
    complete_lesson(owner, lessons[0])  # completes A, opens B and grants tickets
    small = _home_queries(client)
    assert small <= 16

    lessons += _add_modules(level_1, "CD") + _add_modules(LevelFactory(number=2), "ABCD")
    complete_lesson(owner, lessons[1])
    complete_lesson(owner, lessons[2])
    venues = list(Venue.objects.filter(pk__in=selectors.unlocked_venue_ids(user=owner)).order_by("pk"))
    services.venue_enter(user=owner, venue=venues[0])
    entry, _ = services.venue_enter(user=owner, venue=venues[1])
    services.venue_finish(user=owner, entry=entry)
    html = client.get(HOME_URL).content.decode()
    assert html.count('class="module-item"') == 8
    assert html.count('data-unlocked="true"') == 4
    with django_assert_max_num_queries(small):
        assert client.get(HOME_URL).status_code == 200


# --- Module page ---------------------------------------------------------------------


def test_it_shows_a_module_with_lessons_video_and_knowledge_blocks(client, owner, curriculum, complete_lesson):
    module = curriculum.module_a
    module.description = "Stand, breathe, and own the room."
    module.lesson_video_url = "https://video.example.com/presence"
    module.save()
    KnowledgeBlockFactory(module=module, title="Grounding", summary="Feet flat, shoulders loose.")
    services.curriculum_start(user=owner)
    first, second = curriculum.lessons_a
    complete_lesson(owner, first)
    client.force_login(owner)

    response = client.get(_module_url(module))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Module A: Presence" in html
    assert "Stand, breathe, and own the room." in html
    assert 'href="https://video.example.com/presence"' in html
    assert "Grounding" in html and "Feet flat, shoulders loose." in html
    assert f'data-testid="lesson-{first.pk}" data-completed="1"' in html
    assert f'data-testid="lesson-{second.pk}" data-completed="0"' in html
    for lesson in curriculum.lessons_a:
        assert f'action="{reverse("curriculum:lesson_start", args=[lesson.pk])}"' in html


def test_it_explains_why_a_module_is_locked_and_offers_no_start(client, owner, curriculum):
    services.curriculum_start(user=owner)
    client.force_login(owner)

    response = client.get(_module_url(curriculum.module_b))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="locked-reason"' in html
    assert "complete the module before it" in html
    assert reverse("curriculum:lesson_start", args=[curriculum.lessons_b[0].pk]) not in html


def test_it_refuses_to_start_a_lesson_of_a_locked_module(client, owner, curriculum):
    services.curriculum_start(user=owner)
    client.force_login(owner)

    response = client.post(reverse("curriculum:lesson_start", args=[curriculum.lessons_b[0].pk]))

    assert response.status_code == 409
    assert "This lesson&#x27;s module is locked." in response.content.decode()
    assert not LessonSession.objects.filter(user=owner).exists()


def test_it_renders_the_module_page_in_queries_that_do_not_grow_with_lessons(
    client, owner, curriculum, complete_lesson, django_assert_max_num_queries
):
    services.curriculum_start(user=owner)
    complete_lesson(owner, curriculum.lessons_a[0])
    services.lesson_session_start(user=owner, lesson=curriculum.lessons_a[1])
    KnowledgeBlockFactory(module=curriculum.module_a, order=1)
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_module_url(curriculum.module_a)).status_code == 200
    small = len(queries)

    for order in range(3, 9):
        lesson = LessonFactory(module=curriculum.module_a, order=order)
        KnowledgeBlockFactory(module=curriculum.module_a, order=order)
        complete_lesson(owner, lesson)
    with django_assert_max_num_queries(small):
        html = client.get(_module_url(curriculum.module_a)).content.decode()
    assert html.count('class="card lesson-card"') == 8


# --- Lesson run ------------------------------------------------------------------------


def _run_lesson_through_pages(client, lesson) -> None:
    response = client.post(reverse("curriculum:lesson_start", args=[lesson.pk]))
    assert response.status_code == 302
    session = LessonSession.objects.get(user__username="owner", lesson=lesson, state=LessonSessionState.CREATED)
    assert response["Location"] == _session_url(session)
    seen_fields = []
    for step, answer in enumerate(["Open with a question", "A question", "4"]):
        html = client.get(_session_url(session)).content.decode()
        seen_fields.append(_step_field(html))
        assert lesson.steps[step]["prompt"] in html
        assert f"Step {step + 1} of 3" in html
        response = client.post(_session_url(session, "answer"), {"step": step, "value": answer})
        assert response.status_code == 302, response.content.decode()
    assert seen_fields == ["textarea", "radio", "radio"]
    html = client.get(_session_url(session)).content.decode()
    assert _step_field(html) == "none"
    assert 'data-testid="finish"' in html
    response = client.post(_session_url(session, "finish"))
    assert response.status_code == 302
    assert response["Location"] == _module_url(lesson.module)


def test_it_runs_module_a_through_the_pages_and_opens_module_b(client, owner, curriculum):
    client.force_login(owner)
    client.get(HOME_URL)
    first, second = curriculum.lessons_a

    _run_lesson_through_pages(client, first)

    assert _xp(owner) == first.xp_reward
    page = client.get(_module_url(curriculum.module_a))
    messages = [str(message) for message in page.context["messages"]]
    assert any("you finished" in message for message in messages), messages
    assert f'data-testid="lesson-{first.pk}" data-completed="1"' in page.content.decode()
    assert _status_on(client.get(HOME_URL).content.decode(), f"module-{curriculum.module_a.pk}") == "in_progress"

    _run_lesson_through_pages(client, second)

    assert _xp(owner) == first.xp_reward + second.xp_reward + curriculum.module_a.xp_reward
    html = client.get(HOME_URL).content.decode()
    assert _status_on(html, f"module-{curriculum.module_a.pk}") == "completed"
    assert _status_on(html, f"module-{curriculum.module_b.pk}") == "unlocked"
    assert f'data-testid="next-step" href="{_module_url(curriculum.module_b)}"' in html
    assert 'data-testid="venue-town-hall" data-unlocked="true"' in html


def test_it_renders_radio_groups_in_a_fieldset_with_a_legend(client, owner, curriculum):
    services.curriculum_start(user=owner)
    session, _ = services.lesson_session_start(user=owner, lesson=curriculum.lessons_a[0])
    services.lesson_session_answer(session=session, user=owner, value="An answer")
    client.force_login(owner)

    html = client.get(_session_url(session)).content.decode()

    assert "<legend>Pick the strongest opener.</legend>" in html
    assert '<label for="id_value_0"><input type="radio" name="value" value="A question"' in html
    assert "What makes an opening memorable?" in html  # the answered step shows in the summary only
    assert "<textarea" not in html


@pytest.mark.parametrize(
    ("answered", "value", "error"),
    [
        (0, "   ", "This field is required."),
        (1, "A shrug", "Select a valid choice."),
        (2, "9", "Select a valid choice."),
    ],
)
def test_it_rejects_a_bad_answer_with_400_and_shows_the_error(client, owner, curriculum, answered, value, error):
    services.curriculum_start(user=owner)
    session, _ = services.lesson_session_start(user=owner, lesson=curriculum.lessons_a[0])
    for answer in ["An answer", "A question"][:answered]:
        services.lesson_session_answer(session=session, user=owner, value=answer)
    client.force_login(owner)

    response = client.post(_session_url(session, "answer"), {"step": answered, "value": value})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_value_error"' in html
    assert error in html
    session.refresh_from_db()
    assert session.current_step == answered
    assert LessonStepResponse.objects.filter(session=session).count() == answered


def test_it_ignores_a_resubmitted_step(client, owner, curriculum):
    services.curriculum_start(user=owner)
    session, _ = services.lesson_session_start(user=owner, lesson=curriculum.lessons_a[0])
    client.force_login(owner)
    assert client.post(_session_url(session, "answer"), {"step": 0, "value": "First"}).status_code == 302

    response = client.post(_session_url(session, "answer"), {"step": 0, "value": "First"})

    assert response.status_code == 302
    assert LessonStepResponse.objects.filter(session=session).count() == 1


def test_it_refuses_to_finish_before_every_step_is_answered(client, owner, curriculum):
    services.curriculum_start(user=owner)
    session, _ = services.lesson_session_start(user=owner, lesson=curriculum.lessons_a[0])
    client.force_login(owner)

    response = client.post(_session_url(session, "finish"))

    assert response.status_code == 409
    assert "Answer every step before finishing." in response.content.decode()
    session.refresh_from_db()
    assert session.state == LessonSessionState.CREATED
    assert _xp(owner) == 0


def test_it_shows_a_finished_session_as_a_summary_without_a_form(client, owner, curriculum, complete_lesson):
    services.curriculum_start(user=owner)
    session = complete_lesson(owner, curriculum.lessons_a[0])
    client.force_login(owner)

    response = client.get(_session_url(session))

    assert response.status_code == 200
    html = response.content.decode()
    assert _step_field(html) == "none"
    assert 'data-testid="finish"' not in html
    assert "This run is completed" in html
    for answer in ("Open with a question", "A question", "<dd>4</dd>"):
        assert answer in html
    response = client.post(_session_url(session, "answer"), {"step": 3, "value": "More"})
    assert response.status_code == 409


def test_it_lets_a_learner_leave_a_lesson(client, owner, curriculum):
    services.curriculum_start(user=owner)
    session, _ = services.lesson_session_start(user=owner, lesson=curriculum.lessons_a[0])
    client.force_login(owner)

    response = client.post(_session_url(session, "abandon"))

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.state == LessonSessionState.ABANDONED
    assert "This run is abandoned" in client.get(_session_url(session)).content.decode()


def test_it_hides_a_learners_lesson_session_from_an_outsider(client, owner, outsider, curriculum):
    services.curriculum_start(user=owner)
    session, _ = services.lesson_session_start(user=owner, lesson=curriculum.lessons_a[0])
    services.lesson_session_answer(session=session, user=owner, value="Mine")
    client.force_login(outsider)

    assert client.get(_session_url(session)).status_code == 404
    assert client.post(_session_url(session, "answer"), {"step": 1, "value": "A question"}).status_code == 404
    assert client.post(_session_url(session, "finish")).status_code == 404
    assert client.post(_session_url(session, "abandon")).status_code == 404

    session.refresh_from_db()
    assert (session.state, session.current_step) == (LessonSessionState.IN_PROGRESS, 1)
    assert LessonStepResponse.objects.filter(session=session).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("curriculum:district_map"),
        reverse("curriculum:amphitheatre"),
        reverse("curriculum:amphitheatre_history"),
        reverse("curriculum:courses"),
        reverse("curriculum:module", args=[1]),
        reverse("curriculum:milestone", args=[1]),
        reverse("curriculum:venue", args=["cafe"]),
    ],
)
def test_it_sends_anonymous_visitors_to_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
