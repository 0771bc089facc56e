"""Seed 002's practice records: scored exercise attempts, high-stakes situations and the scenario in play."""

import datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from myApp.accounts.services import profile_adjust_balance
from myApp.curriculum import services
from myApp.curriculum.models import ExerciseAttempt, LessonSessionContext, StakesMap, VenueTaskSheet
from myApp.curriculum.services.stakes import SCENARIO_COOLDOWN
from myApp.lib.exceptions import Conflict, ServiceError

V1 = "/api/v1"
EXERCISES = [
    {"key": "intro", "title": "Introduce yourself", "instructions": "Thirty seconds.", "duration_s": 30},
    {"key": "follow_up", "title": "Follow up", "instructions": "Ask one more question.", "duration_s": 60},
]


@pytest.fixture
def learner(owner, curriculum):
    services.curriculum_start(user=owner)
    VenueTaskSheet.objects.create(venue=curriculum.venue_a, title="Small talk", order=1, exercises=EXERCISES)
    profile_adjust_balance(user=owner, tickets=3)
    return owner


@pytest.fixture
def visit(learner, curriculum):
    entry, _ = services.venue_enter(user=learner, venue=curriculum.venue_a)
    return entry


# --- Scored attempts: venues ---------------------------------------------------------------


def test_it_records_scored_venue_attempts_through_the_page(client, learner, visit, curriculum):
    client.force_login(learner)
    page = client.get(reverse("curriculum:venue", args=[curriculum.venue_a.slug])).content.decode()
    assert 'data-testid="attempts"' in page and "Introduce yourself" in page

    url = reverse("curriculum:visit_attempt", args=[visit.pk])
    response = client.post(url, {"exercise_key": "intro", "score": "65", "notes": "Rushed the end."})
    assert response.status_code == 302
    client.post(url, {"exercise_key": "intro", "score": "80"})

    attempts = list(ExerciseAttempt.objects.filter(user=learner).order_by("created_at", "id"))
    assert [(a.exercise_key, a.score, a.notes) for a in attempts] == [
        ("intro", 65, "Rushed the end."),
        ("intro", 80, ""),
    ]
    assert {a.venue_entry_id for a in attempts} == {visit.pk}
    assert {a.module_id for a in attempts} == {curriculum.module_a.pk}
    page = client.get(reverse("curriculum:venue", args=[curriculum.venue_a.slug])).content.decode()
    assert "Your scores this visit: 65, 80" in page


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"exercise_key": "intro", "score": "101"}, "score"),
        ({"exercise_key": "intro", "score": "-1"}, "score"),
        ({"exercise_key": "intro"}, "score"),
        ({"exercise_key": "juggling", "score": "50"}, "exercise_key"),
    ],
)
def test_it_explains_a_bad_attempt_on_the_page(client, learner, visit, body, field):
    client.force_login(learner)

    response = client.post(reverse("curriculum:visit_attempt", args=[visit.pk]), body)

    assert response.status_code == 400
    assert response.context["attempt_forms"]  # the venue page again, with the form's errors
    if field == "exercise_key":  # no form on the page has that key: a message says so
        assert "That exercise is not part of this venue" in response.content.decode()
    else:
        bound = next(form for _, _, form in response.context["attempt_forms"] if form.is_bound)
        assert field in bound.errors
    assert not ExerciseAttempt.objects.exists()


def test_it_records_venue_attempts_through_the_api(api_as, learner, outsider, visit):
    api = api_as(learner)
    url = f"{V1}/venue-entries/{visit.pk}/attempt/"

    created = api.post(url, {"exercise_key": "follow_up", "score": 72, "notes": "Good eye contact."})
    assert created.status_code == 201
    assert (created.json()["exercise_key"], created.json()["score"], created.json()["venue_entry"]) == (
        "follow_up",
        72,
        visit.pk,
    )
    assert api.get(f"{V1}/venue-entries/{visit.pk}/").json()["attempts"][0]["score"] == 72
    assert [row["score"] for row in api.get(f"{V1}/exercise-attempts/").json()["results"]] == [72]

    assert api.post(url, {"exercise_key": "nope", "score": 50}).status_code == 400
    assert api.post(url, {"exercise_key": "intro", "score": 101}).status_code == 400
    assert api.post(url, {"exercise_key": "intro", "score": 50, "xp": 9}).status_code == 400
    assert api_as(outsider).post(url, {"exercise_key": "intro", "score": 50}).status_code == 404
    assert api_as(outsider).get(f"{V1}/exercise-attempts/").json()["results"] == []

    services.venue_finish(user=learner, entry=visit)
    late = api.post(url, {"exercise_key": "intro", "score": 50})
    assert (late.status_code, late.json()["errors"]) == (409, {"entry": ["already_finished"]})
    assert ExerciseAttempt.objects.count() == 1


