"""Every reward path besides the amphitheatre has a bound the server owns; each test replays
the action until it would exceed that bound (venues, lessons, modules, milestones, the catalogue)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from myApp.accounts.models import Profile
from myApp.accounts.services import profile_adjust_balance
from myApp.curriculum import economy, services
from myApp.curriculum.models import LessonSession, MilestoneAttempt, VenueEntry
from tests.conftest import STEP_ANSWERS
from tests.factories import CourseFactory

V1 = "/api/v1"
REPLAYS = 30


def balance(user) -> tuple[int, int, int]:
    profile = Profile.objects.get(user=user)
    return profile.xp, profile.coins, profile.tickets


@pytest.fixture
def learner(owner, curriculum):
    services.curriculum_start(user=owner)
    return owner


def visit(client, venue) -> dict:
    entered = client.post(f"{V1}/venues/{venue.pk}/enter/")
    assert entered.status_code == 201, entered.json()
    finished = client.post(f"{V1}/venue-entries/{entered.json()['id']}/finish/")
    assert finished.status_code == 200, finished.json()
    return finished.json()


# --- Venues: one paid visit per venue, learner and day -------------------------------------


def test_it_pays_a_free_venue_once_a_day_however_often_it_is_visited(api_as, learner, curriculum):
    venue = curriculum.venue_a
    venue.ticket_cost = 0
    venue.save()
    client = api_as(learner)
    assert client.get(f"{V1}/venues/{venue.pk}/").json()["paid_today"] is False

    visits = [visit(client, venue) for _ in range(REPLAYS)]

    assert balance(learner) == (venue.xp_reward, venue.coin_reward, 0)
    first, *again = visits
    assert (first["xp_awarded"], first["coins_awarded"], first["paid_on"]) == (
        venue.xp_reward,
        venue.coin_reward,
        timezone.localdate().isoformat(),
    )
    assert {(row["xp_awarded"], row["coins_awarded"], row["paid_on"]) for row in again} == {(0, 0, None)}
    assert {row["reward_note"] for row in again} == {economy.VENUE_UNPAID_VISIT_NOTE}
    assert client.get(f"{V1}/venues/{venue.pk}/").json()["paid_today"] is True
    assert VenueEntry.objects.filter(user=learner, finished_at__isnull=False).count() == REPLAYS


def test_it_spends_tickets_on_every_entry_but_pays_once_a_day(api_as, learner, curriculum):
    venue = curriculum.venue_a
    profile_adjust_balance(user=learner, tickets=REPLAYS)
    client = api_as(learner)
    for _ in range(REPLAYS):
        visit(client, venue)
    assert balance(learner) == (venue.xp_reward, venue.coin_reward, 0)
    assert client.post(f"{V1}/venues/{venue.pk}/enter/").status_code == 409  # no tickets left


def test_it_pays_a_venue_again_the_next_day(api_as, learner, curriculum):
    venue = curriculum.venue_a
    venue.ticket_cost = 0
    venue.save()
    client = api_as(learner)
    visit(client, venue)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    VenueEntry.objects.update(paid_on=timezone.localdate(yesterday), finished_at=yesterday)

    assert visit(client, venue)["xp_awarded"] == venue.xp_reward
    assert balance(learner) == (2 * venue.xp_reward, 2 * venue.coin_reward, 0)


def test_it_refuses_a_second_paid_visit_of_a_day_in_the_database(learner, curriculum):
    today = timezone.localdate()
    VenueEntry.objects.create(user=learner, venue=curriculum.venue_a, finished_at=timezone.now(), paid_on=today)
    with pytest.raises(IntegrityError), transaction.atomic():
        VenueEntry.objects.create(user=learner, venue=curriculum.venue_a, finished_at=timezone.now(), paid_on=today)


def test_it_tells_on_the_venue_page_that_another_visit_pays_nothing_today(client, learner, curriculum):
    venue = curriculum.venue_a
    profile_adjust_balance(user=learner, tickets=4)  # three visits, and one left for the Enter button
    client.force_login(learner)
    page = reverse("curriculum:venue", args=[venue.slug])
    enter = reverse("curriculum:venue_enter", args=[venue.slug])
    assert economy.VENUE_PAID_TODAY_NOTE not in client.get(page).content.decode()

    for number in range(3):
        client.post(enter)
        entry = VenueEntry.objects.get(user=learner, finished_at__isnull=True)
        if number == 1:
            html = client.get(page).content.decode()
            assert "Finish visit (pays nothing today)" in html
        finished = client.post(reverse("curriculum:visit_finish", args=[entry.pk]), follow=True)
        assert finished.status_code == 200

    messages = [str(message) for message in finished.context["messages"]]
    assert messages[-1] == f"Visit to {venue.name} finished. {economy.VENUE_UNPAID_VISIT_NOTE}"
    html = client.get(page).content.decode()
    assert economy.VENUE_PAID_TODAY_NOTE in html
    assert "(practice: pays nothing today)" in html
    assert balance(learner) == (venue.xp_reward, venue.coin_reward, 1)


def test_it_shows_a_visit_to_its_learner_only(api_as, learner, member, staff, outsider, curriculum):
    profile_adjust_balance(user=learner, tickets=1)
    entry, _ = services.venue_enter(user=learner, venue=curriculum.venue_a)
    url = f"{V1}/venue-entries/{entry.pk}"
    assert api_as(learner).get(f"{url}/").status_code == 200
    # Staff too: the visit is the learner's alone here (staff see it in the admin) and never pays staff.
    for stranger in (member, staff, outsider):
        assert api_as(stranger).get(f"{url}/").status_code == 404
        assert api_as(stranger).post(f"{url}/finish/").status_code == 404
    assert balance(learner) == (0, 0, 0)


# --- Lessons and modules: once per lesson, once per module ----------------------------------


def run_lesson(client, lesson) -> dict:
    session = client.post(f"{V1}/lesson-sessions/", {"lesson": lesson.pk}).json()
    for value in STEP_ANSWERS:
        client.post(f"{V1}/lesson-sessions/{session['id']}/answer/", {"value": value})
    finished = client.post(f"{V1}/lesson-sessions/{session['id']}/finish/")
    assert finished.status_code == 200, finished.json()
    return finished.json()


def test_it_pays_a_lesson_once_however_often_it_is_replayed(api_as, learner, curriculum):
    lesson = curriculum.lessons_a[0]
    client = api_as(learner)

    runs = [run_lesson(client, lesson) for _ in range(REPLAYS)]

    assert balance(learner) == (lesson.xp_reward, 0, 0)
    assert [run["rewarded"] for run in runs] == [True] + [False] * (REPLAYS - 1)
    assert LessonSession.objects.filter(user=learner, lesson=lesson, state="completed").count() == REPLAYS


def test_it_pays_a_module_once_however_often_its_last_lesson_is_replayed(api_as, learner, curriculum):
    module = curriculum.module_a
    client = api_as(learner)
    for lesson in curriculum.lessons_a:
        run_lesson(client, lesson)
    paid = balance(learner)
    assert paid == (sum(lesson.xp_reward for lesson in curriculum.lessons_a) + module.xp_reward, 10, 2)

    for _ in range(REPLAYS // 3):  # each finish of the last lesson asks to complete the module again
        run_lesson(client, curriculum.lessons_a[-1])
        services.module_complete(user=learner, module=module)

    assert balance(learner) == paid


def test_it_refuses_a_second_rewarded_run_of_a_lesson_in_the_database(learner, curriculum, complete_lesson):
    lesson = curriculum.lessons_a[0]
    complete_lesson(learner, lesson)
    with pytest.raises(IntegrityError), transaction.atomic():
        LessonSession.objects.create(
            user=learner, lesson=lesson, state="completed", completed_at=timezone.now(), rewarded=True
        )


# --- Milestones: the first pass per level ---------------------------------------------------


def test_it_pays_a_milestone_once_however_often_it_is_passed(api_as, learner, curriculum, complete_lesson):
    for lesson in [*curriculum.lessons_a, *curriculum.lessons_b]:
        complete_lesson(learner, lesson)
    before = balance(learner)
    client = api_as(learner)
    perfect = {"level": curriculum.level.pk, "audio_url": "https://a.example/take.mp3"}
    perfect["rubric_scores"] = {"clarity": 100, "structure": 100, "pacing": 100}

    attempts = [client.post(f"{V1}/milestones/", perfect) for _ in range(REPLAYS)]

    assert {response.status_code for response in attempts} == {201}
    assert [response.json()["rewarded"] for response in attempts] == [True] + [False] * (REPLAYS - 1)
    level = curriculum.level
    assert balance(learner) == (
        before[0] + level.milestone_xp_reward,
        before[1] + level.milestone_coin_reward,
        before[2],
    )
    assert MilestoneAttempt.objects.filter(user=learner, pass_bool=True).count() == REPLAYS


# --- The catalogue: never touches the balance -----------------------------------------------


def test_it_never_changes_the_balance_by_enrolling_or_buying(api_as, owner):
    profile_adjust_balance(user=owner, xp=7, coins=7, tickets=7)
    free, paid = CourseFactory(price=0), CourseFactory(price=30)
    client = api_as(owner)
    for _ in range(REPLAYS // 3):
        assert client.post(f"{V1}/courses/{free.pk}/enroll/").status_code in (200, 201)
        assert client.post(f"{V1}/courses/{paid.pk}/purchase/").status_code in (200, 201)
    assert balance(owner) == (7, 7, 7)
    assert owner.purchases.count() == 1


# --- The migration: past rows are counted under the new bounds -----------------------------


def test_it_marks_the_past_paid_rows_when_migrating(learner, curriculum):
    from importlib import import_module

    from django.apps import apps

    from myApp.curriculum.models import AmphitheatreExerciseRecord, AmphitheatreSession

    migration = import_module("myApp.curriculum.migrations.0003_reward_bounds")
    ended = AmphitheatreSession.objects.create(user=learner, visit_number=1, ended_at=timezone.now())
    old_records = [
        AmphitheatreExerciseRecord.objects.create(session=ended, exercise_key="story", xp_delta=14, coins_delta=2)
        for _ in range(3)
    ]
    still_open = AmphitheatreSession.objects.create(
        user=learner, visit_number=2, plan=[{"key": "story", "title": "Story"}, {"key": "juggling"}]
    )
    lesson = curriculum.lessons_a[0]
    runs = [
        LessonSession.objects.create(user=learner, lesson=lesson, state="completed", completed_at=timezone.now())
        for _ in range(2)
    ]
    entries = [
        VenueEntry.objects.create(user=learner, venue=curriculum.venue_a, finished_at=timezone.now(), xp_awarded=20)
        for _ in range(2)
    ]

    migration.backfill_reward_records(apps, None)

    assert [record.paid for record in AmphitheatreExerciseRecord.objects.order_by("pk")] == [True, False, False]
    assert old_records[0].pk == AmphitheatreExerciseRecord.objects.get(paid=True).pk
    still_open.refresh_from_db()
    assert still_open.plan == [
        {"key": "story", "title": "Story", "xp": 15, "coins": 3, "tickets": 1},
        {"key": "juggling"},
    ]
    assert [LessonSession.objects.get(pk=run.pk).rewarded for run in runs] == [True, False]
    assert [VenueEntry.objects.get(pk=entry.pk).paid_on for entry in entries] == [timezone.localdate(), None]
