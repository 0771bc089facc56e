"""Reads for the curriculum: each returns querysets or plain data with its joins done."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from myApp.accounts.models import Role, User
from myApp.curriculum import economy
from myApp.curriculum.models import (
    AmphitheatreExerciseRecord,
    AmphitheatreSession,
    Course,
    District,
    Enrollment,
    ExerciseSubmission,
    KnowledgeBlock,
    Lesson,
    LessonSession,
    LessonSessionState,
    Level,
    MilestoneAttempt,
    Module,
    UserProgress,
    UserVenueUnlock,
    Venue,
    VenueEntry,
)
from myApp.curriculum.search import COURSE_FIELDS, KNOWLEDGE_BLOCK_FIELDS, ranked
from myApp.lib.selectors import owned_by

LOCKED = "locked"


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
# The bare querysets serve OwnedViewSet (which applies the owner filter itself);
# the ``*_for_user`` variants are for pages and services.


def enrollments() -> QuerySet[Enrollment]:
    return Enrollment.objects.select_related("course")


def progress_rows() -> QuerySet[UserProgress]:
    return UserProgress.objects.select_related("module__level", "current_lesson").order_by(
        "module__level__number", "module__order"
    )


def lesson_sessions() -> QuerySet[LessonSession]:
    return LessonSession.objects.select_related("lesson__module__level").prefetch_related("responses")


def lesson_sessions_for_user(*, user: User) -> QuerySet[LessonSession]:
    return owned_by(lesson_sessions(), user=user, owner_fields=("user",))


def milestone_attempts() -> QuerySet[MilestoneAttempt]:
    return MilestoneAttempt.objects.select_related("level")


def milestone_attempts_for_user(*, user: User) -> QuerySet[MilestoneAttempt]:
    return owned_by(milestone_attempts(), user=user, owner_fields=("user",))


def venue_entries() -> QuerySet[VenueEntry]:
    return VenueEntry.objects.select_related("venue__district")


def venue_entries_for_user(*, user: User) -> QuerySet[VenueEntry]:
    return owned_by(venue_entries(), user=user, owner_fields=("user",))


def amphitheatre_sessions() -> QuerySet[AmphitheatreSession]:
    return AmphitheatreSession.objects.prefetch_related("records").order_by("-started_at", "-visit_number")


def amphitheatre_sessions_for_user(*, user: User) -> QuerySet[AmphitheatreSession]:
    return owned_by(amphitheatre_sessions(), user=user, owner_fields=("user",))


def open_amphitheatre_session(*, user: User) -> AmphitheatreSession | None:
    return AmphitheatreSession.objects.filter(user=user, ended_at__isnull=True).prefetch_related("records").first()


def unlocked_venue_ids(*, user: User) -> set[int]:
    return set(UserVenueUnlock.objects.filter(user=user).values_list("venue_id", flat=True))


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
    """Status per module: locked, unlocked, in_progress or completed.

    Derived from UserProgress (no row: locked) and the learner's submissions (any
    submission makes an unlocked module in progress). Two queries whatever the count.
    """
    progress = UserProgress.objects.filter(user=user)
    submitted = ExerciseSubmission.objects.filter(user=user)
    if module_ids is not None:
        progress = progress.filter(module_id__in=module_ids)
        submitted = submitted.filter(module_id__in=module_ids)
    statuses = dict(progress.values_list("module_id", "status"))
    for module_id in submitted.values_list("module_id", flat=True).distinct():
        if statuses.get(module_id) == "unlocked":
            statuses[module_id] = "in_progress"
    return statuses


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


def home_dashboard(*, user: User, full_access: dict) -> HomeDashboard:
    """Everything the home page shows, in a constant number of queries."""
    level_list = list(levels_with_modules())
    statuses = module_statuses(user=user)
    passed_levels = set(
        MilestoneAttempt.objects.filter(user=user, pass_bool=True).values_list("level_id", flat=True).distinct()
    )
    levels = [
        LevelCard(
            level=level,
            modules=[ModuleCard(module, statuses.get(module.pk, LOCKED)) for module in level.modules.all()],
            milestone_passed=level.pk in passed_levels,
        )
        for level in level_list
    ]
    unlocked = unlocked_venue_ids(user=user)
    recent = list(VenueEntry.objects.filter(user=user).select_related("venue")[:5])
    open_entries = {entry.venue_id: entry for entry in VenueEntry.objects.filter(user=user, finished_at__isnull=True)}
    districts = [
        DistrictCard(
            district=district,
            venues=[VenueCard(v, v.pk in unlocked, open_entries.get(v.pk)) for v in district.venues.all()],
            full_access=bool(full_access.get(district.slug)),
        )
        for district in districts_with_venues()
    ]
    next_step = next(
        (card for level in levels for card in level.modules if card.status in {"unlocked", "in_progress"}), None
    )
    return HomeDashboard(levels=levels, districts=districts, next_step=next_step, recent_entries=recent)


def lesson_completion_counts(*, user: User, module: Module) -> dict[int, int]:
    """Completed runs per lesson of ``module`` for ``user`` (one query)."""
    return dict(
        module.lessons.annotate(
            completed=Count(
                "sessions",
                filter=Q(sessions__user=user, sessions__state=LessonSessionState.COMPLETED),
            )
        ).values_list("pk", "completed")
    )
