"""The curriculum half of the ``load`` seed target.

- ``--blocks`` knowledge blocks with varied text, spread over the sample level's modules (loaded
  first, as ``module_a_sample`` loads it). A loaded block's ``order`` is ``BLOCK_ORDER_BASE`` or
  more (staff-written blocks sit below it), so the chat's knowledge search sees them like any other.
- For the loaded users (``accounts.load``): ``--enrolments`` in the catalogue's courses (a paid
  course's enrolment is paid only with its purchase, as ``course_purchase`` leaves it), ``--progress``
  rows (each learner's modules in order, all but the last completed), ``--lesson-sessions`` runs of
  the lessons and ``--submissions`` answered steps spread over those runs (one ``LessonStepResponse``
  and one ``ExerciseSubmission`` per answered step, valid for the step's kind, as
  ``lesson_session_answer`` writes them).
"""

import argparse
import datetime
from collections.abc import Iterator

from django.utils import timezone
from rich.console import Console

from myApp.accounts.load import loaded_user_ids, loaded_users
from myApp.curriculum.models import (
    Course,
    Enrollment,
    ExerciseSubmission,
    KnowledgeBlock,
    Lesson,
    LessonSession,
    LessonSessionState,
    LessonStepResponse,
    Module,
    Purchase,
    SubmissionStage,
    UserProgress,
)
from myApp.lib import bulk_load
from myApp.lib.bulk_load import COMMON_ARGUMENTS, Table, bulk_insert, say_exists, size_argument, spread
from myApp.lib.load_text import TextMaker
from myApp.lib.seeding import seed_target

BLOCK_ORDER_BASE = 1_000
MAX_BLOCK_ORDER = 32_767  # PositiveSmallIntegerField
DEFAULT_BLOCKS = 10_000
DEFAULT_ENROLMENTS = 100_000
DEFAULT_PROGRESS = 100_000
DEFAULT_LESSON_SESSIONS = 100_000
DEFAULT_SUBMISSIONS = 200_000


def loaded_blocks():
    return KnowledgeBlock.objects.filter(order__gte=BLOCK_ORDER_BASE)


@seed_target(
    "load",
    order=20,
    arguments=(*COMMON_ARGUMENTS, size_argument("--blocks", DEFAULT_BLOCKS, "knowledge blocks with varied text")),
)
def load_blocks(console: Console, options: argparse.Namespace) -> None:
    from myApp.curriculum.seeds import load_module_a_content  # seeds imports this module

    load_module_a_content(console)
    existing = loaded_blocks().count()
    if existing and not options.add:
        say_exists(console, "knowledge blocks", existing)
        return
    modules = list(Module.objects.order_by("level__number", "order").values_list("pk", flat=True))
    capacity = len(modules) * (MAX_BLOCK_ORDER - BLOCK_ORDER_BASE + 1) - existing
    count = min(options.blocks, capacity)
    if count < options.blocks:
        console.print(f"  [yellow]knowledge blocks: room for {capacity:,} more; loading that many[/yellow]")
    maker = TextMaker(options.seed + existing)
    now = timezone.now()

    def rows() -> Iterator[tuple]:
        for index in range(existing, existing + count):
            block = maker.block()
            yield (
                modules[index % len(modules)],
                BLOCK_ORDER_BASE + index // len(modules),
                block["title"],
                block["summary"],
                block["body"],
                block["tags"],
                block["exercise_seeds"],
            )

    table = Table(
        KnowledgeBlock,
        ("module", "order", "title", "summary", "body", "tags", "exercise_seeds"),
        constants={"citations": [], "created_at": now, "updated_at": now},
    )
    bulk_insert(table, rows(), total=count, console=console, label="knowledge blocks", batch_size=options.batch_size)
    bulk_load.analyze(console, KnowledgeBlock)


def _fresh_pairs(count: int, left: list, right: list, taken: set[tuple]) -> Iterator[tuple]:
    """Up to ``count`` (left, right) pairs not in ``taken``, spread so that each left item gets a
    different right item before any gets a second."""
    made = 0
    for round_ in range(len(right)):
        for position, item in enumerate(left):
            pair = (item, right[(position + round_) % len(right)])
            if pair in taken:
                continue
            yield pair
            made += 1
            if made == count:
                return


