"""Reads for the curriculum: each returns querysets or plain data with its joins done."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncDate

from myApp.accounts.models import Role, User
from myApp.curriculum import economy
from myApp.curriculum.models import (
    AmphitheatreExerciseRecord,
    AmphitheatreSession,
    Course,
    District,
    Enrollment,
    ExerciseAttempt,
    ExerciseSubmission,
    KnowledgeBlock,
    Lesson,
    LessonSession,
    LessonSessionContext,
    LessonSessionState,
    Level,
    MilestoneAttempt,
    MilestoneReview,
    Module,
    ProgressStatus,
    StakesMap,
    UserProgress,
    Venue,
    VenueEntry,
)
from myApp.curriculum.search import COURSE_FIELDS, KNOWLEDGE_BLOCK_FIELDS, ranked
from myApp.lib import access

LOCKED = ProgressStatus.LOCKED


# --- Content -------------------------------------------------------------------


def levels_with_modules() -> QuerySet[Level]:
    return Level.objects.prefetch_related(Prefetch("modules", queryset=Module.objects.order_by("order")))


def modules() -> QuerySet[Module]:
    return Module.objects.select_related("level")


def lessons() -> QuerySet[Lesson]:
    return Lesson.objects.select_related("module__level")


def knowledge_blocks() -> QuerySet[KnowledgeBlock]:
    return KnowledgeBlock.objects.select_related("module__level")


def knowledge_block_search(text: str, *, limit: int = 5) -> list[KnowledgeBlock]:
    return list(ranked(knowledge_blocks(), KNOWLEDGE_BLOCK_FIELDS, text)[:limit])


def courses(*, country: str | None = None, level: str | None = None) -> QuerySet[Course]:
    queryset = Course.objects.select_related("teacher", "created_by")
    if country:
        queryset = queryset.filter(country__iexact=country)
    if level:
        queryset = queryset.filter(level__iexact=level)
    return queryset


def course_countries() -> list[str]:
    """The catalogue's countries, each once, sorted (the filter's choices). The explicit ``order_by`` replaces
    ``Course``'s default ordering, which DISTINCT would otherwise also cover (one row per course)."""
    countries = Course.objects.exclude(country="").order_by("country").values_list("country", flat=True)
    return list(countries.distinct())


def course_teachers() -> QuerySet[User]:
    """Who may teach a course: teachers, and staff (the catalogue service, the API and the admin's
    teacher field all ask this)."""
    return User.objects.filter(Q(role=Role.TEACHER) | Q(is_staff=True))


def course_search(text: str, *, limit: int = 5) -> list[Course]:
    return list(ranked(courses(), COURSE_FIELDS, text)[:limit])


def districts_with_venues() -> QuerySet[District]:
    return District.objects.prefetch_related(
        Prefetch("venues", queryset=Venue.objects.select_related("module__level").order_by("order", "slug"))
    )


def venues() -> QuerySet[Venue]:
    return Venue.objects.select_related("district", "module__level").prefetch_related("task_sheets")


# --- A learner's own rows ----------------------------------------------------------
# The bare querysets are every learner's rows: bases that the viewsets (lib.api.OwnedViewSet) narrow
# to the caller's own through lib.access. Pages use the ``*_owned_by`` variants, which are the user's
# own rows whoever they are (staff included: staff see others' rows in the admin).


def enrollments() -> QuerySet[Enrollment]:
    return Enrollment.objects.select_related("course")


def progress_rows() -> QuerySet[UserProgress]:
    return UserProgress.objects.select_related("module__level", "current_lesson").order_by(
        "module__level__number", "module__order"
    )


def lesson_sessions() -> QuerySet[LessonSession]:
    """Runs with their lesson, responses and ``scenario``: the learner's high-stakes situation
    the run's module rehearses now (see ``services.stakes``), or None."""
    scenario = LessonSessionContext.objects.filter(user=OuterRef("user"), module=OuterRef("lesson__module"))
    return (
        LessonSession.objects.select_related("lesson__module__level")
        .prefetch_related("responses")
        .annotate(scenario=Subquery(scenario.values("scenario")[:1]))
    )


def lesson_sessions_owned_by(*, user: User) -> QuerySet[LessonSession]:
    return access.owned_by(lesson_sessions(), user=user)


