"""Rewards once and balances never negative when learners (or their retries) race.

Real threads on PostgreSQL, each with its own connection; SQLite has no row locks.
"""

import pytest

from myApp.accounts.models import Profile
from myApp.accounts.services import profile_adjust_balance
from myApp.curriculum import economy, services
from myApp.curriculum.models import (
    AmphitheatreExerciseRecord,
    Lesson,
    LessonSession,
    MilestoneAttempt,
    UserProgress,
    VenueEntry,
)
from myApp.curriculum.services import lessons
from myApp.lib.exceptions import ServiceError
from tests.concurrency import Gate, hold_first_then_run, race
from tests.conftest import STEP_ANSWERS
from tests.factories import VenueFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def answered_session(user, lesson) -> LessonSession:
    session, _ = services.lesson_session_start(user=user, lesson=lesson)
    for answer in STEP_ANSWERS:
        session = services.lesson_session_answer(session=session, user=user, value=answer)
    return session


def tickets(user) -> int:
    return Profile.objects.get(user=user).tickets


def test_it_pays_a_module_once_when_completions_race(owner, curriculum, complete_lesson):
    services.curriculum_start(user=owner)
    complete_lesson(owner, curriculum.lessons_a[0])
    last = answered_session(owner, curriculum.lessons_a[1])
    xp_before = Profile.objects.get(user=owner).xp

    finish = lambda: services.lesson_session_finish(session=last, user=owner)  # noqa: E731
    complete = lambda: services.module_complete(user=owner, module=curriculum.module_a)  # noqa: E731
    race(finish, *[complete] * 7)

    module = curriculum.module_a
    profile = Profile.objects.get(user=owner)
    assert profile.xp == xp_before + curriculum.lessons_a[1].xp_reward + module.xp_reward
    assert (profile.coins, profile.tickets) == (module.coin_reward, module.ticket_reward)
    assert UserProgress.objects.get(user=owner, module=module).completed_at is not None


def test_it_completes_the_module_when_its_last_two_lessons_finish_together(owner, curriculum, monkeypatch):
    # Lessons that pay no XP: otherwise the XP update on the profile row would serialise the
    # two finishes by accident and hide a missing lock.
    Lesson.objects.filter(module=curriculum.module_a).update(xp_reward=0)
    services.curriculum_start(user=owner)
    first, second = (answered_session(owner, lesson) for lesson in curriculum.lessons_a)
    # The first finish checks "are all lessons done?" (no: the second is not finished) and stops there,
    # uncommitted. Only then does the second finish start. Without a lock that serialises finishes in a
    # module, it checks (no: the first has not committed) and commits, and the module is never completed.
    # With it, it must wait for the first to commit, which PostgreSQL shows before the first goes on.
    gate = Gate()
    check = lessons.module_lessons_all_completed

    def check_then_hold(**kwargs):
        done = check(**kwargs)
        gate()
        return done

    monkeypatch.setattr(lessons, "module_lessons_all_completed", check_then_hold)
    run = hold_first_then_run(
        lambda: services.lesson_session_finish(session=first, user=owner),
        lambda: services.lesson_session_finish(session=second, user=owner),
        gate=gate,
    )
    assert run.second_waited_on, "the second finish ran to its end while the first had checked and not committed"
    assert UserProgress.objects.get(user=owner, module=curriculum.module_a).completed_at is not None
    assert Profile.objects.get(user=owner).coins == curriculum.module_a.coin_reward


def test_it_starts_one_session_when_starts_race(owner, curriculum):
    services.curriculum_start(user=owner)
    results = race(*[lambda: services.lesson_session_start(user=owner, lesson=curriculum.lessons_a[0])] * 6)
    assert len({session.pk for session, _ in results}) == 1
    assert LessonSession.objects.filter(user=owner).count() == 1


