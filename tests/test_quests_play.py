"""The marketplace, the library, playing a quest's graph one edge at a time, the reveal, and ratings."""

import pytest
from django.http import Http404

from myApp.lib.exceptions import Conflict, NotAllowed, ServiceError
from myApp.quests import selectors, services
from myApp.quests.models import QuestProgress, TrackPhase
from myApp.quests.selectors import MarketplaceFilters
from tests.factories import ParentFactory, UserFactory, link_parent_and_child
from tests.quest_helpers import psychologist_create, quest_draft, quest_finish, quest_listed, quest_reviewed

pytestmark = pytest.mark.django_db


def _titles(**filters) -> list[str]:
    return [quest.title for quest in selectors.marketplace_quests(MarketplaceFilters(**filters))]


@pytest.fixture
def shelf(author, psychologist):
    """Three listed quests with different modules, ages, places, ratings and plays; one draft."""
    calm = quest_listed(
        author, psychologist, title="Calm lake", psychological_module="DBT", age_range="10-12", location="Lake"
    )
    brave = quest_listed(author, psychologist, title="Brave forest", psychological_module="IFS", location="Forest")
    stars = quest_listed(author, psychologist, title="Star map", psychological_module="CBT", location="Sky")
    quest_draft(author, title="Unfinished draft")
    for index, (quest, rating) in enumerate([(calm, 3), (brave, 5), (brave, 4), (stars, 2)]):
        player = UserFactory(username=f"player{index}")
        quest_finish(player, quest)
        services.quest_rate(user=player, quest=quest, rating=rating)
    return {"calm": calm, "brave": brave, "stars": stars}


def test_it_sorts_the_marketplace_by_rating_plays_and_newest(shelf):
    assert _titles() == ["Brave forest", "Calm lake", "Star map"]
    assert _titles(sort="plays") == ["Brave forest", "Star map", "Calm lake"]
    assert _titles(sort="newest") == ["Star map", "Brave forest", "Calm lake"]


def test_it_filters_and_searches_the_marketplace(shelf):
    assert _titles(psychological_module="DBT") == ["Calm lake"]
    assert _titles(age_range="7-9") == ["Brave forest", "Star map"]
    assert _titles(location="forest") == ["Brave forest"]
    assert _titles(min_rating=3) == ["Brave forest", "Calm lake"]
    assert _titles(search="MAP") == ["Star map"]
    assert _titles(search="sky") == ["Star map"]


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"sort": "random"}, "sort"),
        ({"min_rating": 9}, "min_rating"),
        ({"psychological_module": "XYZ"}, "psychological_module"),
        ({"age_range": "1-2"}, "age_range"),
        ({"search": "x" * 101}, "search"),
    ],
)
def test_it_refuses_bad_marketplace_filters_naming_the_field(filters, field):
    with pytest.raises(ServiceError) as caught:
        selectors.marketplace_quests(MarketplaceFilters(**filters))
    assert field in caught.value.errors and caught.value.status_code == 400


def test_it_lists_the_marketplace_in_one_query_however_many_quests(author, psychologist, django_assert_num_queries):
    def listed() -> list:
        with django_assert_num_queries(1):
            return [(quest.title, quest.creator.username) for quest in selectors.marketplace_quests()]

    quest_listed(author, psychologist)
    assert len(listed()) == 1
    for index in range(4):
        quest_listed(ParentFactory(username=f"writer{index}"), psychologist)
    assert len(listed()) == 5


def test_it_adds_a_listed_quest_to_a_library_once(shelf, owner):
    _, created = services.library_add(user=owner, quest=shelf["calm"])
    _, again = services.library_add(user=owner, quest=shelf["calm"])

    assert (created, again) == (True, False)
    assert [entry.quest for entry in selectors.library_of(user=owner)] == [shelf["calm"]]


def test_it_refuses_adding_an_unlisted_quest_to_someone_elses_library(author, owner):
    with pytest.raises(Http404):
        services.library_add(user=owner, quest=quest_draft(author))


