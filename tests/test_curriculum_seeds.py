"""Curriculum seed targets: ``module_a_sample`` loads Level 1 and its world, ``demo`` gives the demo
people progress through the services, and both change nothing the second time."""

import pytest
from django.apps import apps
from django.db.models import Count

import seed_data
from myApp.accounts.models import Profile, User
from myApp.analytics import events
from myApp.analytics.models import AnalyticsEvent
from myApp.curriculum import selectors
from myApp.curriculum.content_rules import STEP_KINDS, lesson_steps_errors, task_sheet_errors
from myApp.curriculum.models import (
    AmphitheatreSession,
    Course,
    District,
    Enrollment,
    KnowledgeBlock,
    Lesson,
    LessonSession,
    LessonSessionState,
    Level,
    Module,
    ProgressStatus,
    Purchase,
    UserProgress,
    Venue,
    VenueEntry,
    VenueTaskSheet,
)

CURRICULUM_MODELS = list(apps.get_app_config("curriculum").get_models())
EXERCISE_KEYS = {"key", "title", "instructions", "duration_s"}


@pytest.fixture
def seed_env(monkeypatch):
    """Nothing from the developer's shell (staff name, passwords) leaks into the run."""
    for name in ("SEED_STAFF_USERNAME", "SEED_STAFF_EMAIL", "SEED_STAFF_PASSWORD", "SEED_DEMO_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def sample(db, seed_env):
    assert seed_data.main(["module_a_sample"]) == 0
    return Level.objects.get(number=1)


@pytest.fixture
def demo(db, seed_env):
    assert seed_data.main(["demo"]) == 0
    return User.objects.get(username="demo_learner")


def snapshot() -> dict[str, list[dict]]:
    """Every row of every curriculum table (timestamps included), plus the users, balances and events."""
    tables = {model.__name__: list(model.objects.order_by("pk").values()) for model in CURRICULUM_MODELS}
    tables["User"] = list(User.objects.order_by("pk").values("pk", "username", "password", "is_superuser"))
    tables["Profile"] = list(Profile.objects.order_by("pk").values())
    tables["AnalyticsEvent"] = list(AnalyticsEvent.objects.order_by("pk").values("pk", "event_type"))
    return tables


def test_it_loads_level_one_with_modules_a_to_d(sample):
    assert (sample.title, sample.milestone_threshold) == ("Foundations", 70)
    modules = list(Module.objects.filter(level=sample).order_by("order"))
    assert [module.code for module in modules] == ["A", "B", "C", "D"]
    assert modules[0].title == "Presence and nerves"
    assert Level.objects.count() == 1
    assert Lesson.objects.count() >= 8
    for module in modules:
        assert 2 <= module.lessons.count() <= 3, module
        assert 2 <= module.knowledge_blocks.count() <= 3, module
        assert module.xp_reward > 0 and module.ticket_reward > 0, module


def test_it_writes_knowledge_blocks_with_real_content(sample):
    blocks = list(KnowledgeBlock.objects.all())

    assert len(blocks) >= 8
    assert len({block.title for block in blocks}) == len(blocks)
    for block in blocks:
        assert 120 <= len(block.body.split()) <= 250, block.title
        assert block.summary and block.tags and block.exercise_seeds, block.title
        assert block.citations and all(citation["source"] for citation in block.citations), block.title
        assert "http" not in block.body, block.title


def test_it_finds_seeded_knowledge_by_search(sample):
    found = selectors.knowledge_block_search("nervous adrenaline excited")

    assert found and found[0].title == "Why nerves happen, and why they can help"


def test_it_gives_every_lesson_valid_steps(sample):
    for lesson in Lesson.objects.all():
        assert 3 <= len(lesson.steps) <= 4, lesson
        for step in lesson.steps:
            assert step["prompt"].strip(), lesson
            assert step["kind"] in STEP_KINDS, lesson
            if step["kind"] == "choice":
                assert len(set(step["choices"])) == len(step["choices"]) >= 2, lesson
        assert lesson_steps_errors(lesson.steps) == [], lesson  # what the admin would accept


def test_it_builds_two_districts_of_venues_with_task_sheets(sample):
    assert District.objects.count() == 2
    venues = list(Venue.objects.select_related("module"))
    assert len(venues) >= 4
    assert {venue.district_id for venue in venues} == set(District.objects.values_list("pk", flat=True))
    for venue in venues:
        assert 1 <= venue.ticket_cost <= 3, venue
        assert venue.module.level_id == sample.pk, venue
        sheets = list(venue.task_sheets.all())
        assert len(sheets) == 1, venue
        assert 3 <= len(sheets[0].exercises) <= 4, venue
        assert all(set(exercise) == EXERCISE_KEYS for exercise in sheets[0].exercises), venue
        assert task_sheet_errors(sheets[0].exercises) == [], venue
    # The first module opens venues, so a new learner has somewhere to practise.
    assert Venue.objects.filter(module__level=sample, module__code="A").exists()


def test_it_stocks_a_catalogue_across_countries_and_levels(sample):
    courses = list(Course.objects.all())

    assert len(courses) >= 4
    assert len({course.country for course in courses}) >= 2
    assert len({course.level for course in courses}) >= 2
    assert any(course.is_free for course in courses)
    assert any(not course.is_free for course in courses)


def test_it_creates_the_sample_staff_user_once(sample):
    assert User.objects.filter(username="admin", is_staff=True, is_superuser=True).count() == 1


def test_it_changes_nothing_when_module_a_sample_runs_twice(sample):
    before = snapshot()

    assert seed_data.main(["module_a_sample"]) == 0

    assert snapshot() == before


def test_it_puts_edited_seed_content_back_and_touches_nothing_else(sample):
    lesson = Lesson.objects.get(module__code="A", order=1)
    Lesson.objects.filter(pk=lesson.pk).update(title="Renamed by hand")
    others = list(Lesson.objects.exclude(pk=lesson.pk).order_by("pk").values("pk", "updated_at"))

    assert seed_data.main(["module_a_sample"]) == 0

    assert Lesson.objects.get(pk=lesson.pk).title == lesson.title
    assert list(Lesson.objects.exclude(pk=lesson.pk).order_by("pk").values("pk", "updated_at")) == others


def test_it_lists_module_a_sample_with_a_description(db, capsys):
    assert seed_data.main(["--list"]) == 0

    listing = capsys.readouterr().out
    assert "module_a_sample" in listing
    assert "Foundations" in listing


def test_it_gives_the_demo_learner_progress_through_the_services(demo):
    module_a, module_b = Module.objects.filter(level__number=1).order_by("order")[:2]
    statuses = selectors.module_statuses(user=demo)

    assert statuses[module_a.pk] == ProgressStatus.COMPLETED
    assert statuses[module_b.pk] == "in_progress"
    assert UserProgress.objects.get(user=demo, module=module_a).completed_at is not None
    completed = LessonSession.objects.filter(user=demo, state=LessonSessionState.COMPLETED)
    assert set(completed.values_list("lesson", flat=True)) == set(module_a.lessons.values_list("pk", flat=True))
    profile = Profile.objects.get(user=demo)
    assert profile.xp > 0 and profile.coins > 0
    assert AnalyticsEvent.objects.filter(user=demo, event_type="module_completed").count() == 1


def test_it_sends_the_demo_learner_to_a_venue_the_amphitheatre_and_the_catalogue(demo):
    entry = VenueEntry.objects.get(user=demo)
    assert entry.finished_at is not None and entry.xp_awarded > 0
    visit = AmphitheatreSession.objects.get(user=demo)
    assert visit.records.count() == 1 and visit.points > 0
    assert set(Enrollment.objects.filter(user=demo).values_list("course__course_number", "is_paid")) == {
        (101, True),
        (102, True),
    }
    assert Purchase.objects.filter(user=demo, course__course_number=102).count() == 1


def test_it_gives_the_demo_learner_a_teacher_who_may_review_their_shared_milestone_attempts(demo):
    from myApp.lib import access

    teacher = User.objects.get(username="demo_teacher")
    assert teacher.role == "teacher"
    assert Course.objects.get(course_number=101).teacher == teacher
    assert access.relationship_between(viewer=teacher, subject_id=demo.pk, what=access.MILESTONE_REVIEW) is not None


def test_it_leaves_the_demo_child_at_the_start(demo):
    child = User.objects.get(username="demo_child")
    module_a = Module.objects.get(level__number=1, code="A")

    assert list(UserProgress.objects.filter(user=child).values_list("module", flat=True)) == [module_a.pk]
    assert selectors.module_statuses(user=child) == {module_a.pk: ProgressStatus.UNLOCKED}
    assert set(
        Venue.objects.filter(pk__in=selectors.unlocked_venue_ids(user=child)).values_list("module", flat=True)
    ) == {module_a.pk}
    assert not LessonSession.objects.filter(user=child).exists()
    assert Profile.objects.get(user=child).xp == 0


def test_it_changes_nothing_when_demo_runs_twice(demo):
    before = snapshot()

    assert seed_data.main(["demo"]) == 0
    assert seed_data.main(["module_a_sample"]) == 0

    assert snapshot() == before
    assert VenueTaskSheet.objects.count() == Venue.objects.count()


def test_it_logs_each_demo_action_once(demo):
    logged = AnalyticsEvent.objects.count()
    assert seed_data.main(["demo"]) == 0

    assert AnalyticsEvent.objects.count() == logged  # a second run does nothing, so it logs nothing
    # Clinical events name no row (events.py), so the demo's several sessions log identical facts.
    named = AnalyticsEvent.objects.exclude(event_type__in=events.WITHOUT_ROW_IDS)
    repeated = named.values("event_type", "user", "event_data").annotate(n=Count("id")).filter(n__gt=1)
    assert list(repeated) == []