def milestone_attempts() -> QuerySet[MilestoneAttempt]:
    """Attempts with what their evaluation needs: the level, the recording and the reviews (with reviewers)."""
    return MilestoneAttempt.objects.select_related("level", "recording").prefetch_related(
        Prefetch("reviews", queryset=MilestoneReview.objects.select_related("reviewer"))
    )


def milestone_attempts_owned_by(*, user: User) -> QuerySet[MilestoneAttempt]:
    return access.owned_by(milestone_attempts(), user=user)


def venue_entries() -> QuerySet[VenueEntry]:
    return VenueEntry.objects.select_related("venue__district").prefetch_related(
        Prefetch("attempts", queryset=ExerciseAttempt.objects.order_by("created_at", "id"))
    )


def venue_entries_owned_by(*, user: User) -> QuerySet[VenueEntry]:
    return access.owned_by(venue_entries(), user=user)


def exercise_attempts() -> QuerySet[ExerciseAttempt]:
    return ExerciseAttempt.objects.select_related("module__level", "venue_entry__venue", "amphitheatre_record__session")


def stakes_maps() -> QuerySet[StakesMap]:
    return StakesMap.objects.select_related("module__level").order_by("module__level__number", "module__order", "pk")


def stakes_scenarios(*, user: User) -> list[str]:
    """The learner's high-stakes situations, in module order, each once."""
    rows = StakesMap.objects.filter(user=user).order_by("module__level__number", "module__order")
    return list(
        dict.fromkeys(scenario for scenarios in rows.values_list("scenarios", flat=True) for scenario in scenarios)
    )


def amphitheatre_sessions() -> QuerySet[AmphitheatreSession]:
    """Visits with their records, each record with its recording's id (``recording_pk``, None without one)."""
    records = AmphitheatreExerciseRecord.objects.annotate(recording_pk=F("recording__id"))
    return AmphitheatreSession.objects.prefetch_related(Prefetch("records", queryset=records)).order_by(
        "-started_at", "-visit_number"
    )


def amphitheatre_sessions_owned_by(*, user: User) -> QuerySet[AmphitheatreSession]:
    return access.owned_by(amphitheatre_sessions(), user=user)


def open_amphitheatre_session(*, user: User) -> AmphitheatreSession | None:
    """The open visit with its records, each with its recording's id (as in ``amphitheatre_sessions``)."""
    return amphitheatre_sessions().filter(user=user, ended_at__isnull=True).first()


# --- What is open to a learner (derived from module progress, never stored) ------------
# A module is open when the learner has its progress row (opened by completing the module
# before it, or by staff) or when it is the first module, which is open to everyone. A venue
# is open exactly when its module is; a district is fully open when every one of its venues
# is. So content added later (a venue in a module the learner already has, a venue in a
# district they had fully open) shows the right state at once.


def first_module_id_query() -> QuerySet[Module]:
    """The first module's pk as a one-row subquery (the first module is open to everyone)."""
    return Module.objects.order_by("level__number", "order").values("pk")[:1]


def first_module_id() -> int | None:
    return first_module_id_query().values_list("pk", flat=True).first()


def _opened_module(user: User, module_ref: str) -> Q:
    """A condition on the row whose ``module_ref`` column is a module open to ``user``."""
    progress = UserProgress.objects.filter(user=user, module=OuterRef(module_ref))
    return Q(Exists(progress)) | Q(**{module_ref: Subquery(first_module_id_query())})


def module_is_open(*, user: User, module: Module) -> bool:
    return Module.objects.filter(_opened_module(user, "pk"), pk=module.pk).exists()


def unlocked_venue_ids(*, user: User) -> set[int]:
    return set(Venue.objects.filter(_opened_module(user, "module_id")).values_list("pk", flat=True))


def venue_exercises(venue: Venue) -> list[dict]:
    """The venue's task-sheet exercises that can be attempted (those with a ``key``), in sheet order: what the
    venue page offers and ``venue_exercise_attempt`` accepts. Reads ``venue.task_sheets`` (prefetch it)."""
    return [
        exercise
        for sheet in venue.task_sheets.all()
        if isinstance(sheet.exercises, list)
        for exercise in sheet.exercises
        if isinstance(exercise, dict) and exercise.get("key")
    ]


def venue_is_unlocked(*, user: User, venue: Venue) -> bool:
    return Venue.objects.filter(_opened_module(user, "module_id"), pk=venue.pk).exists()