def test_it_walks_the_graph_one_edge_at_a_time_to_the_ending(shelf, owner):
    quest = shelf["brave"]
    quest.refresh_from_db()
    plays_before = quest.plays_count
    progress = services.quest_play_start(user=owner, quest=quest)
    assert (progress.current_node, progress.current_step, progress.session_count) == ("start", 0, 1)

    progress = services.quest_play_advance(user=owner, quest=quest, edge_id="e2")
    assert (progress.current_node, progress.current_step, progress.completed) == ("hide", 1, False)
    progress = services.quest_play_advance(user=owner, quest=quest, edge_id="e4")

    assert (progress.current_node, progress.current_step, progress.completed) == ("end", 2, True)
    assert progress.completed_at is not None and progress.total_time_minutes >= 0
    quest.refresh_from_db()
    assert quest.plays_count == plays_before + 1
    track = selectors.tracks_owned_by(user=owner).get(track_type="child_connection")
    # One quest started, the same quest finished.
    assert (track.total_activities, track.completed_activities, track.current_phase) == (1, 1, TrackPhase.AWARENESS)


@pytest.mark.parametrize("edge_id", ["e3", "e4", "missing"])
def test_it_refuses_an_edge_that_does_not_leave_the_current_node(shelf, owner, edge_id):
    services.quest_play_start(user=owner, quest=shelf["brave"])

    with pytest.raises(Conflict) as caught:
        services.quest_play_advance(user=owner, quest=shelf["brave"], edge_id=edge_id)
    assert caught.value.status_code == 409
    assert "'start'" in caught.value.detail
    assert QuestProgress.objects.get(user=owner).current_node == "start"


def test_it_refuses_moving_before_starting_or_after_finishing(shelf, owner):
    with pytest.raises(Conflict):
        services.quest_play_advance(user=owner, quest=shelf["brave"], edge_id="e1")
    quest_finish(owner, shelf["brave"])
    with pytest.raises(Conflict):
        services.quest_play_advance(user=owner, quest=shelf["brave"], edge_id="e1")


def test_it_counts_a_play_per_player_and_a_session_per_start(shelf, owner):
    quest = shelf["stars"]
    quest.refresh_from_db()
    before = quest.plays_count
    services.quest_play_start(user=owner, quest=quest)
    services.quest_play_start(user=owner, quest=quest)  # resumes
    quest_finish(owner, quest)  # a third start, resuming again, then finishing
    progress = services.quest_play_start(user=owner, quest=quest)  # a replay: the same player's play
    quest_finish(owner, quest)
    services.quest_play_start(user=owner, quest=quest)

    quest.refresh_from_db()
    assert quest.plays_count == before + 1
    assert (progress.session_count, progress.current_node, progress.completed) == (4, "start", False)


def test_it_lets_a_child_play_an_approved_quest_their_parent_wrote_but_not_a_stranger(author, owner, outsider):
    link_parent_and_child(parent=author, child=owner)  # a link without consent is enough to play
    psychologist = psychologist_create("private_reviewer")
    quest = quest_reviewed(quest_draft(author, is_public=False), psychologist)

    assert services.quest_play_start(user=owner, quest=quest).current_node == "start"
    with pytest.raises(Http404):
        services.quest_play_start(user=outsider, quest=quest)


@pytest.mark.parametrize("state", ["draft", "rejected", "revised"])
def test_it_keeps_a_parents_unapproved_quest_from_their_child_but_lets_the_parent_preview(author, owner, state):
    link_parent_and_child(parent=author, child=owner)
    psychologist = psychologist_create("family_reviewer")
    quest = quest_draft(author, is_public=False)
    if state == "rejected":
        quest = quest_reviewed(quest, psychologist, approve=False)
    if state == "revised":  # approved, then changed: a new version nobody has approved
        quest = quest_reviewed(quest, psychologist)
        services.quest_play_start(user=owner, quest=quest)
        quest = services.quest_update(quest=quest, by=author, title="A new version")

    with pytest.raises(Http404):
        services.quest_play_start(user=owner, quest=quest)
    with pytest.raises(Http404):
        services.quest_play_advance(user=owner, quest=quest, edge_id="e1")
    assert not selectors.quests_playable_by(user=owner).filter(pk=quest.pk).exists()
    assert services.quest_play_start(user=author, quest=quest).current_node == "start"