def test_it_lists_visits_with_attempts_in_a_constant_number_of_queries(
    api_as, learner, curriculum, django_assert_max_num_queries
):
    api = api_as(learner)
    profile_adjust_balance(user=learner, tickets=20)

    def visit_with_attempts(count: int) -> None:
        entry, _ = services.venue_enter(user=learner, venue=curriculum.venue_a)
        for score in range(count):
            services.venue_exercise_attempt(user=learner, entry=entry, exercise_key="intro", score=score)
        services.venue_finish(user=learner, entry=entry)

    visit_with_attempts(1)
    with django_assert_max_num_queries(4):  # token, count, entries with venues, their attempts
        assert len(api.get(f"{V1}/venue-entries/").json()["results"]) == 1
    for _ in range(5):
        visit_with_attempts(3)
    with django_assert_max_num_queries(4):
        assert len(api.get(f"{V1}/venue-entries/").json()["results"]) == 6


# --- Scored attempts: the amphitheatre ------------------------------------------------------


def test_it_records_a_scored_amphitheatre_exercise_as_an_attempt(client, learner):
    client.force_login(learner)
    client.post(reverse("curriculum:amphitheatre"))
    visit, _ = services.amphitheatre_hub(user=learner)
    scores = {"clarity": 80, "structure": 71, "pacing": 60, "confidence": 90, "engagement": 75}

    response = client.post(
        reverse("curriculum:amphitheatre_submit", args=[visit.pk]), {"exercise_key": "story", **scores}
    )

    assert response.status_code == 302
    attempt = ExerciseAttempt.objects.get(user=learner)
    record = visit.records.get()
    assert (attempt.amphitheatre_record_id, attempt.venue_entry_id, attempt.module_id) == (record.pk, None, None)
    assert (attempt.exercise_key, attempt.score) == ("story", round(sum(scores.values()) / 5))

    services.amphitheatre_submit(user=learner, session=visit, exercise_key="warm_up", scores={})
    assert ExerciseAttempt.objects.count() == 1  # an unscored recording is no scored attempt


def test_it_holds_an_attempt_to_exactly_one_place(learner, visit):
    with pytest.raises(IntegrityError):
        ExerciseAttempt.objects.create(user=learner, exercise_key="intro", score=50)


# --- High-stakes situations and the scenario in play -------------------------------------------


def test_it_captures_high_stakes_situations_on_module_a(client, learner, curriculum):
    client.force_login(learner)
    page = client.get(reverse("curriculum:module", args=[curriculum.module_a.pk])).content.decode()
    assert 'data-testid="stakes"' in page
    other = client.get(reverse("curriculum:module", args=[curriculum.module_b.pk])).content.decode()
    assert 'data-testid="stakes"' not in other

    url = reverse("curriculum:module_stakes", args=[curriculum.module_a.pk])
    response = client.post(url, {"scenarios": "My thesis defence\n\n  the Monday stand-up \nmy thesis defence"})

    assert response.status_code == 302
    stakes = StakesMap.objects.get(user=learner)
    assert (stakes.module_id, stakes.scenarios) == (
        curriculum.module_a.pk,
        ["My thesis defence", "the Monday stand-up"],
    )
    page = client.get(reverse("curriculum:module", args=[curriculum.module_a.pk])).content.decode()
    assert "My thesis defence\nthe Monday stand-up</textarea>" in page

    too_many = client.post(url, {"scenarios": "\n".join(f"Situation {n}" for n in range(6))})
    assert too_many.status_code == 400 and "at most 5" in too_many.content.decode()
    refused = client.post(reverse("curriculum:module_stakes", args=[curriculum.module_b.pk]), {"scenarios": "x"})
    assert refused.status_code == 409
    assert StakesMap.objects.get(user=learner).scenarios == ["My thesis defence", "the Monday stand-up"]