def _say_short(console: Console, label: str, wanted: int, made: int) -> None:
    if made < wanted:
        console.print(f"  [yellow]{label}: only {made:,} distinct rows fit ({wanted:,} asked)[/yellow]")


@seed_target(
    "load",
    order=40,
    arguments=(
        *COMMON_ARGUMENTS,
        size_argument("--enrolments", DEFAULT_ENROLMENTS, "course enrolments of loaded users (purchases for some)"),
        size_argument("--progress", DEFAULT_PROGRESS, "module progress rows of loaded users"),
    ),
)
def load_enrolments_and_progress(console: Console, options: argparse.Namespace) -> None:
    users = loaded_user_ids()
    if not users:
        console.print("  [yellow]enrolments, progress: no loaded users (run with --users)[/yellow]")
        return
    rng = TextMaker(options.seed + 1).rng
    now = timezone.now()

    existing = Enrollment.objects.filter(user__in=loaded_users()).count()
    if existing and not options.add:
        say_exists(console, "enrolments", existing)
    else:
        courses = list(Course.objects.order_by("course_number").values_list("pk", "price", "currency"))
        taken = set(Enrollment.objects.filter(user__in=loaded_users()).values_list("user_id", "course_id"))
        by_pk = {pk: (price, currency) for pk, price, currency in courses}
        pairs = list(_fresh_pairs(options.enrolments, users, list(by_pk), taken))
        _say_short(console, "enrolments", options.enrolments, len(pairs))
        free = {course.pk for course in Course.objects.only("pk", "price") if course.is_free}
        # A free course's enrolment is paid; a paid course's only when bought (a third of them).
        bought = [(user, course) for user, course in pairs if course not in free and rng.random() < 0.33]
        bought_set = set(bought)
        rows = ((u, c, c in free or (u, c) in bought_set, bulk_load.days_ago(now, rng, most=365)) for u, c in pairs)
        table = Table(Enrollment, ("user", "course", "is_paid", "enrolled_at"))
        bulk_insert(table, rows, total=len(pairs), console=console, label="enrolments", batch_size=options.batch_size)
        purchases = ((u, c, by_pk[c][0], by_pk[c][1], bulk_load.days_ago(now, rng, most=365)) for u, c in bought)
        table = Table(Purchase, ("user", "course", "amount", "currency", "created_at"))
        bulk_insert(
            table, purchases, total=len(bought), console=console, label="purchases", batch_size=options.batch_size
        )
        bulk_load.analyze(console, Enrollment, Purchase)

    existing = UserProgress.objects.filter(user__in=loaded_users()).count()
    if existing and not options.add:
        say_exists(console, "progress", existing)
        return
    modules = list(Module.objects.order_by("level__number", "order").values_list("pk", flat=True))
    first_lesson = dict(Lesson.objects.filter(order=1).values_list("module_id", "pk"))
    with_progress = set(UserProgress.objects.filter(user__in=loaded_users()).values_list("user_id", flat=True))
    fresh_users = [user for user in users if user not in with_progress]

    def rows() -> Iterator[tuple]:
        left = options.progress
        for user in fresh_users:
            depth = min(rng.randint(1, len(modules)), left)
            opened = bulk_load.days_ago(now, rng, most=240) - datetime.timedelta(days=15 * len(modules))
            for position, module in enumerate(modules[:depth]):
                done = position < depth - 1 or rng.random() < 0.3
                completed = opened + datetime.timedelta(days=rng.randint(1, 14)) if done else None
                yield (user, module, first_lesson.get(module), opened, completed, completed or opened)
                opened = completed or opened
            left -= depth
            if not left:
                return

    progress = list(rows())
    _say_short(console, "progress", options.progress, len(progress))
    table = Table(UserProgress, ("user", "module", "current_lesson", "unlocked_at", "completed_at", "updated_at"))
    bulk_insert(table, progress, total=len(progress), console=console, label="progress", batch_size=options.batch_size)
    bulk_load.analyze(console, UserProgress)


def _answer(step: dict, maker: TextMaker):
    kind = step.get("kind", "text")
    if kind == "choice":
        return maker.rng.choice(step["choices"])
    if kind == "scale":
        return maker.rng.randint(1, 5)
    return maker.sentence()


