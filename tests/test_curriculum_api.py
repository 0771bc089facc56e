"""/api/v1/ curriculum content, catalogue, progress and lesson runs; seed 004's /api/courses."""

from datetime import datetime
from decimal import Decimal

import pytest

from myApp.accounts.models import Profile, Role
from myApp.curriculum import services
from myApp.curriculum.models import Course, Enrollment, Level, Module
from tests.factories import (
    CourseFactory,
    KnowledgeBlockFactory,
    LessonFactory,
    LevelFactory,
    ModuleFactory,
    UserFactory,
)

V1 = "/api/v1"
CATALOGUE_KEYS = {
    "id",
    "title",
    "description",
    "level",
    "teacher_id",
    "course_order",
    "course_number",
    "country",
    "file_metadata",
    "created_by",
    "created_at",
    "updated_at",
}


def balance(user) -> tuple[int, int, int]:
    profile = Profile.objects.get(user=user)
    return profile.xp, profile.coins, profile.tickets


@pytest.fixture
def teacher(db):
    return UserFactory(username="teacher", role=Role.TEACHER)


@pytest.fixture
def learner(owner, curriculum):
    """The owner with the curriculum started: module A and its venue are open."""
    services.curriculum_start(user=owner)
    return owner


# --- Content --------------------------------------------------------------------------


def test_it_answers_401_without_a_token(anon_api, curriculum):
    for url in (f"{V1}/levels/", f"{V1}/courses/", f"{V1}/lesson-sessions/", f"{V1}/districts/", "/api/courses"):
        response = anon_api.get(url)
        assert response.status_code == 401, url
        assert set(response.json()) == {"detail", "errors"}


def test_it_lets_a_learner_read_the_content(api_as, owner, curriculum):
    KnowledgeBlockFactory(module=curriculum.module_a, title="Breathe first")
    client = api_as(owner)
    levels = client.get(f"{V1}/levels/").json()["results"]
    assert [(level["number"], [m["code"] for m in level["modules"]]) for level in levels] == [(1, ["A", "B"])]
    modules = client.get(f"{V1}/modules/").json()["results"]
    assert [(m["code"], m["level_number"]) for m in modules] == [("A", 1), ("B", 1)]
    lesson = client.get(f"{V1}/lessons/{curriculum.lessons_a[0].pk}/").json()
    assert [step["kind"] for step in lesson["steps"]] == ["text", "choice", "scale"]
    blocks = client.get(f"{V1}/knowledge-blocks/").json()["results"]
    assert [block["title"] for block in blocks] == ["Breathe first"]


def test_it_refuses_content_and_course_writes_from_a_learner(api_as, owner, curriculum):
    client = api_as(owner)
    lesson = curriculum.lessons_a[0]
    refused = [
        client.post(f"{V1}/levels/", {"number": 2, "title": "Next"}),
        client.post(f"{V1}/modules/", {"level": curriculum.level.pk, "code": "C", "title": "Voice", "order": 3}),
        client.patch(f"{V1}/lessons/{lesson.pk}/", {"title": "Mine now"}),
        client.delete(f"{V1}/modules/{curriculum.module_b.pk}/"),
        client.post(f"{V1}/courses/", {"title": "My course", "course_number": 900}),
    ]
    assert [response.status_code for response in refused] == [403] * 5
    assert (Level.objects.count(), Module.objects.count(), Course.objects.count()) == (1, 2, 0)
    lesson.refresh_from_db()
    assert lesson.title != "Mine now"


