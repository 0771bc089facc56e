"""The quest marketplace and a quest's page (/quests/, /quests/<id>/): only listed quests, filters,
search, sort and pages; adding to the library; rating (players only, the service decides)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myApp.quests import services
from myApp.quests.models import Quest, QuestRating, UserQuestLibrary
from tests.factories import ParentFactory
from tests.quest_helpers import psychologist_create, quest_draft, quest_finish, quest_listed, quest_reviewed

pytestmark = pytest.mark.django_db

MARKET = reverse("quests:marketplace")


@pytest.fixture
def author():
    return ParentFactory(username="author")


@pytest.fixture
def psychologist():
    return psychologist_create("shrink")


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def _shown(response) -> list[str]:
    return [row["quest"].title for row in response.context["rows"]]


def test_it_sends_anonymous_visitors_to_log_in(client, author, psychologist):
    quest = quest_listed(author, psychologist)
    for url in (MARKET, reverse("quests:detail", args=[quest.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_it_lists_only_what_the_marketplace_selector_lists(signed_in, author, psychologist):
    quest_listed(author, psychologist, title="Listed")
    quest_draft(author, title="Draft")
    quest_reviewed(quest_draft(author, title="Rejected"), psychologist, approve=False)
    quest_listed(author, psychologist, title="Private", is_public=False)
    services.quest_submit_for_review(quest=quest_draft(author, title="Waiting"), by=author)

    response = signed_in.get(MARKET)

    assert response.status_code == 200
    assert _shown(response) == ["Listed"]
    assert b"Rejected" not in response.content and b"Waiting" not in response.content


def test_it_filters_searches_and_sorts(signed_in, author, psychologist, owner):
    calm = quest_listed(author, psychologist, title="Calm lake", psychological_module="DBT", age_range="10-12")
    forest = quest_listed(author, psychologist, title="Forest walk", location="Park", psychological_module="ACT")
    quest_listed(author, psychologist, title="Old tale", psychological_module="NARRATIVE")
    quest_finish(owner, forest)
    services.quest_rate(user=owner, quest=forest, rating=5)
    quest_finish(owner, calm)
    services.quest_rate(user=owner, quest=calm, rating=2)

    assert _shown(signed_in.get(MARKET, {"psychological_module": "DBT"})) == ["Calm lake"]
    assert _shown(signed_in.get(MARKET, {"age_range": "10-12"})) == ["Calm lake"]
    assert _shown(signed_in.get(MARKET, {"location": "park"})) == ["Forest walk"]
    assert _shown(signed_in.get(MARKET, {"min_rating": "4"})) == ["Forest walk"]
    assert _shown(signed_in.get(MARKET, {"search": "lake"})) == ["Calm lake"]
    assert _shown(signed_in.get(MARKET, {"sort": "rating"})) == ["Forest walk", "Calm lake", "Old tale"]
    assert _shown(signed_in.get(MARKET, {"sort": "newest"})) == ["Old tale", "Forest walk", "Calm lake"]
    assert _shown(signed_in.get(MARKET, {"sort": "plays"}))[2] == "Old tale"


def test_it_keeps_bad_filters_in_the_form_and_names_the_field(signed_in, author, psychologist):
    quest_listed(author, psychologist)

    response = signed_in.get(MARKET, {"age_range": "99-100", "search": "forest"})

    assert response.status_code == 400
    assert "age_range" in response.context["form"].errors
    assert b'value="forest"' in response.content


def test_it_pages_the_marketplace_and_keeps_the_filters_in_the_links(signed_in, author, psychologist):
    for number in range(14):
        quest_listed(author, psychologist, title=f"Quest {number:02}")

    first = signed_in.get(MARKET, {"sort": "newest"})
    second = signed_in.get(MARKET, {"sort": "newest", "page": 2})

    assert len(_shown(first)) == 12 and len(_shown(second)) == 2
    assert b"sort=newest&amp;page=2" in first.content


def test_its_query_count_does_not_grow_with_the_number_of_quests(signed_in, owner, author, psychologist):
    quest = quest_listed(author, psychologist)
    services.library_add(user=owner, quest=quest)
    signed_in.get(MARKET)  # warm the session and the user
    with CaptureQueriesContext(connection) as one:
        assert signed_in.get(MARKET).status_code == 200
    for number in range(8):
        other = quest_listed(ParentFactory(username=f"author{number}"), psychologist, title=f"More {number}")
        services.library_add(user=owner, quest=other)
    with CaptureQueriesContext(connection) as nine:
        response = signed_in.get(MARKET)

    assert len(_shown(response)) == 9
    assert len(nine) == len(one)


def test_a_quest_page_shows_what_a_player_needs(signed_in, author, psychologist, owner):
    quest = quest_listed(author, psychologist, title="The dark forest", location="Forest")

    response = signed_in.get(reverse("quests:detail", args=[quest.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    for text in ("The dark forest", "Internal Family Systems", "ages 7-9", "Forest", "not rated yet", "0 plays"):
        assert text in content
    assert "A path splits in two." in content  # the opening, as the description
    assert 'data-testid="rate-note"' in content  # not played: no rating form


def test_a_quest_page_is_its_creators_alone_until_listed(
    client, owner, author, outsider, staff, member, quests_by_anyone
):
    draft = quest_draft(owner, is_public=False)
    url = reverse("quests:detail", args=[draft.pk])
    client.force_login(owner)
    assert client.get(url).status_code == 200
    for other in (outsider, staff, member):
        client.force_login(other)
        assert client.get(url).status_code == 404


def test_it_adds_a_quest_to_the_library_once(signed_in, owner, author, psychologist):
    quest = quest_listed(author, psychologist)
    url = reverse("quests:library_add", args=[quest.pk])

    first = signed_in.post(url, {"next": MARKET})
    again = signed_in.post(url, follow=True)

    assert first.status_code == 302 and first.url == MARKET
    assert UserQuestLibrary.objects.filter(user=owner, quest=quest).count() == 1
    assert "already in your library" in again.content.decode()
    assert signed_in.get(MARKET).context["rows"][0]["in_library"]


def test_only_players_rate_and_the_average_shows(client, owner, outsider, author, psychologist):
    quest = quest_listed(author, psychologist)
    url = reverse("quests:rate", args=[quest.pk])
    client.force_login(outsider)
    refused = client.post(url, {"rating": "5"})
    assert refused.status_code == 403
    assert not QuestRating.objects.exists()

    quest_finish(owner, quest)
    client.force_login(owner)
    bad = client.post(url, {"rating": "9", "review_text": "Kind words"})
    assert bad.status_code == 400
    assert "rating" in bad.context["rate_form"].errors
    assert "Kind words" in bad.content.decode()  # the input is kept

    done = client.post(url, {"rating": "4", "review_text": "Kind words"}, follow=True)
    assert done.status_code == 200
    assert Quest.objects.get(pk=quest.pk).rating == 4
    assert "rated 4.0 of 5" in done.content.decode()


def test_rating_without_stars_says_to_choose_them(client, owner, author, psychologist):
    quest = quest_listed(author, psychologist)
    quest_finish(owner, quest)
    client.force_login(owner)

    response = client.post(reverse("quests:rate", args=[quest.pk]), {"review_text": "Kind"})

    assert response.status_code == 400
    assert response.context["rate_form"].errors["rating"] == ["Choose from 1 to 5 stars."]