def district_full_access(*, user: User) -> dict[str, bool]:
    """``{slug: True}`` for each district that has venues, every one of them open to ``user``
    (seed 002's ``district_full_access``, derived)."""
    locked = Venue.objects.filter(district=OuterRef("pk")).exclude(_opened_module(user, "module_id"))
    districts = District.objects.filter(Exists(Venue.objects.filter(district=OuterRef("pk")))).exclude(Exists(locked))
    return dict.fromkeys(districts.values_list("slug", flat=True), True)


# --- Reward bounds (see curriculum.economy) -------------------------------------------


def amphitheatre_paying_visits_on(*, user: User, day: datetime.date) -> int:
    """How many of the learner's visits opened on ``day`` earned something, derived from
    their paid records, so no counter can drift out of step with them."""
    start, end = economy.day_bounds(day)
    paid = AmphitheatreExerciseRecord.objects.filter(session=OuterRef("pk"), paid=True)
    visits = AmphitheatreSession.objects.filter(user=user, started_at__gte=start, started_at__lt=end)
    return visits.filter(Exists(paid)).count()


def amphitheatre_paying_visits_left(*, user: User) -> int:
    """Paying visits the learner may still open today (the open visit, if any, not counted)."""
    used = amphitheatre_paying_visits_on(user=user, day=economy.today())
    return max(economy.AMPHITHEATRE_PAYING_VISITS_PER_DAY - used, 0)


def venue_ids_paid_today(*, user: User) -> set[int]:
    """Venues that already paid the learner for a visit today; another visit there pays nothing."""
    return set(VenueEntry.objects.filter(user=user, paid_on=economy.today()).values_list("venue_id", flat=True))


# --- Status and the home dashboard ---------------------------------------------------


def module_statuses(*, user: User, module_ids: list[int] | None = None) -> dict[int, str]:
    """Status per open module: unlocked, in_progress or completed (a module not listed is locked).

    Derived, in one query: open (see above); completed once its progress row has
    ``completed_at``; in progress once the learner has submitted anything in it.
    """
    progress = UserProgress.objects.filter(user=user, module=OuterRef("pk"))
    modules = Module.objects.filter(_opened_module(user, "pk"))
    if module_ids is not None:
        modules = modules.filter(pk__in=module_ids)
    rows = modules.annotate(
        completed_at=Subquery(progress.values("completed_at")[:1]),
        submitted=Exists(ExerciseSubmission.objects.filter(user=user, module=OuterRef("pk"))),
    ).values_list("pk", "completed_at", "submitted")
    return {
        pk: ProgressStatus.COMPLETED
        if completed_at is not None
        else ProgressStatus.IN_PROGRESS
        if submitted
        else ProgressStatus.UNLOCKED
        for pk, completed_at, submitted in rows
    }


@dataclass
class ModuleCard:
    module: Module
    status: str


@dataclass
class LevelCard:
    level: Level
    modules: list[ModuleCard]
    milestone_passed: bool


@dataclass
class VenueCard:
    venue: Venue
    unlocked: bool
    open_entry: VenueEntry | None


@dataclass
class DistrictCard:
    district: District
    venues: list[VenueCard]
    full_access: bool


@dataclass
class HomeDashboard:
    levels: list[LevelCard]
    districts: list[DistrictCard]
    next_step: ModuleCard | None
    recent_entries: list[VenueEntry] = field(default_factory=list)


def district_cards(*, user: User) -> list[DistrictCard]:
    """The map: each district with its venues, open or locked for ``user`` (three queries)."""
    unlocked = unlocked_venue_ids(user=user)
    open_entries = {entry.venue_id: entry for entry in VenueEntry.objects.filter(user=user, finished_at__isnull=True)}
    cards = []
    for district in districts_with_venues():
        venue_cards = [VenueCard(v, v.pk in unlocked, open_entries.get(v.pk)) for v in district.venues.all()]
        full_access = bool(venue_cards) and all(card.unlocked for card in venue_cards)
        cards.append(DistrictCard(district=district, venues=venue_cards, full_access=full_access))
    return cards


def passed_level_ids(*, user: User) -> set[int]:
    """The levels whose milestone ``user`` passed. One EXISTS per level (it stops at the first passing attempt),
    so the cost follows the number of levels, not of attempts; a ``.values_list().distinct()`` over the attempts
    read them all, and with the model's ordering it even returned one row per attempt."""
    passed = MilestoneAttempt.objects.filter(user=user, level=OuterRef("pk"), pass_bool=True)
    return set(Level.objects.filter(Exists(passed)).order_by().values_list("pk", flat=True))


