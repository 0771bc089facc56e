"""Reads that return each value once, however many rows repeat it (issue 9: ``.values_list().distinct()`` on a
model with a default ordering added the ordering column to SELECT DISTINCT and de-duplicated nothing)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from myApp.curriculum import selectors
from myApp.curriculum.models import Course, MilestoneAttempt
from tests.factories import CourseFactory, LevelFactory, UserFactory


def _passing_attempts(user, level, count: int) -> None:
    MilestoneAttempt.objects.bulk_create(
        MilestoneAttempt(
            user=user, level=level, audio_url="https://example.com/a.mp3", rubric_scores={}, score=80, pass_bool=True
        )
        for _ in range(count)
    )


def test_it_reads_each_passed_level_once_in_one_query_without_the_attempts_order(db):
    learner = UserFactory()
    first, second, never_passed = LevelFactory(), LevelFactory(), LevelFactory()
    _passing_attempts(learner, first, 60)
    _passing_attempts(learner, second, 40)
    _passing_attempts(UserFactory(), never_passed, 5)  # someone else's pass is not the learner's

    with CaptureQueriesContext(connection) as queries:
        passed = selectors.passed_level_ids(user=learner)

    assert passed == {first.pk, second.pk}
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"]
    assert "created_at" not in sql  # the attempts' ordering column is neither selected nor sorted on
    assert "EXISTS" in sql.upper()  # stops at the first passing attempt per level, whatever their number


def test_it_lists_each_catalogue_country_once_in_one_query(db):
    for index in range(30):
        CourseFactory(country=("India", "Canada", "Germany")[index % 3])
    CourseFactory(country="")

    with CaptureQueriesContext(connection) as queries:
        countries = selectors.course_countries()

    assert countries == ["Canada", "Germany", "India"]
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"]
    assert "course_order" not in sql and "course_number" not in sql  # Course's default ordering is not in DISTINCT
    assert Course.objects.count() == 31


def test_it_keeps_the_home_page_to_the_same_queries_with_many_passes(db, client, django_assert_num_queries):
    learner = UserFactory()
    level = LevelFactory()
    _passing_attempts(learner, level, 5)
    client.force_login(learner)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200

    _passing_attempts(learner, level, 500)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/")

    assert response.status_code == 200
