"""A learner who has done a bit of everything in the curriculum, built through the services."""

from types import SimpleNamespace

from myApp.accounts.services import profile_adjust_balance
from myApp.curriculum import services
from myApp.curriculum.models import Course, ExerciseAttempt, LessonSessionContext, Module, StakesMap
from myApp.curriculum.seeds import run_lesson
from tests.factories import LessonFactory


def learner_journey(owner, module: Module) -> SimpleNamespace:
    """One row of every kind of learner state for ``owner``, starting in ``module`` (seeded content).

    A one-lesson level of its own keeps the milestone cheap to reach. The three tables no
    service writes yet (legacy exercise attempts, lesson contexts, stakes maps) get a plain row.
    """
    services.curriculum_start(user=owner)
    run = run_lesson(owner, module.lessons.order_by("order").first())
    profile_adjust_balance(user=owner, tickets=1)
    entry, _ = services.venue_enter(user=owner, venue=module.venues.order_by("order").first())
    services.venue_finish(user=owner, entry=entry)
    visit, _ = services.amphitheatre_hub(user=owner)
    for key in ("warm_up", "impromptu"):
        services.amphitheatre_submit(user=owner, session=visit, exercise_key=key, scores={"clarity": 80})
    services.course_purchase(user=owner, course=Course.objects.exclude(price=0).first())
    short_lesson = LessonFactory(module__level__number=9, steps=[{"prompt": "Ready?", "kind": "scale"}])
    services.module_unlock(user=owner, module=short_lesson.module)
    run_lesson(owner, short_lesson)
    services.milestone_submit(
        user=owner,
        level=short_lesson.module.level,
        rubric_scores={"clarity": 90},
        audio_url="https://example.com/a.ogg",
    )
    ExerciseAttempt.objects.create(user=owner, module=module, exercise_key="intro_30s", score=70)
    LessonSessionContext.objects.create(user=owner, lesson=run.lesson, scenario_ref="stand-up")
    StakesMap.objects.create(user=owner, module=module, scenarios=["thesis defence"])
    return SimpleNamespace(module=module, run=run, visit=visit, entry=entry)
