"""Seed 001's quest routes: the marketplace (browse, add to library, rate), reviews (submit, approve,
reject) and the caller's tracks, through real URLs with real tokens."""

import pytest
from django.urls import reverse

from myApp.quests import services
from myApp.quests.models import ModerationStatus, Quest, QuestRating, UserQuestLibrary
from tests.factories import ParentFactory
from tests.quest_helpers import GOOD_SCORES, quest_draft, quest_finish, quest_listed

pytestmark = pytest.mark.django_db

MARKETPLACE = "/api/quests/marketplace"


@pytest.fixture
def listed(author, psychologist) -> Quest:
    return quest_listed(author, psychologist)


@pytest.fixture
def pending(author) -> Quest:
    quest = quest_draft(author, title="Awaiting review")
    return services.quest_submit_for_review(quest=quest, by=author)


def test_it_lists_only_listed_quests(api_as, owner, listed, author):
    quest_draft(author, title="A draft")

    response = api_as(owner).get(MARKETPLACE)

    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == [listed.title]
    assert response.json()["results"][0]["creator"] == "author"


def test_it_filters_and_sorts_the_marketplace(api_as, owner, author, psychologist):
    quest_listed(author, psychologist, title="Lake", psychological_module="DBT")
    quest_listed(author, psychologist, title="Forest", psychological_module="IFS")

    response = api_as(owner).get(MARKETPLACE, {"psychological_module": "DBT", "sort": "newest"})

    assert [row["title"] for row in response.json()["results"]] == ["Lake"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"sort": "random"}, "sort"),
        ({"min_rating": "9"}, "min_rating"),
        ({"age_range": "1-2"}, "age_range"),
        ({"search": "x" * 101}, "search"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_it_answers_400_naming_a_bad_filter(api_as, owner, query, field):
    response = api_as(owner).get(MARKETPLACE, query)

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_it_lists_the_marketplace_in_constant_queries(api_as, owner, author, psychologist, django_assert_num_queries):
    client = api_as(owner)
    quest_listed(author, psychologist, title="First")
    client.get(MARKETPLACE)  # warm up: the token's first use writes its last-seen time

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(MARKETPLACE).status_code == 200
        return len(captured)

    few = queries()
    for index in range(5):
        quest_listed(ParentFactory(username=f"writer{index}"), psychologist, title=f"Quest {index}")
    assert queries() == few


def test_it_needs_a_signed_in_caller(client):
    assert client.get(MARKETPLACE).status_code in (401, 403)
    assert client.get("/api/users/tracks").status_code in (401, 403)


def test_it_adds_to_the_library_201_then_200(api_as, owner, listed):
    client = api_as(owner)
    url = reverse("api-quest-library-add", args=[listed.pk])

    assert client.post(url).status_code == 201
    assert client.post(url).status_code == 200
    assert UserQuestLibrary.objects.filter(user=owner).count() == 1


def test_it_hides_an_unlisted_quest_from_the_library_route(api_as, owner, pending):
    assert api_as(owner).post(reverse("api-quest-library-add", args=[pending.pk])).status_code == 404


def test_it_rates_a_played_quest_and_answers_the_new_average(api_as, owner, listed):
    quest_finish(owner, listed)

    response = api_as(owner).post(
        reverse("api-quest-rate", args=[listed.pk]), {"rating": 4, "review_text": "Kind"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["rating"] == 4 and response.json()["quest_rating"] == 4.0


def test_it_refuses_a_rating_from_someone_who_never_played(api_as, owner, listed):
    response = api_as(owner).post(reverse("api-quest-rate", args=[listed.pk]), {"rating": 4}, format="json")

    assert response.status_code == 403
    assert not QuestRating.objects.exists()


@pytest.mark.parametrize("body", [{}, {"rating": 0}, {"rating": 6}, {"rating": "many"}, {"rating": 3, "extra": 1}])
def test_it_answers_400_for_a_bad_rating(api_as, owner, listed, body):
    quest_finish(owner, listed)

    response = api_as(owner).post(reverse("api-quest-rate", args=[listed.pk]), body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]


def test_it_shows_a_psychologist_the_quest_under_review_with_its_history(api_as, psychologist, author):
    quest = quest_draft(author)
    services.quest_submit_for_review(quest=quest, by=author)
    services.review_reject(
        review=services.review_submit(quest=quest, reviewer=psychologist, scores=GOOD_SCORES), by=psychologist
    )
    services.quest_update(quest=quest, by=author, title="Gentler")
    services.quest_submit_for_review(quest=quest, by=author)

    response = api_as(psychologist).get(reverse("api-quest-review", args=[quest.pk]))

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Gentler" and body["quest_yaml"].startswith("version: 1")
    assert [review["is_approved"] for review in body["reviews"]] == [False]


def test_it_hides_the_quest_under_review_from_everyone_else(api_as, author, staff, pending):
    for user in (author, staff):
        assert api_as(user).get(reverse("api-quest-review", args=[pending.pk])).status_code == 403


def test_it_lets_a_psychologist_submit_then_approve(api_as, psychologist, pending):
    client = api_as(psychologist)

    submitted = client.post(reverse("api-quest-review", args=[pending.pk]), GOOD_SCORES, format="json")
    approved = client.post(reverse("api-quest-review-approve", args=[pending.pk]))

    assert submitted.status_code == 201 and submitted.json()["is_approved"] is None
    assert approved.status_code == 200 and approved.json()["is_approved"] is True
    pending.refresh_from_db()
    assert pending.moderation_status == ModerationStatus.APPROVED


def test_it_lets_a_psychologist_reject(api_as, psychologist, pending):
    client = api_as(psychologist)
    client.post(reverse("api-quest-review", args=[pending.pk]), GOOD_SCORES, format="json")

    assert client.post(reverse("api-quest-review-reject", args=[pending.pk])).status_code == 200
    pending.refresh_from_db()
    assert pending.moderation_status == ModerationStatus.REJECTED


def test_it_answers_409_when_approving_before_a_review(api_as, psychologist, pending):
    assert api_as(psychologist).post(reverse("api-quest-review-approve", args=[pending.pk])).status_code == 409


@pytest.mark.parametrize("route", ["api-quest-review", "api-quest-review-approve", "api-quest-review-reject"])
def test_it_answers_403_to_anyone_not_a_psychologist_whatever_the_id(api_as, author, staff, pending, route):
    for user in (author, staff):
        for pk in (pending.pk, 999_999):
            response = api_as(user).post(reverse(route, args=[pk]), GOOD_SCORES, format="json")
            assert response.status_code == 403, (user, pk)


def test_it_answers_404_for_a_quest_not_awaiting_review(api_as, psychologist, listed):
    response = api_as(psychologist).post(reverse("api-quest-review", args=[listed.pk]), GOOD_SCORES, format="json")

    assert response.status_code == 404


def test_it_answers_400_naming_a_bad_score(api_as, psychologist, pending):
    response = api_as(psychologist).post(
        reverse("api-quest-review", args=[pending.pk]), {**GOOD_SCORES, "reveal_timing_score": 9}, format="json"
    )

    assert response.status_code == 400
    assert "reveal_timing_score" in response.json()["errors"]


def test_it_shows_the_caller_only_their_own_tracks(api_as, owner, author, listed):
    quest_finish(owner, listed)

    mine = api_as(owner).get("/api/users/tracks").json()
    theirs = api_as(author).get("/api/users/tracks").json()

    assert [(row["track_type"], row["completed_activities"]) for row in mine] == [("child_connection", 1)]
    # Sending a quest for review touches negotiation (it moves once a rejected quest is sent again).
    assert {row["track_type"] for row in theirs} == {"self_work", "community", "negotiation"}