def test_it_lets_staff_manage_the_content(api_as, staff, curriculum):
    client = api_as(staff)
    level = client.post(f"{V1}/levels/", {"number": 2, "title": "Storytelling", "milestone_threshold": 75})
    assert level.status_code == 201, level.json()
    module = client.post(f"{V1}/modules/", {"level": level.json()["id"], "code": "A", "title": "Arcs", "order": 1})
    assert module.status_code == 201, module.json()
    steps = [{"prompt": "Name your hero."}, {"prompt": "Pick a shape.", "kind": "choice", "choices": ["Arc", "Loop"]}]
    lesson = client.post(
        f"{V1}/lessons/", {"module": module.json()["id"], "order": 1, "title": "Heroes", "steps": steps}
    )
    assert lesson.status_code == 201, lesson.json()
    assert lesson.json()["steps"][0] == {"prompt": "Name your hero.", "kind": "text"}

    bad = client.post(f"{V1}/lessons/", {"module": module.json()["id"], "order": 2, "title": "X", "steps": [{}]})
    assert bad.status_code == 400
    assert "Step 1: needs a prompt." in bad.json()["errors"]["steps"]
    one_choice = [{"prompt": "Pick", "kind": "choice", "choices": ["Only"]}]
    refused = client.post(
        f"{V1}/lessons/", {"module": module.json()["id"], "order": 3, "title": "Y", "steps": one_choice}
    )
    assert refused.json()["errors"]["steps"] == ["Step 1: a choice step needs at least two choices."]
    duplicate = client.post(f"{V1}/modules/", {"level": level.json()["id"], "code": "A", "title": "Again", "order": 2})
    assert duplicate.status_code == 400

    assert client.delete(f"{V1}/modules/{curriculum.module_b.pk}/").status_code == 204
    assert not Module.objects.filter(pk=curriculum.module_b.pk).exists()


def test_it_lists_levels_in_a_constant_number_of_queries(api_as, owner, django_assert_max_num_queries):
    client = api_as(owner)

    def add_levels(numbers) -> None:
        for number in numbers:
            level = LevelFactory(number=number)
            for order in (1, 2, 3):
                ModuleFactory(level=level, order=order)

    # token, count, levels, their modules: the same for 2 levels or 10
    add_levels(range(1, 3))
    with django_assert_max_num_queries(4):
        assert len(client.get(f"{V1}/levels/").json()["results"]) == 2
    add_levels(range(3, 11))
    with django_assert_max_num_queries(4):
        results = client.get(f"{V1}/levels/").json()["results"]
    assert [len(level["modules"]) for level in results] == [3] * 10


# --- Courses ----------------------------------------------------------------------------


def test_it_filters_courses_by_country_and_level(api_as, owner):
    CourseFactory(title="Robotics", country="India", level="Beginner")
    CourseFactory(title="Debate", country="India", level="Advanced")
    CourseFactory(title="Pitching", country="Kenya", level="Beginner")
    client = api_as(owner)

    def titles(query: str) -> list[str]:
        return [course["title"] for course in client.get(f"{V1}/courses/{query}").json()["results"]]

    assert titles("") == ["Robotics", "Debate", "Pitching"]
    assert titles("?country=india") == ["Robotics", "Debate"]
    assert titles("?level=Beginner") == ["Robotics", "Pitching"]
    assert titles("?country=India&level=Advanced") == ["Debate"]
    assert titles("?country=Peru") == []


def test_it_lets_a_teacher_create_and_change_only_their_own_courses(api_as, teacher, staff):
    client = api_as(teacher)
    other_teacher = UserFactory(username="other-teacher", role=Role.TEACHER)
    created = client.post(f"{V1}/courses/", {"title": "Voice", "course_number": 301, "country": "Kenya"})
    assert created.status_code == 201, created.json()
    course = created.json()
    assert (course["teacher"], course["teacher_username"], course["created_by"]) == (teacher.pk, "teacher", "teacher")

    for_someone_else = client.post(f"{V1}/courses/", {"title": "X", "course_number": 302, "teacher": other_teacher.pk})
    assert for_someone_else.status_code == 403
    assert "teacher" in for_someone_else.json()["errors"]
    taken = client.post(f"{V1}/courses/", {"title": "Again", "course_number": 301})
    assert taken.status_code == 400
    assert "course_number" in taken.json()["errors"]
    unknown = client.post(f"{V1}/courses/", {"title": "Cheap", "course_number": 303, "created_by": staff.pk})
    assert unknown.status_code == 400
    assert "created_by" in unknown.json()["errors"]

    renamed = client.patch(f"{V1}/courses/{course['id']}/", {"title": "Voice and breath"})
    assert renamed.status_code == 200, renamed.json()
    assert renamed.json()["title"] == "Voice and breath"

    theirs = api_as(staff).post(
        f"{V1}/courses/", {"title": "Theirs", "course_number": 310, "teacher": other_teacher.pk}
    )
    assert theirs.status_code == 201, theirs.json()
    assert theirs.json()["teacher"] == other_teacher.pk
    refused = client.patch(f"{V1}/courses/{theirs.json()['id']}/", {"title": "Mine"})
    assert refused.status_code == 403
    assert Course.objects.get(pk=theirs.json()["id"]).title == "Theirs"
    staff_edit = api_as(staff).patch(f"{V1}/courses/{course['id']}/", {"country": "Ghana", "teacher": other_teacher.pk})
    assert staff_edit.status_code == 200
    assert (staff_edit.json()["country"], staff_edit.json()["teacher"]) == ("Ghana", other_teacher.pk)


