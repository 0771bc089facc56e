"""The learner journey of seed 002 through the curriculum services."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from myApp.accounts.models import Profile
from myApp.accounts.services import profile_adjust_balance
from myApp.analytics.models import AnalyticsEvent
from myApp.curriculum import selectors, services
from myApp.curriculum.models import (
    Enrollment,
    ExerciseSubmission,
    LessonSessionState,
    LessonStepResponse,
    Purchase,
    UserProgress,
)
from myApp.lib.exceptions import Conflict, InsufficientBalance, NotAllowed, ServiceError
from tests.factories import CourseFactory, LevelFactory, ModuleFactory, VenueFactory


def balance(user) -> tuple[int, int, int]:
    profile = Profile.objects.get(user=user)
    return profile.xp, profile.coins, profile.tickets


def test_it_opens_the_first_module_and_its_venues_once(owner, curriculum):
    services.curriculum_start(user=owner)
    services.curriculum_start(user=owner)
    assert list(UserProgress.objects.filter(user=owner).values_list("module", flat=True)) == [curriculum.module_a.pk]
    assert selectors.unlocked_venue_ids(user=owner) == {curriculum.venue_a.pk}
    assert selectors.module_statuses(user=owner) == {curriculum.module_a.pk: "unlocked"}


def test_it_refuses_lessons_of_a_locked_module(owner, curriculum):
    services.curriculum_start(user=owner)
    with pytest.raises(Conflict, match="locked"):
        services.lesson_session_start(user=owner, lesson=curriculum.lessons_b[0])


def test_it_runs_a_lesson_step_by_step(owner, curriculum):
    services.curriculum_start(user=owner)
    lesson = curriculum.lessons_a[0]
    session, created = services.lesson_session_start(user=owner, lesson=lesson)
    assert created and session.state == LessonSessionState.CREATED
    resumed, created_again = services.lesson_session_start(user=owner, lesson=lesson)
    assert (resumed.pk, created_again) == (session.pk, False)

    session = services.lesson_session_answer(session=session, user=owner, value="  Ask a question  ", duration_ms=900)
    assert (session.state, session.current_step) == (LessonSessionState.IN_PROGRESS, 1)
    assert selectors.module_statuses(user=owner)[curriculum.module_a.pk] == "in_progress"
    with pytest.raises(Conflict, match="Answer every step"):
        services.lesson_session_finish(session=session, user=owner)
    session = services.lesson_session_answer(session=session, user=owner, value="A question")
    session = services.lesson_session_answer(session=session, user=owner, value=5)
    with pytest.raises(Conflict, match="Every step is answered"):
        services.lesson_session_answer(session=session, user=owner, value="extra")

    finish = services.lesson_session_finish(session=session, user=owner)
    session = finish.session
    assert session.state == LessonSessionState.COMPLETED and session.completed_at
    assert (finish.rewarded, finish.module_completed) == (True, False)
    assert list(LessonStepResponse.objects.filter(session=session).values_list("value", flat=True)) == [
        "Ask a question",
        "A question",
        5,
    ]
    assert ExerciseSubmission.objects.filter(lesson_session=session, stage="lesson").count() == 3
    assert balance(owner) == (lesson.xp_reward, 0, 0)
    with pytest.raises(Conflict, match="completed"):
        services.lesson_session_answer(session=session, user=owner, value="late")


@pytest.mark.parametrize(
    ("step_index", "value", "answers_before"),
    [
        (0, "   ", []),
        (0, "x" * 2001, []),
        (1, "An apology?", ["ok"]),
        (2, 6, ["ok", "A question"]),
        (2, True, ["ok", "A question"]),
    ],
)
def test_it_rejects_answers_that_do_not_fit_the_step(owner, curriculum, step_index, value, answers_before):
    services.curriculum_start(user=owner)
    session, _ = services.lesson_session_start(user=owner, lesson=curriculum.lessons_a[0])
    for answer in answers_before:
        session = services.lesson_session_answer(session=session, user=owner, value=answer)
    with pytest.raises(ServiceError) as refused:
        services.lesson_session_answer(session=session, user=owner, value=value)
    assert refused.value.status_code == 400 and "value" in refused.value.errors
    session.refresh_from_db()
    assert session.current_step == step_index


def test_it_keeps_other_learners_out_of_a_session(owner, outsider, curriculum):
    services.curriculum_start(user=owner)
    session, _ = services.lesson_session_start(user=owner, lesson=curriculum.lessons_a[0])
    for action in (services.lesson_session_finish, services.lesson_session_abandon):
        with pytest.raises(NotAllowed):
            action(session=session, user=outsider)
    with pytest.raises(NotAllowed):
        services.lesson_session_answer(session=session, user=outsider, value="hi")


def test_it_lets_a_learner_abandon_and_restart(owner, curriculum):
    services.curriculum_start(user=owner)
    session, _ = services.lesson_session_start(user=owner, lesson=curriculum.lessons_a[0])
    services.lesson_session_abandon(session=session, user=owner)
    fresh, created = services.lesson_session_start(user=owner, lesson=curriculum.lessons_a[0])
    assert created and fresh.pk != session.pk


def test_it_completes_a_module_once_and_unlocks_the_next(owner, curriculum, complete_lesson):
    services.curriculum_start(user=owner)
    complete_lesson(owner, curriculum.lessons_a[0])
    with pytest.raises(Conflict, match="every lesson"):
        services.module_complete(user=owner, module=curriculum.module_a)
    complete_lesson(owner, curriculum.lessons_a[1])  # the last lesson completes the module

    progress = UserProgress.objects.get(user=owner, module=curriculum.module_a)
    assert progress.completed_at is not None
    lessons_xp = sum(lesson.xp_reward for lesson in curriculum.lessons_a)
    module = curriculum.module_a
    assert balance(owner) == (lessons_xp + module.xp_reward, module.coin_reward, module.ticket_reward)
    assert services.module_complete(user=owner, module=module) is False
    assert balance(owner) == (lessons_xp + module.xp_reward, module.coin_reward, module.ticket_reward)

    assert selectors.module_statuses(user=owner) == {module.pk: "completed", curriculum.module_b.pk: "unlocked"}
    assert curriculum.venue_b.pk in selectors.unlocked_venue_ids(user=owner)
    assert selectors.district_full_access(user=owner) == {"old-town": True}
    assert AnalyticsEvent.objects.filter(user=owner, event_type="module_completed").count() == 1


def test_it_replays_a_lesson_without_paying_again(owner, curriculum, complete_lesson):
    services.curriculum_start(user=owner)
    complete_lesson(owner, curriculum.lessons_a[0])
    complete_lesson(owner, curriculum.lessons_a[0])
    assert balance(owner)[0] == curriculum.lessons_a[0].xp_reward


def test_it_unlocks_across_levels(owner, curriculum, complete_lesson):
    level_two_module = ModuleFactory(level__number=2, code="A", order=1)
    VenueFactory(district=curriculum.district, module=level_two_module, slug="arena")
    services.curriculum_start(user=owner)
    for lesson in curriculum.lessons_a + curriculum.lessons_b:
        complete_lesson(owner, lesson)
    assert selectors.module_statuses(user=owner)[level_two_module.pk] == "unlocked"


# --- Venues -----------------------------------------------------------------------


def test_it_refuses_a_locked_venue(owner, curriculum):
    services.curriculum_start(user=owner)
    profile_adjust_balance(user=owner, tickets=5)
    with pytest.raises(Conflict, match="locked"):
        services.venue_enter(user=owner, venue=curriculum.venue_b)
    assert balance(owner)[2] == 5


def test_it_refuses_entry_without_tickets_and_keeps_the_balance(owner, curriculum):
    services.curriculum_start(user=owner)
    with pytest.raises(InsufficientBalance):
        services.venue_enter(user=owner, venue=curriculum.venue_a)
    assert balance(owner) == (0, 0, 0)
    assert not curriculum.venue_a.entries.exists()


def test_it_charges_once_per_visit_and_pays_rewards_once(owner, outsider, curriculum):
    services.curriculum_start(user=owner)
    profile_adjust_balance(user=owner, tickets=3)
    entry, charged = services.venue_enter(user=owner, venue=curriculum.venue_a)
    again, charged_again = services.venue_enter(user=owner, venue=curriculum.venue_a)
    assert (charged, charged_again, again.pk) == (True, False, entry.pk)
    assert balance(owner) == (0, 0, 2)

    with pytest.raises(NotAllowed):
        services.venue_finish(user=outsider, entry=entry)
    finished = services.venue_finish(user=owner, entry=entry)
    assert (finished.xp_awarded, finished.coins_awarded) == (20, 5) and finished.finished_at
    with pytest.raises(Conflict, match="already finished"):
        services.venue_finish(user=owner, entry=entry)
    assert balance(owner) == (20, 5, 2)

    _, charged = services.venue_enter(user=owner, venue=curriculum.venue_a)
    assert charged and balance(owner)[2] == 1


# --- Milestones ---------------------------------------------------------------------

PASSING = {"clarity": 80, "structure": 75, "pacing": 70}
FAILING = {"clarity": 40, "structure": 50}


@pytest.fixture
def level_done(owner, curriculum, complete_lesson):
    services.curriculum_start(user=owner)
    for lesson in curriculum.lessons_a + curriculum.lessons_b:
        complete_lesson(owner, lesson)
    return curriculum.level


def test_it_requires_the_level_before_the_milestone(owner, curriculum):
    services.curriculum_start(user=owner)
    with pytest.raises(Conflict, match="every module"):
        services.milestone_submit(
            user=owner, level=curriculum.level, rubric_scores=PASSING, audio_url="https://a.example/x.wav"
        )


def test_it_pays_the_milestone_on_the_first_pass_only(owner, level_done):
    before = balance(owner)
    failed = services.milestone_submit(
        user=owner, level=level_done, rubric_scores=FAILING, audio_url="https://a.example/1.wav"
    )
    assert (failed.score, failed.pass_bool, failed.rewarded) == (45, False, False)
    assert balance(owner) == before

    passed = services.milestone_submit(
        user=owner, level=level_done, rubric_scores=PASSING, audio_url="https://a.example/2.wav", transcript="Hello"
    )
    assert (passed.score, passed.pass_bool, passed.rewarded) == (75, True, True)
    paid = (before[0] + level_done.milestone_xp_reward, before[1] + level_done.milestone_coin_reward, before[2])
    assert balance(owner) == paid

    again = services.milestone_submit(
        user=owner, level=level_done, rubric_scores=PASSING, audio_url="https://a.example/3.wav"
    )
    assert (again.pass_bool, again.rewarded) == (True, False)
    assert balance(owner) == paid


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rubric_scores": {}, "audio_url": "https://a.example/x.wav"}, "rubric_scores"),
        ({"rubric_scores": {"charisma": 90}, "audio_url": "https://a.example/x.wav"}, "rubric_scores"),
        ({"rubric_scores": {"clarity": 101}, "audio_url": "https://a.example/x.wav"}, "rubric_scores.clarity"),
        ({"rubric_scores": PASSING, "audio_url": "http://insecure.example/x.wav"}, "audio_url"),
        ({"rubric_scores": PASSING}, "audio"),
    ],
)
def test_it_rejects_bad_milestone_input(owner, level_done, kwargs, field):
    with pytest.raises(ServiceError) as refused:
        services.milestone_submit(user=owner, level=level_done, **kwargs)
    assert field in refused.value.errors
    assert not owner.milestone_attempts.exists()


# --- Amphitheatre -----------------------------------------------------------------


def test_it_runs_amphitheatre_visits(owner, outsider):
    session, created = services.amphitheatre_hub(user=owner)
    assert created and session.visit_number == 1 and session.plan
    assert services.amphitheatre_hub(user=owner) == (session, False)

    record = services.amphitheatre_submit(
        user=owner, session=session, exercise_key="story", scores={"clarity": 95, "pacing": 90}, reflection="Calmer"
    )
    story = next(item for item in session.plan if item["key"] == "story")
    assert (record.xp_delta, record.coins_delta, record.tickets_delta) == (story["xp"], story["coins"], 1)
    assert record.paid and record.scores == {"clarity": 95, "pacing": 90}
    assert balance(owner) == (story["xp"], story["coins"], 1)
    with pytest.raises(NotAllowed):
        services.amphitheatre_submit(user=outsider, session=session, exercise_key="story", scores={})
    with pytest.raises(ServiceError) as refused:
        services.amphitheatre_submit(user=owner, session=session, exercise_key="juggling", scores={})
    assert "exercise_key" in refused.value.errors

    services.amphitheatre_end(user=owner, session=session)
    with pytest.raises(Conflict):
        services.amphitheatre_submit(user=owner, session=session, exercise_key="story", scores={})
    session.refresh_from_db()
    assert session.points == story["xp"]
    second, created = services.amphitheatre_hub(user=owner)
    assert created and second.visit_number == 2
    history = list(selectors.amphitheatre_sessions_owned_by(user=owner))
    assert [visit.visit_number for visit in history] == [2, 1]


# --- Catalogue ---------------------------------------------------------------------


def test_it_enrolls_and_purchases_idempotently(owner):
    free, paid = CourseFactory(price=Decimal("0")), CourseFactory(price=Decimal("49.90"), currency="EUR")
    enrollment, created = services.course_enroll(user=owner, course=free)
    assert created and enrollment.is_paid
    assert services.course_enroll(user=owner, course=free)[1] is False

    with pytest.raises(ServiceError):
        services.course_purchase(user=owner, course=free)
    purchase, created = services.course_purchase(user=owner, course=paid)
    assert created and (purchase.amount, purchase.currency) == (Decimal("49.90"), "EUR")
    assert services.course_purchase(user=owner, course=paid)[1] is False
    assert Purchase.objects.filter(user=owner).count() == 1
    assert Enrollment.objects.get(user=owner, course=paid).is_paid


# --- Home dashboard -----------------------------------------------------------------


def test_it_builds_the_dashboard_in_constant_queries(owner, curriculum):
    services.curriculum_start(user=owner)

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            dashboard = selectors.home_dashboard(user=owner)
        assert dashboard.next_step.module == curriculum.module_a
        return len(queries)

    few = measure()
    for number in (2, 3, 4):
        level = LevelFactory(number=number)
        for order, code in enumerate("ABC"):
            module = ModuleFactory(level=level, order=order, code=code)
            VenueFactory(district=curriculum.district, module=module)
    assert measure() == few