@seed_target(
    "load",
    order=45,
    arguments=(
        *COMMON_ARGUMENTS,
        size_argument("--lesson-sessions", DEFAULT_LESSON_SESSIONS, "lesson runs of loaded users"),
        size_argument("--submissions", DEFAULT_SUBMISSIONS, "answered lesson steps, spread over those runs"),
    ),
)
def load_lesson_sessions(console: Console, options: argparse.Namespace) -> None:
    existing = LessonSession.objects.filter(user__in=loaded_users()).count()
    if existing and not options.add:
        say_exists(console, "lesson sessions", existing)
        return
    users = loaded_user_ids()
    lessons = {pk: (module, steps) for pk, module, steps in Lesson.objects.values_list("pk", "module_id", "steps")}
    if not users or not lessons:
        console.print("  [yellow]lesson sessions: no loaded users or no lessons[/yellow]")
        return
    taken = set(LessonSession.objects.filter(user__in=loaded_users()).values_list("user_id", "lesson_id"))
    pairs = list(_fresh_pairs(options.lesson_sessions, users, sorted(lessons), taken))
    _say_short(console, "lesson sessions", options.lesson_sessions, len(pairs))
    maker = TextMaker(options.seed + 2 + existing)
    rng = maker.rng
    capacity = [len(lessons[lesson][1]) for _, lesson in pairs]
    answered = spread(min(options.submissions, sum(capacity)), [rng.random() * c for c in capacity])
    answered = _fit(answered, capacity)
    _say_short(console, "submissions", options.submissions, sum(answered))
    now = timezone.now()
    plan = []
    for (user, lesson), done, steps in zip(pairs, answered, capacity, strict=True):
        started = bulk_load.days_ago(now, rng, most=300) - datetime.timedelta(hours=1)
        if done == steps and rng.random() < 0.9:
            state = LessonSessionState.COMPLETED
        elif rng.random() < 0.2:
            state = LessonSessionState.ABANDONED
        else:
            state = LessonSessionState.IN_PROGRESS if done else LessonSessionState.CREATED
        plan.append((bulk_load.seeded_uuid(rng), user, lesson, state, done, started))

    def session_rows() -> Iterator[tuple]:
        for pk, user, lesson, state, done, started in plan:
            finished = started + datetime.timedelta(minutes=2 * done + 1)
            completed = state == LessonSessionState.COMPLETED
            yield (pk, user, lesson, state, done, started, finished, finished if completed else None, completed)

    table = Table(
        LessonSession,
        ("id", "user", "lesson", "state", "current_step", "started_at", "updated_at", "completed_at", "rewarded"),
    )
    bulk_insert(
        table, session_rows(), total=len(plan), console=console, label="lesson sessions", batch_size=options.batch_size
    )

    answers = [
        (
            pk,
            user,
            lesson,
            index,
            _answer(lessons[lesson][1][index], maker),
            started + datetime.timedelta(minutes=2 * index),
        )
        for pk, user, lesson, _, done, started in plan
        for index in range(done)
    ]
    table = Table(LessonStepResponse, ("session", "step_index", "value", "created_at"))
    rows = ((pk, index, value, at) for pk, _, _, index, value, at in answers)
    bulk_insert(table, rows, total=len(answers), console=console, label="step responses", batch_size=options.batch_size)
    table = Table(
        ExerciseSubmission,
        ("user", "module", "lesson", "lesson_session", "payload", "duration_ms", "created_at"),
        constants={"stage": SubmissionStage.LESSON},
    )
    rows = (
        (user, lessons[lesson][0], lesson, pk, {"step": index, "value": value}, rng.randrange(5_000, 180_000), at)
        for pk, user, lesson, index, value, at in answers
    )
    bulk_insert(table, rows, total=len(answers), console=console, label="submissions", batch_size=options.batch_size)
    bulk_load.analyze(console, LessonSession, LessonStepResponse, ExerciseSubmission)


def _fit(answered: list[int], capacity: list[int]) -> list[int]:
    """Cap each run's answers at its steps, moving the overflow to runs with room (the total is kept)."""
    overflow = 0
    for index, (done, room) in enumerate(zip(answered, capacity, strict=True)):
        if done > room:
            overflow += done - room
            answered[index] = room
    for index, room in enumerate(capacity):
        if not overflow:
            break
        extra = min(room - answered[index], overflow)
        answered[index] += extra
        overflow -= extra
    return answered