def level_cards(*, user: User, statuses: dict[int, str]) -> tuple[list[LevelCard], set[int]]:
    """Every level with its modules' statuses for ``user``, and the ids of the levels whose milestone they passed
    (the home page and a learner's progress as a parent sees it show the same path)."""
    passed_levels = passed_level_ids(user=user)
    levels = [
        LevelCard(
            level=level,
            modules=[ModuleCard(module, statuses.get(module.pk, LOCKED)) for module in level.modules.all()],
            milestone_passed=level.pk in passed_levels,
        )
        for level in levels_with_modules()
    ]
    return levels, passed_levels


def home_dashboard(*, user: User) -> HomeDashboard:
    """Everything the home page shows, in a constant number of queries; it writes nothing."""
    levels, _ = level_cards(user=user, statuses=module_statuses(user=user))
    recent = list(VenueEntry.objects.filter(user=user).select_related("venue")[:5])
    next_step = next(
        (
            card
            for level in levels
            for card in level.modules
            if card.status in {ProgressStatus.UNLOCKED, ProgressStatus.IN_PROGRESS}
        ),
        None,
    )
    return HomeDashboard(levels=levels, districts=district_cards(user=user), next_step=next_step, recent_entries=recent)


def lesson_completion_counts(*, user: User, module: Module) -> dict[int, int]:
    """Completed runs per lesson of ``module`` for ``user``; a lesson without one is absent (one query).
    Counted from the learner's own runs (index ``user, lesson, state``): joining the lessons to their
    sessions, as this did, read every learner's runs of them."""
    runs = LessonSession.objects.filter(user=user, lesson__module=module, state=LessonSessionState.COMPLETED)
    return dict(runs.order_by().values("lesson").annotate(n=Count("pk")).values_list("lesson", "n"))


# --- A learner's progress, as someone they share it with sees it ------------------------


@dataclass
class LearningProgress:
    levels: list[LevelCard]
    modules_completed: int
    lessons_completed: int
    milestones_passed: int


def learning_progress(*, user: User) -> LearningProgress:
    """The learner's path: every level's modules with their status, and what they have completed.

    Takes the learner whose progress is shown; who may see it is decided before (``lib.access``).
    Five queries whatever the size of the curriculum.
    """
    statuses = module_statuses(user=user)
    levels, passed_levels = level_cards(user=user, statuses=statuses)
    return LearningProgress(
        levels=levels,
        modules_completed=sum(1 for status in statuses.values() if status == "completed"),
        # Lessons, not runs: "Practise again" on a finished lesson is a second run of the same lesson (new-user review).
        lessons_completed=LessonSession.objects.filter(user=user, state=LessonSessionState.COMPLETED)
        .values("lesson_id")
        .distinct()
        .count(),
        milestones_passed=len(passed_levels),
    )


# --- XP over time ---------------------------------------------------------------------------


def xp_by_day_querysets(*, user: User) -> list[QuerySet]:
    """``user``'s XP from the curriculum, one ``(day, xp)`` queryset per way it is earned, summed per day (the
    site's calendar day). Derived from the rows each reward pays on (``economy``): the first completion of a
    lesson, a module's completion, a milestone's first pass, a paid venue visit, a paid amphitheatre exercise;
    nothing keeps a ledger. Lessons, modules and milestones pay their current catalogue amount, so a changed
    amount reads back at its new value. Callers ``union`` them (with other apps' sources) into one query."""

    def per_day(rows: QuerySet, day, xp) -> QuerySet:
        return rows.order_by().annotate(day=day).values("day").annotate(xp=Sum(xp)).values_list("day", "xp")

    return [
        per_day(
            LessonSession.objects.filter(user=user, rewarded=True),
            TruncDate("completed_at"),
            "lesson__xp_reward",
        ),
        per_day(
            UserProgress.objects.filter(user=user, completed_at__isnull=False),
            TruncDate("completed_at"),
            "module__xp_reward",
        ),
        per_day(
            MilestoneAttempt.objects.filter(user=user, rewarded=True),
            TruncDate("created_at"),
            "level__milestone_xp_reward",
        ),
        per_day(VenueEntry.objects.filter(user=user, paid_on__isnull=False), F("paid_on"), "xp_awarded"),
        per_day(
            AmphitheatreExerciseRecord.objects.filter(session__user=user, xp_delta__gt=0),
            TruncDate("created_at"),
            "xp_delta",
        ),
    ]
