"""The amphitheatre cannot be minted: the plan sets what an exercise pays, an exercise pays once
per visit, and a day has a bounded number of paying visits. Each test replays an action until
it would exceed its bound. The other reward paths are in test_curriculum_economy_paths.py."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from myApp.accounts.models import Profile
from myApp.curriculum import economy, services
from myApp.curriculum.models import AmphitheatreExerciseRecord, AmphitheatreSession
from myApp.curriculum.services.milestones import RUBRIC_CRITERIA

V1 = "/api/v1"
REPLAYS = 30
HUB_URL = reverse("curriculum:amphitheatre")


def balance(user) -> tuple[int, int, int]:
    profile = Profile.objects.get(user=user)
    return profile.xp, profile.coins, profile.tickets


def plan_item(key: str) -> dict:
    return next(item for item in economy.AMPHITHEATRE_PLAN if item["key"] == key)


def amounts(key: str) -> tuple[int, int, int]:
    return economy.plan_amounts(plan_item(key))


def plan_total() -> tuple[int, int, int]:
    rows = [economy.plan_amounts(item) for item in economy.AMPHITHEATRE_PLAN]
    return tuple(sum(column) for column in zip(*rows, strict=True))


def earning_visit(user, key: str = "warm_up") -> AmphitheatreSession:
    """Open a visit, record one exercise, end it."""
    session, _ = services.amphitheatre_hub(user=user)
    services.amphitheatre_submit(user=user, session=session, exercise_key=key, scores={"clarity": 50})
    return services.amphitheatre_end(user=user, session=session)


def move_to_yesterday(session: AmphitheatreSession) -> None:
    AmphitheatreSession.objects.filter(pk=session.pk).update(started_at=timezone.now() - datetime.timedelta(days=1))


# --- Amphitheatre: pays once per exercise and visit ---------------------------------------


def test_it_pays_an_exercise_replayed_through_the_api_once(api_as, owner):
    client = api_as(owner)
    visit = client.post(f"{V1}/amphitheatre-sessions/hub/").json()
    assert visit["paying"] and visit["pays_now"] and visit["rewards_note"] == economy.PAYING_VISIT_NOTE
    story = next(item for item in visit["plan"] if item["key"] == "story")
    assert (story["xp"], story["coins"], story["tickets"]) == amounts("story") != (0, 0, 0)

    records = [
        client.post(
            f"{V1}/amphitheatre-sessions/{visit['id']}/submit/",
            {"exercise_key": "story", "scores": {"clarity": 100, "pacing": 100}},
        )
        for _ in range(REPLAYS)
    ]

    assert [response.status_code for response in records] == [201] * REPLAYS
    assert balance(owner) == amounts("story")
    first, *again = (response.json() for response in records)
    assert (first["paid"], first["xp_delta"], first["coins_delta"], first["tickets_delta"]) == (True, *amounts("story"))
    assert {(row["paid"], row["xp_delta"], row["coins_delta"], row["tickets_delta"]) for row in again} == {
        (False, 0, 0, 0)
    }
    assert {row["reward_note"] for row in again} == {economy.REPEAT_EXERCISE_NOTE}
    detail = client.get(f"{V1}/amphitheatre-sessions/{visit['id']}/").json()
    assert (len(detail["records"]), detail["points"]) == (REPLAYS, amounts("story")[0])


def test_it_pays_an_exercise_replayed_through_the_page_once(client, owner):
    client.force_login(owner)
    client.post(HUB_URL)
    session = AmphitheatreSession.objects.get(user=owner)
    url = reverse("curriculum:amphitheatre_submit", args=[session.pk])
    form = {"exercise_key": "story", "reflection": "Again.", **dict.fromkeys(RUBRIC_CRITERIA, 100)}
    expected_offer = f"Pays {economy.describe_amounts(*amounts('story'))} on its first recording."
    assert expected_offer in client.get(HUB_URL).content.decode()

    responses = [client.post(url, form, follow=True) for _ in range(REPLAYS)]

    assert {response.status_code for response in responses} == {200}
    assert balance(owner) == amounts("story")
    assert AmphitheatreExerciseRecord.objects.filter(session=session).count() == REPLAYS
    assert AmphitheatreExerciseRecord.objects.filter(session=session, paid=True).count() == 1
    first_message = [str(message) for message in responses[0].context["messages"]]
    assert first_message == [f"Exercise recorded: {economy.describe_amounts(*amounts('story'))}."]
    last_message = [str(message) for message in responses[-1].context["messages"]]
    assert last_message == [f"Exercise recorded. {economy.REPEAT_EXERCISE_NOTE}"]
    html = responses[-1].content.decode()
    assert "Paid in this visit; recording it again pays nothing." in html
    assert f'<strong data-testid="points">{amounts("story")[0]}</strong>' in html


def test_it_pays_the_plan_amount_whatever_the_learner_scores_themselves(owner):
    session, _ = services.amphitheatre_hub(user=owner)
    for item, score in zip(session.plan, (0, 100, 0, 100), strict=True):
        record = services.amphitheatre_submit(
            user=owner, session=session, exercise_key=item["key"], scores={"clarity": score}
        )
        assert (record.xp_delta, record.coins_delta, record.tickets_delta) == economy.plan_amounts(item)
        assert record.scores == {"clarity": score}  # kept as the learner's self-assessment
    assert balance(owner) == plan_total()


def test_it_pays_from_the_plan_written_when_the_visit_opened(owner, monkeypatch):
    session, _ = services.amphitheatre_hub(user=owner)
    planned = amounts("story")
    richer = tuple({**item, "xp": 1000} for item in economy.AMPHITHEATRE_PLAN)
    monkeypatch.setattr(economy, "AMPHITHEATRE_PLAN", richer)  # the rules change while the visit is open

    record = services.amphitheatre_submit(user=owner, session=session, exercise_key="story", scores={})

    assert (record.xp_delta, record.coins_delta, record.tickets_delta) == planned


def test_it_refuses_a_second_paid_record_of_an_exercise_in_the_database(owner):
    session, _ = services.amphitheatre_hub(user=owner)
    services.amphitheatre_submit(user=owner, session=session, exercise_key="story", scores={})
    with pytest.raises(IntegrityError), transaction.atomic():
        AmphitheatreExerciseRecord.objects.create(session=session, exercise_key="story", paid=True, xp_delta=15)


# --- Amphitheatre: paying visits per day --------------------------------------------------


def test_it_makes_visits_past_the_daily_bound_practice(api_as, client, owner):
    for _ in range(economy.AMPHITHEATRE_PAYING_VISITS_PER_DAY):
        earning_visit(owner)
    paid = balance(owner)
    assert paid == tuple(n * economy.AMPHITHEATRE_PAYING_VISITS_PER_DAY for n in amounts("warm_up"))
    client.force_login(owner)
    assert economy.DAILY_BOUND_REACHED_NOTE in client.get(HUB_URL).content.decode()

    api = api_as(owner)
    visit = api.post(f"{V1}/amphitheatre-sessions/hub/").json()
    assert (visit["paying"], visit["pays_now"], visit["rewards_note"]) == (False, False, economy.PRACTICE_VISIT_NOTE)
    assert {(item["xp"], item["coins"], item["tickets"]) for item in visit["plan"]} == {(0, 0, 0)}
    for item in visit["plan"]:
        response = api.post(
            f"{V1}/amphitheatre-sessions/{visit['id']}/submit/",
            {"exercise_key": item["key"], "scores": {"clarity": 100}},
        )
        assert (response.status_code, response.json()["paid"]) == (201, False)
        assert response.json()["reward_note"] == economy.PRACTICE_VISIT_NOTE
    assert balance(owner) == paid

    html = client.get(HUB_URL).content.decode()
    assert economy.PRACTICE_VISIT_NOTE in html
    assert html.count("Pays nothing in this visit.") == len(economy.AMPHITHEATRE_PLAN)


def test_it_counts_only_visits_that_earned_toward_the_daily_bound(owner):
    for _ in range(economy.AMPHITHEATRE_PAYING_VISITS_PER_DAY + 2):
        empty, _ = services.amphitheatre_hub(user=owner)  # opened and ended without recording
        services.amphitheatre_end(user=owner, session=empty)
    for _ in range(economy.AMPHITHEATRE_PAYING_VISITS_PER_DAY - 1):
        earning_visit(owner)
    last, _ = services.amphitheatre_hub(user=owner)
    assert last.paying


def test_it_starts_a_new_day_with_paying_visits(client, owner):
    for _ in range(economy.AMPHITHEATRE_PAYING_VISITS_PER_DAY):
        move_to_yesterday(earning_visit(owner))
    client.force_login(owner)
    assert "Paying visits left today: <strong>3</strong> of 3." in client.get(HUB_URL).content.decode()
    session, _ = services.amphitheatre_hub(user=owner)
    assert session.paying


def test_it_stops_paying_a_visit_left_open_past_its_day(api_as, owner):
    session, _ = services.amphitheatre_hub(user=owner)
    move_to_yesterday(session)

    record = services.amphitheatre_submit(user=owner, session=session, exercise_key="story", scores={})

    assert (record.paid, balance(owner)) == (False, (0, 0, 0))
    visit = api_as(owner).get(f"{V1}/amphitheatre-sessions/{session.pk}/").json()
    assert (visit["pays_now"], visit["rewards_note"]) == (False, economy.STALE_VISIT_NOTE)
    assert visit["records"][0]["reward_note"] == economy.STALE_VISIT_NOTE


def test_it_shows_a_visit_to_its_learner_only(api_as, owner, member, staff, outsider):
    session, _ = services.amphitheatre_hub(user=owner)
    url = f"{V1}/amphitheatre-sessions/{session.pk}"
    body = {"exercise_key": "story", "scores": {"clarity": 90}}
    assert api_as(owner).get(f"{url}/").json()["rewards_note"] == economy.PAYING_VISIT_NOTE
    # Staff too: a learner's visit is theirs alone here (staff read it in the admin) and never earns for staff.
    for stranger in (member, staff, outsider):
        assert api_as(stranger).get(f"{url}/").status_code == 404
        assert api_as(stranger).post(f"{url}/submit/", body).status_code == 404
    assert not AmphitheatreExerciseRecord.objects.exists()
    assert balance(owner) == (0, 0, 0)


def test_it_explains_every_recording_in_a_constant_number_of_queries(
    api_as, client, owner, django_assert_max_num_queries
):
    def add_visits(count: int) -> None:
        for _ in range(count):
            session, _ = services.amphitheatre_hub(user=owner)
            for key in ("story", "story", "warm_up"):
                services.amphitheatre_submit(user=owner, session=session, exercise_key=key, scores={})
            services.amphitheatre_end(user=owner, session=session)

    api = api_as(owner)
    client.force_login(owner)
    history = reverse("curriculum:amphitheatre_history")
    add_visits(1)
    with django_assert_max_num_queries(5):  # token, count, visits, their records (+ a spare)
        assert len(api.get(f"{V1}/amphitheatre-sessions/").json()["results"]) == 1
    with django_assert_max_num_queries(6):  # session, user, visits, records (+ spares)
        client.get(history)
    add_visits(4)
    with django_assert_max_num_queries(5):
        rows = api.get(f"{V1}/amphitheatre-sessions/").json()["results"]
    with django_assert_max_num_queries(6):
        html = client.get(history).content.decode()
    assert [record["reward_note"] for record in rows[0]["records"]][1] == economy.PRACTICE_VISIT_NOTE
    assert html.count(economy.REPEAT_EXERCISE_NOTE) == economy.AMPHITHEATRE_PAYING_VISITS_PER_DAY


def test_it_bounds_the_self_assessment_a_learner_sends(api_as, owner):
    client = api_as(owner)
    visit = client.post(f"{V1}/amphitheatre-sessions/hub/").json()
    url = f"{V1}/amphitheatre-sessions/{visit['id']}/submit/"
    for scores in ({f"criterion-{n}": 50 for n in range(21)}, {"x" * 65: 50}):
        response = client.post(url, {"exercise_key": "warm_up", "scores": scores})
        assert (response.status_code, list(response.json()["errors"])) == (400, ["scores"])
    assert not AmphitheatreExerciseRecord.objects.exists()
