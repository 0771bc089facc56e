"""A learner who has done a bit of everything in the curriculum, built through the services."""

from types import SimpleNamespace

from myApp.accounts.services import profile_adjust_balance
from myApp.curriculum import services
from myApp.curriculum.models import Course, Module
from myApp.curriculum.seeds import run_lesson
from tests.factories import LessonFactory


def learner_journey(owner, module: Module) -> SimpleNamespace:
    """One row of every kind of learner state for ``owner``, starting in ``module`` (seeded content).

    A one-lesson level of its own keeps the milestone cheap to reach. ``module`` is the first
    module, where the learner names a high-stakes situation that the later lesson rehearses.
    """
    services.curriculum_start(user=owner)
    services.stakes_map_set(user=owner, module=module, scenarios=["thesis defence"])
    run = run_lesson(owner, module.lessons.order_by("order").first())
    profile_adjust_balance(user=owner, tickets=1)
    venue = module.venues.order_by("order").first()
    entry, _ = services.venue_enter(user=owner, venue=venue)
    exercise_key = venue.task_sheets.first().exercises[0]["key"]
    services.venue_exercise_attempt(user=owner, entry=entry, exercise_key=exercise_key, score=70)
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
    return SimpleNamespace(module=module, run=run, visit=visit, entry=entry)