def test_it_enrolls_and_purchases_once(api_as, owner, outsider):
    free = CourseFactory(title="Free")
    paid = CourseFactory(title="Paid", price=Decimal("19.99"), currency="EUR")
    client = api_as(owner)

    first = client.post(f"{V1}/courses/{free.pk}/enroll/")
    assert (first.status_code, first.json()["is_paid"]) == (201, True)
    assert client.post(f"{V1}/courses/{free.pk}/enroll/").status_code == 200
    assert client.post(f"{V1}/courses/{free.pk}/purchase/").status_code == 400

    bought = client.post(f"{V1}/courses/{paid.pk}/purchase/")
    assert bought.status_code == 201, bought.json()
    assert (bought.json()["amount"], bought.json()["currency"]) == ("19.99", "EUR")
    again = client.post(f"{V1}/courses/{paid.pk}/purchase/")
    assert (again.status_code, again.json()["id"]) == (200, bought.json()["id"])
    assert Enrollment.objects.get(user=owner, course=paid).is_paid is True

    enrollments = client.get(f"{V1}/enrollments/").json()["results"]
    assert sorted(row["course_title"] for row in enrollments) == ["Free", "Paid"]
    mine = Enrollment.objects.get(user=owner, course=free)
    assert client.get(f"{V1}/enrollments/{mine.pk}/").status_code == 200
    assert api_as(outsider).get(f"{V1}/enrollments/").json()["results"] == []
    assert api_as(outsider).get(f"{V1}/enrollments/{mine.pk}/").status_code == 404


def test_it_lists_courses_in_a_constant_number_of_queries(api_as, owner, teacher, django_assert_max_num_queries):
    client = api_as(owner)
    # token, count, one page with teacher and creator joined
    CourseFactory.create_batch(2, teacher=teacher, created_by=teacher)
    with django_assert_max_num_queries(3):
        assert len(client.get(f"{V1}/courses/?country=India").json()["results"]) == 2
    CourseFactory.create_batch(8, teacher=teacher, created_by=teacher)
    with django_assert_max_num_queries(3):
        assert len(client.get(f"{V1}/courses/?country=India").json()["results"]) == 10


def test_it_serves_seed_004_courses_with_every_column(api_as, owner, teacher, django_assert_max_num_queries):
    CourseFactory(
        title="Introduction to Robotics",
        description="Learn robotics fundamentals",
        level="Beginner",
        teacher=teacher,
        course_order=1,
        course_number=101,
        country="India",
        file_metadata={"syllabus": "robotics.pdf"},
        created_by=teacher,
    )
    CourseFactory(course_number=102, course_order=2, country="Kenya")
    client = api_as(owner)
    with django_assert_max_num_queries(2):  # token, every course with its creator joined
        response = client.get("/api/courses")
    assert response.status_code == 200
    first, second = response.json()
    assert set(first) == CATALOGUE_KEYS
    assert {key: first[key] for key in CATALOGUE_KEYS - {"id", "created_at", "updated_at"}} == {
        "title": "Introduction to Robotics",
        "description": "Learn robotics fundamentals",
        "level": "Beginner",
        "teacher_id": teacher.pk,
        "course_order": 1,
        "course_number": 101,
        "country": "India",
        "file_metadata": {"syllabus": "robotics.pdf"},
        "created_by": "teacher",
    }
    assert datetime.fromisoformat(first["created_at"]) <= datetime.fromisoformat(first["updated_at"])
    assert (second["teacher_id"], second["created_by"], second["country"]) == (None, None, "Kenya")


