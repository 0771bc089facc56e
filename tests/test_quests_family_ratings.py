"""Ratings come from outside the creator's family: a linked child (or parent) cannot rate the quest, on
the API (403 with the reason) or the page (the reason instead of the form), by one rule in the services."""

import pytest
from django.urls import reverse

from myApp.lib.exceptions import NotAllowed
from myApp.quests import services
from myApp.quests.models import Quest, QuestRating
from tests.factories import UserFactory
from tests.quest_helpers import quest_finish, quest_listed

pytestmark = pytest.mark.django_db

FAMILY = "Family members cannot rate"


@pytest.fixture
def parents_quest(member, psychologist) -> Quest:
    """A listed quest written by ``member``, the parent linked to ``owner`` (conftest)."""
    return quest_listed(member, psychologist)


def test_it_refuses_a_rating_from_the_creators_linked_child(owner, parents_quest):
    quest_finish(owner, parents_quest)

    with pytest.raises(NotAllowed) as refused:
        services.quest_rate(user=owner, quest=parents_quest, rating=5)
    assert FAMILY in refused.value.detail
    parents_quest.refresh_from_db()
    assert parents_quest.rating is None and not QuestRating.objects.exists()


def test_it_refuses_a_rating_from_the_creators_linked_parent(owner, member, psychologist, quests_by_anyone):
    childs_quest = quest_listed(owner, psychologist)
    quest_finish(member, childs_quest)

    assert FAMILY in services.rating_refused_for(user=member, quest=childs_quest)
    with pytest.raises(NotAllowed):
        services.quest_rate(user=member, quest=childs_quest, rating=5)


def test_it_still_takes_a_rating_from_outside_the_family(parents_quest):
    stranger = UserFactory(username="stranger")
    quest_finish(stranger, parents_quest)

    assert services.rating_refused_for(user=stranger, quest=parents_quest) is None
    services.quest_rate(user=stranger, quest=parents_quest, rating=4)
    parents_quest.refresh_from_db()
    assert parents_quest.rating == 4


def test_it_answers_403_with_the_reason_on_the_api(api_as, owner, parents_quest):
    quest_finish(owner, parents_quest)

    response = api_as(owner).post(reverse("api-quest-rate", args=[parents_quest.pk]), {"rating": 5}, format="json")

    assert response.status_code == 403
    assert FAMILY in response.json()["detail"]
    assert not QuestRating.objects.exists()


def test_it_shows_the_reason_instead_of_the_form_and_refuses_the_post_on_the_page(client, owner, parents_quest):
    quest_finish(owner, parents_quest)
    client.force_login(owner)

    page = client.get(reverse("quests:detail", args=[parents_quest.pk])).content.decode()
    assert FAMILY in page and reverse("quests:rate", args=[parents_quest.pk]) not in page
    posted = client.post(reverse("quests:rate", args=[parents_quest.pk]), {"rating": "5"})
    assert posted.status_code == 403 and FAMILY in posted.content.decode()
    assert not QuestRating.objects.exists()