def test_it_captures_situations_through_the_api(api_as, learner, outsider, curriculum):
    api = api_as(learner)

    saved = api.post(f"{V1}/stakes-maps/", {"module": curriculum.module_a.pk, "scenarios": ["A wedding toast"]})

    assert saved.status_code == 200 and saved.json()["scenarios"] == ["A wedding toast"]
    assert [row["scenarios"] for row in api.get(f"{V1}/stakes-maps/").json()["results"]] == [["A wedding toast"]]
    assert api_as(outsider).get(f"{V1}/stakes-maps/").json()["results"] == []
    locked = api.post(f"{V1}/stakes-maps/", {"module": curriculum.module_b.pk, "scenarios": ["x"]})
    assert locked.status_code == 409
    blank = api.post(f"{V1}/stakes-maps/", {"module": curriculum.module_a.pk, "scenarios": ["   "]})
    assert (blank.status_code, list(blank.json()["errors"])) == (400, ["scenarios.0"])


def test_it_rehearses_a_situation_in_later_lessons_and_rotates_after_the_cooldown(
    client, api_as, learner, curriculum, complete_lesson
):
    services.stakes_map_set(user=learner, module=curriculum.module_a, scenarios=["Thesis defence", "Stand-up"])
    for lesson in curriculum.lessons_a:
        complete_lesson(learner, lesson)
    assert not LessonSessionContext.objects.exists()  # module A captures; it does not rehearse

    first, _ = services.lesson_session_start(user=learner, lesson=curriculum.lessons_b[0])
    context = LessonSessionContext.objects.get(user=learner, module=curriculum.module_b)
    assert context.scenario == "Thesis defence"
    assert context.cooldown_until > timezone.now() + SCENARIO_COOLDOWN - datetime.timedelta(minutes=1)
    client.force_login(learner)
    page = client.get(reverse("curriculum:session", args=[first.pk])).content.decode()
    assert 'data-testid="scenario"' in page and "Thesis defence" in page
    assert api_as(learner).get(f"{V1}/lesson-sessions/{first.pk}/").json()["scenario"] == "Thesis defence"

    second, _ = services.lesson_session_start(user=learner, lesson=curriculum.lessons_b[1])
    assert LessonSessionContext.objects.get(pk=context.pk).scenario == "Thesis defence"  # within the cooldown

    LessonSessionContext.objects.filter(pk=context.pk).update(cooldown_until=timezone.now())
    services.lesson_session_abandon(session=second, user=learner)
    services.lesson_session_start(user=learner, lesson=curriculum.lessons_b[1])
    assert LessonSessionContext.objects.get(pk=context.pk).scenario == "Stand-up"
    assert api_as(learner).get(f"{V1}/lesson-sessions/{first.pk}/").json()["scenario"] == "Stand-up"


def test_it_rehearses_nothing_for_a_learner_without_situations(api_as, learner, curriculum, complete_lesson):
    for lesson in curriculum.lessons_a:
        complete_lesson(learner, lesson)
    session, _ = services.lesson_session_start(user=learner, lesson=curriculum.lessons_b[0])

    assert api_as(learner).get(f"{V1}/lesson-sessions/{session.pk}/").json()["scenario"] is None
    assert not LessonSessionContext.objects.exists()


def test_it_refuses_situations_outside_the_bounds(learner, curriculum):
    with pytest.raises(ServiceError) as too_long:
        services.stakes_map_set(user=learner, module=curriculum.module_a, scenarios=["x" * 201])
    assert list(too_long.value.errors) == ["scenarios.0"]
    with pytest.raises(ServiceError):
        services.stakes_map_set(user=learner, module=curriculum.module_a, scenarios="not a list")
    with pytest.raises(Conflict):
        services.stakes_map_set(user=learner, module=curriculum.module_b, scenarios=["x"])
    assert not StakesMap.objects.exists()