def test_it_documents_the_curriculum_endpoints(client, owner):
    client.force_login(owner)
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    assert "/api/courses" in paths
    assert paths["/api/courses"]["get"]["operationId"] == "courses_catalogue"
    assert {
        f"{V1}/lesson-sessions/{{id}}/answer/",
        f"{V1}/venues/{{id}}/enter/",
        f"{V1}/amphitheatre-sessions/hub/",
        f"{V1}/progress/modules/",
    } <= set(paths)
    assert "multipart/form-data" in paths[f"{V1}/milestones/"]["post"]["requestBody"]["content"]


# --- Progress ---------------------------------------------------------------------------


def test_it_starts_the_curriculum_once(api_as, owner, curriculum):
    client = api_as(owner)
    assert client.get(f"{V1}/progress/").json()["results"] == []
    started = client.post(f"{V1}/progress/start/")
    assert started.status_code == 200
    assert [(row["module_code"], row["status"]) for row in started.json()] == [("A", "unlocked")]
    assert client.post(f"{V1}/progress/start/").json() == started.json()
    assert client.post(f"{V1}/lesson-sessions/", {"lesson": curriculum.lessons_a[0].pk}).status_code == 201


def test_it_shows_a_learner_their_own_progress_with_status(api_as, learner, outsider, curriculum):
    client = api_as(learner)
    rows = client.get(f"{V1}/progress/").json()["results"]
    assert [(row["module_code"], row["status"]) for row in rows] == [("A", "unlocked")]
    row_id = rows[0]["id"]

    session, _ = services.lesson_session_start(user=learner, lesson=curriculum.lessons_a[0])
    services.lesson_session_answer(session=session, user=learner, value="Open with a story")
    assert client.get(f"{V1}/progress/{row_id}/").json()["status"] == "in_progress"
    modules = client.get(f"{V1}/progress/modules/").json()
    assert [(row["code"], row["status"]) for row in modules] == [("A", "in_progress"), ("B", "locked")]

    stranger = api_as(outsider)
    assert stranger.get(f"{V1}/progress/").json()["results"] == []
    assert stranger.get(f"{V1}/progress/{row_id}/").status_code == 404
    # the first module is open to everyone (derived), though the stranger has no progress row yet
    assert [row["status"] for row in stranger.get(f"{V1}/progress/modules/").json()] == ["unlocked", "locked"]


# --- Lesson runs -----------------------------------------------------------------------------


def run_lesson(client, lesson) -> dict:
    started = client.post(f"{V1}/lesson-sessions/", {"lesson": lesson.pk})
    assert started.status_code == 201, started.json()
    url = f"{V1}/lesson-sessions/{started.json()['id']}"
    for value in ("Open with a question", "A question", 4):
        answered = client.post(f"{url}/answer/", {"value": value, "duration_ms": 1200})
        assert answered.status_code == 200, answered.json()
    finished = client.post(f"{url}/finish/")
    assert finished.status_code == 200, finished.json()
    return finished.json()


def test_it_runs_lessons_and_completes_the_module(api_as, learner, curriculum):
    client = api_as(learner)
    first, second = curriculum.lessons_a
    started = client.post(f"{V1}/lesson-sessions/", {"lesson": first.pk})
    assert started.status_code == 201
    session = started.json()
    assert (session["state"], session["current_step"], session["step_count"]) == ("created", 0, 3)
    assert session["next_step"]["prompt"] == first.steps[0]["prompt"]
    resumed = client.post(f"{V1}/lesson-sessions/", {"lesson": first.pk})
    assert (resumed.status_code, resumed.json()["id"]) == (200, session["id"])

    answered = client.post(f"{V1}/lesson-sessions/{session['id']}/answer/", {"value": "Ask a question"})
    assert (answered.json()["state"], answered.json()["current_step"]) == ("in_progress", 1)
    for value in ("A question", 4):
        client.post(f"{V1}/lesson-sessions/{session['id']}/answer/", {"value": value})
    done = client.post(f"{V1}/lesson-sessions/{session['id']}/finish/").json()
    assert (done["state"], done["next_step"], [r["value"] for r in done["responses"]]) == (
        "completed",
        None,
        ["Ask a question", "A question", 4],
    )
    assert balance(learner) == (10, 0, 0)  # the lesson's XP

    assert run_lesson(client, second)["state"] == "completed"
    # both lessons done: module A's rewards, module B and its venue open
    assert balance(learner) == (10 + 10 + 50, 10, 2)
    statuses = {row["code"]: row["status"] for row in client.get(f"{V1}/progress/modules/").json()}
    assert statuses == {"A": "completed", "B": "unlocked"}
    venues = client.get(f"{V1}/districts/{curriculum.district.pk}/").json()["venues"]
    assert {venue["slug"]: venue["unlocked"] for venue in venues} == {"cafe": True, "town-hall": True}

    late = client.post(f"{V1}/lesson-sessions/{session['id']}/answer/", {"value": "One more"})
    assert late.status_code == 409
    assert late.json()["errors"] == {"state": ["completed"]}