def test_it_stops_a_library_quest_once_its_approval_is_gone(author, owner, psychologist):
    quest = quest_listed(author, psychologist)
    services.library_add(user=owner, quest=quest)
    services.quest_update(quest=quest, by=author, location="Somewhere else")

    with pytest.raises(Http404):
        services.quest_play_start(user=owner, quest=quest)


def test_it_restarts_a_play_whose_node_the_creator_removed(author):
    quest = quest_draft(author)
    services.quest_play_start(user=author, quest=quest)
    services.quest_play_advance(user=author, quest=quest, edge_id="e2")  # on "hide"
    document = quest.graph_structure
    document["nodes"] = [node for node in document["nodes"] if node["id"] != "hide"]
    document["edges"] = [edge for edge in document["edges"] if "hide" not in (edge["source"], edge["target"])]
    quest = services.quest_update(quest=quest, by=author, graph_structure=document)

    progress = services.quest_play_start(user=author, quest=quest)

    assert (progress.current_node, progress.current_step) == ("start", 0)


def test_it_shows_the_reveal_only_after_finishing_and_counts_each_view(shelf, owner):
    quest = shelf["calm"]
    services.quest_play_start(user=owner, quest=quest)
    with pytest.raises(Conflict):
        services.quest_reveal_view(user=owner, quest=quest)
    quest_finish(owner, quest)

    assert services.quest_reveal_view(user=owner, quest=quest).text == selectors.NEUTRAL_REVEAL  # not family
    services.quest_reveal_view(user=owner, quest=quest)

    quest.refresh_from_db()
    assert quest.reveal_count == 2 and quest.last_reveal_at is not None


# --- Whose family the reveal speaks to (a stranger was told "Your dad wrote this story") -------------


def test_the_family_reveal_is_shown_only_to_the_creators_linked_children(author, psychologist):
    quest = quest_listed(author, psychologist, title="Public quest")
    child = UserFactory(username="authors_child")
    link_parent_and_child(parent=author, child=child)  # linked; sharing progress is another matter
    stranger = UserFactory(username="stranger")
    someone_elses_child = UserFactory(username="someone_elses_child")
    link_parent_and_child(parent=ParentFactory(username="other_parent"), child=someone_elses_child, share=True)
    seen = {}
    for player in (child, stranger, someone_elses_child, author):
        quest_finish(player, quest)
        seen[player.username] = services.quest_reveal_view(user=player, quest=quest)

    assert seen["authors_child"] == selectors.Reveal(text="Your dad wrote this quest for you.", for_family=True)
    for name in ("stranger", "someone_elses_child", "author"):
        assert seen[name] == selectors.Reveal(text=selectors.NEUTRAL_REVEAL, for_family=False), name
        assert "dad" not in seen[name].text


def test_a_child_whose_parent_link_ends_sees_the_neutral_reveal(author, psychologist):
    quest = quest_listed(author, psychologist)
    child = UserFactory(username="authors_child")
    link = link_parent_and_child(parent=author, child=child)
    quest_finish(child, quest)
    assert services.quest_reveal_view(user=child, quest=quest).for_family

    link.delete()

    assert services.quest_reveal_view(user=child, quest=quest).text == selectors.NEUTRAL_REVEAL


def test_it_lets_only_players_rate_and_a_second_rating_updates(shelf, owner):
    quest = shelf["stars"]
    with pytest.raises(NotAllowed):
        services.quest_rate(user=owner, quest=quest, rating=5)
    services.quest_play_start(user=owner, quest=quest)

    services.quest_rate(user=owner, quest=quest, rating=5, review_text="Lovely")
    quest.refresh_from_db()
    assert quest.rating == pytest.approx(3.5)  # (2 + 5) / 2
    services.quest_rate(user=owner, quest=quest, rating=3)

    quest.refresh_from_db()
    assert quest.rating == pytest.approx(2.5)
    assert quest.ratings.count() == 2


@pytest.mark.parametrize("rating", [0, 6, 4.5, "5", True, None])
def test_it_refuses_ratings_that_are_not_1_to_5(shelf, owner, rating):
    services.quest_play_start(user=owner, quest=shelf["stars"])

    with pytest.raises(ServiceError) as caught:
        services.quest_rate(user=owner, quest=shelf["stars"], rating=rating)
    assert "rating" in caught.value.errors