def test_it_never_overdraws_tickets_when_entries_race(owner, curriculum):
    extra = [VenueFactory(district=curriculum.district, module=curriculum.module_a) for _ in range(5)]
    services.curriculum_start(user=owner)
    profile_adjust_balance(user=owner, tickets=3)
    venues = [curriculum.venue_a, *extra]
    results = race(*[lambda venue=venue: services.venue_enter(user=owner, venue=venue) for venue in venues])
    entered = [result for result in results if not isinstance(result, ServiceError)]
    assert len(entered) == 3
    assert all(error.status_code == 409 for error in results if isinstance(error, ServiceError))
    assert tickets(owner) == 0
    assert VenueEntry.objects.filter(user=owner).count() == 3


def test_it_charges_once_when_the_same_entry_races(owner, curriculum):
    services.curriculum_start(user=owner)
    profile_adjust_balance(user=owner, tickets=5)
    results = race(*[lambda: services.venue_enter(user=owner, venue=curriculum.venue_a)] * 6)
    assert len({entry.pk for entry, _ in results}) == 1
    assert sum(charged for _, charged in results) == 1
    assert tickets(owner) == 4


def test_it_pays_a_visit_once_when_finishes_race(owner, curriculum):
    services.curriculum_start(user=owner)
    profile_adjust_balance(user=owner, tickets=1)
    entry, _ = services.venue_enter(user=owner, venue=curriculum.venue_a)
    results = race(*[lambda: services.venue_finish(user=owner, entry=entry)] * 6)
    assert sum(not isinstance(result, ServiceError) for result in results) == 1
    profile = Profile.objects.get(user=owner)
    assert (profile.xp, profile.coins) == (curriculum.venue_a.xp_reward, curriculum.venue_a.coin_reward)


def test_it_pays_a_milestone_once_when_passes_race(owner, curriculum, complete_lesson):
    services.curriculum_start(user=owner)
    for lesson in curriculum.lessons_a + curriculum.lessons_b:
        complete_lesson(owner, lesson)
    xp_before = Profile.objects.get(user=owner).xp
    submit = lambda: services.milestone_submit(  # noqa: E731
        user=owner, level=curriculum.level, rubric_scores={"clarity": 90}, audio_url="https://a.example/take.wav"
    )
    race(*[submit] * 6)
    assert MilestoneAttempt.objects.filter(user=owner, pass_bool=True).count() == 6
    assert MilestoneAttempt.objects.filter(user=owner, rewarded=True).count() == 1
    assert Profile.objects.get(user=owner).xp == xp_before + curriculum.level.milestone_xp_reward


def test_it_pays_an_amphitheatre_exercise_once_when_submissions_race(owner):
    session, _ = services.amphitheatre_hub(user=owner)
    submit = lambda: services.amphitheatre_submit(  # noqa: E731
        user=owner, session=session, exercise_key="story", scores={"clarity": 100}
    )
    results = race(*[submit] * 6)
    assert not [result for result in results if isinstance(result, ServiceError)]
    assert AmphitheatreExerciseRecord.objects.filter(session=session).count() == 6
    assert AmphitheatreExerciseRecord.objects.filter(session=session, paid=True).count() == 1
    story = next(item for item in session.plan if item["key"] == "story")
    profile = Profile.objects.get(user=owner)
    assert (profile.xp, profile.coins, profile.tickets) == economy.plan_amounts(story)


def test_it_opens_one_paying_visit_when_opens_race_at_the_daily_bound(owner):
    for _ in range(economy.AMPHITHEATRE_PAYING_VISITS_PER_DAY - 1):
        visit, _ = services.amphitheatre_hub(user=owner)
        services.amphitheatre_submit(user=owner, session=visit, exercise_key="warm_up", scores={})
        services.amphitheatre_end(user=owner, session=visit)
    results = race(*[lambda: services.amphitheatre_hub(user=owner)] * 6)
    assert len({session.pk for session, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert results[0][0].paying