def test_it_explains_bad_answers_and_locked_lessons(api_as, learner, curriculum):
    client = api_as(learner)
    session = client.post(f"{V1}/lesson-sessions/", {"lesson": curriculum.lessons_a[0].pk}).json()
    url = f"{V1}/lesson-sessions/{session['id']}/answer/"
    for body in ({"value": "   "}, {}, {"value": None}, {"value": "x", "duration_ms": -1}, {"value": "x", "step": -1}):
        response = client.post(url, body)
        assert response.status_code == 400, body
        assert set(response.json()["errors"]) & {"value", "duration_ms", "step"}, response.json()
    assert client.post(url, {}).json()["errors"] == {"value": ["This field is required."]}
    client.post(url, {"value": "Ask a question"})
    wrong_choice = client.post(url, {"value": "A shrug"})
    assert (wrong_choice.status_code, list(wrong_choice.json()["errors"])) == (400, ["value"])
    client.post(url, {"value": "A question"})
    for not_ascii_digits in ("²", "\u0661"):  # str.isdigit() says yes to both; int() refuses "²"
        response = client.post(url, {"value": not_ascii_digits})
        assert (response.status_code, list(response.json()["errors"])) == (400, ["value"])
    early = client.post(f"{V1}/lesson-sessions/{session['id']}/finish/")
    assert early.status_code == 409

    locked = client.post(f"{V1}/lesson-sessions/", {"lesson": curriculum.lessons_b[0].pk})
    assert (locked.status_code, list(locked.json()["errors"])) == (409, ["lesson"])
    missing = client.post(f"{V1}/lesson-sessions/", {"lesson": 999999})
    assert (missing.status_code, list(missing.json()["errors"])) == (400, ["lesson"])


def test_it_hides_a_lesson_session_from_an_outsider(api_as, learner, outsider, curriculum):
    session, _ = services.lesson_session_start(user=learner, lesson=curriculum.lessons_a[0])
    url = f"{V1}/lesson-sessions/{session.pk}"
    stranger = api_as(outsider)
    assert stranger.get(f"{V1}/lesson-sessions/").json()["results"] == []
    assert stranger.get(f"{url}/").status_code == 404
    for verb, body in (("answer", {"value": "hijack"}), ("finish", {}), ("abandon", {})):
        assert stranger.post(f"{url}/{verb}/", body).status_code == 404, verb
    session.refresh_from_db()
    assert (session.state, session.current_step) == ("created", 0)

    owned = api_as(learner)
    assert [row["id"] for row in owned.get(f"{V1}/lesson-sessions/").json()["results"]] == [str(session.pk)]
    abandoned = owned.post(f"{url}/abandon/")
    assert (abandoned.status_code, abandoned.json()["state"]) == (200, "abandoned")
    assert owned.post(f"{url}/abandon/").status_code == 409


def test_it_lists_lesson_sessions_in_a_constant_number_of_queries(
    api_as, learner, curriculum, django_assert_max_num_queries
):
    client = api_as(learner)
    extra_lessons = [LessonFactory(module=curriculum.module_a, order=10 + n) for n in range(8)]

    def run(lessons) -> None:
        for lesson in lessons:
            session, _ = services.lesson_session_start(user=learner, lesson=lesson)
            services.lesson_session_answer(session=session, user=learner, value="An answer")

    # token, count, sessions with lesson/module/level joined, their responses
    run(curriculum.lessons_a)
    with django_assert_max_num_queries(4):
        assert len(client.get(f"{V1}/lesson-sessions/").json()["results"]) == 2
    run(extra_lessons)
    with django_assert_max_num_queries(4):
        results = client.get(f"{V1}/lesson-sessions/").json()["results"]
    assert [len(row["responses"]) for row in results] == [1] * 10
