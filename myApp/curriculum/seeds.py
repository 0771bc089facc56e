"""Seed targets for the curriculum: ``module_a_sample`` and the learner half of ``demo``.

Content (levels, modules, lessons, knowledge blocks, the world, the catalogue) is
staff-managed data, written with the ORM keyed by natural keys: ``Level.number``,
``(level, code)``, ``(module, order)``, ``District.slug``, ``Venue.slug``,
``(venue, order)`` and ``Course.course_number``. A row is saved only when a field
differs from ``seed_content``, so a second run changes nothing (not even
``updated_at``) and an improved text reaches existing databases on the next run.

Learner progress is never written by hand: the demo learners move through the
curriculum services, and each step first checks the state it would create.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from rich.console import Console
from rich.table import Table

from myApp.accounts.models import User
from myApp.accounts.seeds import staff_user
from myApp.curriculum import load as _load  # noqa: F401  (registers the curriculum steps of ``load``)
from myApp.curriculum import services
from myApp.curriculum.models import (
    AmphitheatreSession,
    Course,
    District,
    KnowledgeBlock,
    Lesson,
    LessonSession,
    LessonSessionState,
    Level,
    Module,
    StakesMap,
    Venue,
    VenueEntry,
    VenueTaskSheet,
)
from myApp.curriculum.seed_content import COURSES, DISTRICTS, KNOWLEDGE_BLOCKS, LEVEL, MODULES
from myApp.lib.seeding import seed_target

# What the demo learner answers in a lesson, per step kind (a choice step takes its first choice).
DEMO_TEXT_ANSWER = "I will open with a question, breathe out slowly, and look at one friendly face."
DEMO_SCALE_ANSWER = 4
DEMO_VENUE = "corner-cafe"
DEMO_FREE_COURSE = 101
DEMO_PAID_COURSE = 102
DEMO_STAKES = ["My thesis defence in June", "The Monday team stand-up"]


@dataclass
class Tally:
    """Created / updated / unchanged rows per model, printed as one table at the end."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def show(self, console: Console, title: str) -> None:
        table = Table(title=title)
        for column in ("rows", "created", "updated", "unchanged"):
            table.add_column(column, justify="left" if column == "rows" else "right")
        for name in dict.fromkeys([*self.created, *self.updated, *self.unchanged]):
            table.add_row(name, str(self.created[name]), str(self.updated[name]), str(self.unchanged[name]))
        console.print(table)


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    model_field = obj._meta.get_field(name)
    if model_field.is_relation:  # compare keys, so no related row is fetched
        return getattr(obj, model_field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def sync[M: models.Model](model: type[M], tally: Tally, *, defaults: dict[str, Any], **natural_key: Any) -> M:
    """Create the row with ``natural_key``, or bring its ``defaults`` up to date; save only what changed."""
    obj = model._default_manager.filter(**natural_key).first()
    name = str(model._meta.verbose_name_plural).capitalize()
    if obj is None:
        tally.created[name] += 1
        return model._default_manager.create(**natural_key, **defaults)
    changed = [field_name for field_name, value in defaults.items() if _differs(obj, field_name, value)]
    if not changed:
        tally.unchanged[name] += 1
        return obj
    for field_name in changed:
        setattr(obj, field_name, defaults[field_name])
    auto_now = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    obj.save(update_fields=[*changed, *auto_now])
    tally.updated[name] += 1
    return obj


def _without(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in keys}


def load_module_a_content(console: Console) -> Level:
    """Level 1 with modules A-D, lessons, knowledge blocks, districts, venues, task sheets and courses."""
    tally = Tally()
    level = sync(Level, tally, number=LEVEL["number"], defaults=_without(LEVEL, "number"))
    modules: dict[str, Module] = {}
    for module_data in MODULES:
        module = sync(
            Module, tally, level=level, code=module_data["code"], defaults=_without(module_data, "code", "lessons")
        )
        modules[module.code] = module
        for lesson in module_data["lessons"]:
            sync(Lesson, tally, module=module, order=lesson["order"], defaults=_without(lesson, "order"))
        for block in KNOWLEDGE_BLOCKS[module.code]:
            sync(KnowledgeBlock, tally, module=module, order=block["order"], defaults=_without(block, "order"))
    console.print(f"  [green]{level}[/green] with modules {', '.join(f'{m.code} {m.title}' for m in modules.values())}")

    for district_data in DISTRICTS:
        district = sync(District, tally, slug=district_data["slug"], defaults=_without(district_data, "slug", "venues"))
        for venue_data in district_data["venues"]:
            venue = sync(
                Venue,
                tally,
                slug=venue_data["slug"],
                defaults={
                    **_without(venue_data, "slug", "module", "task_sheet"),
                    "district": district,
                    "module": modules[venue_data["module"]],
                },
            )
            sync(VenueTaskSheet, tally, venue=venue, order=1, defaults=venue_data["task_sheet"])
        console.print(
            f"  [green]{district.name}[/green]: {', '.join(venue['name'] for venue in district_data['venues'])}"
        )

    for course in COURSES:
        sync(Course, tally, course_number=course["course_number"], defaults=_without(course, "course_number"))
    countries = sorted({course["country"] for course in COURSES})
    console.print(f"  [green]Catalogue[/green]: {len(COURSES)} courses in {', '.join(countries)}")
    tally.show(console, "module_a_sample content")
    return level


@seed_target(
    "module_a_sample",
    help=(
        "Level 1 'Foundations': modules A-D with lessons and knowledge blocks, two districts of venues "
        "with task sheets, a small course catalogue, and the staff user."
    ),
)
def module_a_sample(console: Console) -> None:
    staff_user(console)
    load_module_a_content(console)


# --- demo: learners with varied progress, all through the services -------------------------


def answer_for(step: dict[str, Any]) -> Any:
    """A plausible answer to one lesson step, valid for its kind."""
    kind = step.get("kind", "text")
    if kind == "choice":
        return step["choices"][0]
    if kind == "scale":
        return DEMO_SCALE_ANSWER
    return DEMO_TEXT_ANSWER


def run_lesson(user: User, lesson: Lesson, *, steps: int | None = None) -> LessonSession:
    """Answer ``steps`` steps of ``lesson`` (all of them by default), finishing the run when all are done."""
    session, _ = services.lesson_session_start(user=user, lesson=lesson)
    wanted = len(lesson.steps) if steps is None else steps
    while session.current_step < wanted:
        step = lesson.steps[session.current_step]
        session = services.lesson_session_answer(session=session, user=user, value=answer_for(step), duration_ms=45_000)
    if session.current_step >= len(lesson.steps):
        session = services.lesson_session_finish(session=session, user=user).session
    return session


def _lesson_completed(user: User, lesson: Lesson) -> bool:
    return LessonSession.objects.filter(user=user, lesson=lesson, state=LessonSessionState.COMPLETED).exists()


def _demo_learner(console: Console, learner: User, level: Level) -> None:
    services.curriculum_start(user=learner)
    module_a, module_b = level.modules.order_by("order")[:2]
    if not StakesMap.objects.filter(user=learner).exists():
        services.stakes_map_set(user=learner, module=module_a, scenarios=DEMO_STAKES)
        console.print(f"  [green]demo_learner: named {len(DEMO_STAKES)} high-stakes situations[/green]")
    ran = [lesson for lesson in module_a.lessons.order_by("order") if not _lesson_completed(learner, lesson)]
    for lesson in ran:
        run_lesson(learner, lesson)
    console.print(
        f"  [green]demo_learner: completed module {module_a.code} ({len(ran)} lesson run(s))[/green]"
        if ran
        else f"  [dim]demo_learner: module {module_a.code} already completed[/dim]"
    )

    first_of_b = module_b.lessons.order_by("order").first()
    if first_of_b is not None and not LessonSession.objects.filter(user=learner, lesson=first_of_b).exists():
        run_lesson(learner, first_of_b, steps=1)
        console.print(f"  [green]demo_learner: started '{first_of_b.title}' (one step answered)[/green]")

    venue = Venue.objects.get(slug=DEMO_VENUE)
    if not VenueEntry.objects.filter(user=learner, venue=venue).exists():
        entry, _ = services.venue_enter(user=learner, venue=venue)
        services.venue_finish(user=learner, entry=entry)
        console.print(f"  [green]demo_learner: visited {venue.name} ({venue.ticket_cost} ticket(s))[/green]")

    if not AmphitheatreSession.objects.filter(user=learner).exists():
        visit, _ = services.amphitheatre_hub(user=learner)
        services.amphitheatre_submit(
            user=learner,
            session=visit,
            exercise_key=visit.plan[0]["key"],
            scores={"clarity": 80, "pacing": 72, "confidence": 75},
            reflection="My voice shook at first, then settled after the second breath.",
            markers=[{"t_ms": 4200, "label": "filler: um"}],
        )
        console.print(f"  [green]demo_learner: amphitheatre visit {visit.visit_number} with one exercise[/green]")

    free_course = Course.objects.get(course_number=DEMO_FREE_COURSE)
    teacher = User.objects.filter(username="demo_teacher").first()
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    if teacher is not None and staff is not None and free_course.teacher_id is None:
        services.course_update(by=staff, course=free_course, teacher=teacher)
        console.print(f"  [green]demo_teacher: teaches course {DEMO_FREE_COURSE}[/green]")
    _, enrolled = services.course_enroll(user=learner, course=free_course)
    _, purchased = services.course_purchase(user=learner, course=Course.objects.get(course_number=DEMO_PAID_COURSE))
    if enrolled or purchased:
        console.print(
            f"  [green]demo_learner: enrolled in course {DEMO_FREE_COURSE}, bought {DEMO_PAID_COURSE}[/green]"
        )


@seed_target("demo", order=20)
def demo_progress(console: Console) -> None:
    """After the accounts step made the demo people: content first, then their progress."""
    level = load_module_a_content(console)
    learner = User.objects.filter(username="demo_learner").first()
    child = User.objects.filter(username="demo_child").first()
    if learner is None or child is None:
        console.print("  [yellow]demo learners missing: run the accounts demo step first[/yellow]")
        return
    _demo_learner(console, learner, level)
    services.curriculum_start(user=child)
    console.print("  [green]demo_child: at the start of module A[/green]")
