"""Attacks on the quests app (issue 10), second round: each test reproduces a finding of the attacker's
review (the first round's are in ``test_attack_quests.py``)."""

import pytest

from myApp.accounts.models import Role
from myApp.lib.exceptions import NotAllowed, ServiceError
from myApp.quests import graph, services
from myApp.quests.models import ModerationStatus, PsychologistReview, Quest, QuestRating
from tests.factories import ParentFactory, UserFactory, link_parent_and_child
from tests.quest_graphs import small_graph
from tests.quest_helpers import GOOD_SCORES, psychologist_create, quest_draft, quest_finish, quest_listed

pytestmark = pytest.mark.django_db

RISK = "I want to kill myself"
SCORES_BODY = {**GOOD_SCORES, "strengths": "Gentle"}


# --- The revise page's YAML -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,  # flow sequences
        "{a: " * 20_000,  # flow mappings
        "- " * 30_000 + "x",  # block sequences on one line
        "version: 1\nnodes:\n" + "".join("  " * level + "- \n" for level in range(1, 400)),  # indented blocks
    ],
    ids=["flow-sequences", "flow-mappings", "block-sequences", "indented-blocks"],
)
def test_a_deeply_nested_yaml_on_the_revise_page_is_400_not_500(client, author, text):
    """PyYAML's composer recurses once per nesting level: a page of brackets (well under the form's 1 MB)
    was a RecursionError, a 500 on the revise page, before the graph's own depth check ever ran."""
    quest = quest_draft(author)
    before = quest.graph_structure
    client.force_login(author)
    for action in ("preview", "save"):
        body = {"title": "T", "psychological_module": "IFS", "age_range": "7-9", "quest_yaml": text, "action": action}
        response = client.post(f"/quests/mine/{quest.pk}/edit/", body)
        assert response.status_code == 400
        assert response.context["form"].errors["quest_yaml"]
    with pytest.raises(graph.GraphError) as refused:
        graph.yaml_to_graph(text)
    assert "quest_yaml" in refused.value.errors
    quest.refresh_from_db()
    assert quest.graph_structure == before


def test_a_yaml_graph_at_its_real_depth_still_reads():
    """The depth bound leaves room for every real graph (mapping → list → node → text)."""
    document = graph.validate(small_graph())
    assert graph.yaml_to_graph(graph.graph_to_yaml(document)) == document


def _just_under_the_bound() -> dict:
    """A graph a little under ``MAX_BYTES`` as sent, without the optional keys (text, reveal, label)."""
    from myApp.lib.json_input import encoded_size

    count = graph.MAX_NODES
    nodes = [{"id": "s", "type": "start", "title": "Start"}]
    nodes += [{"id": f"n{index}", "type": "scene", "title": "t"} for index in range(count - 2)]
    nodes.append({"id": "z", "type": "ending", "title": "End"})
    edges = [
        {"id": f"e{index}", "source": nodes[index]["id"], "target": nodes[index + 1]["id"]}
        for index in range(count - 1)
    ]
    document = {"nodes": nodes, "edges": edges}
    room = graph.MAX_BYTES - encoded_size(document) - 100
    for node in nodes[1:-1]:
        node["title"] = "t" * min(graph.MAX_TEXT_LENGTHS["title"], room // (count - 2))
    padding = graph.MAX_BYTES - encoded_size(document) - 100
    for node in nodes[1:-1]:
        share = min(padding, graph.MAX_TEXT_LENGTHS["text"])
        if share <= 0:
            break
        node["text"] = "w" * share
        padding -= share + len(',"text":""')
    assert graph.MAX_BYTES - 200 < encoded_size(document) <= graph.MAX_BYTES
    return document


def test_a_stored_graph_is_within_the_bound_so_its_own_yaml_saves_again(api_as, author):
    """The size bound was checked on the graph as sent, but a quest stores the normal form, which fills every
    optional key: a graph sent just under 512 KB was stored over it, and then neither its own YAML on the
    revise page nor the graph read back from the API could be saved again (400 on an unchanged quest)."""
    document = _just_under_the_bound()
    body = {"title": "Big", "graph_structure": document, "psychological_module": "IFS", "age_range": "7-9"}
    response = api_as(author).post("/api/v1/quests/", body, format="json")
    assert response.status_code == 400, response.content
    assert "graph_structure" in response.json()["errors"]
    assert not Quest.objects.exists()

    # Whatever validate accepts, it stores within the bound, and its YAML reads back to it.
    for node in document["nodes"][1:-1]:  # within the bound on all texts together (graph.MAX_TOTAL_TEXT)
        node["text"], node["title"] = "", "t" * 50
    normal = graph.validate(document)
    assert graph.yaml_to_graph(graph.graph_to_yaml(normal)) == normal


@pytest.mark.parametrize(
    "text",
    [
        "version: 1\nnodes: " + "9" * 5000,  # past Python's 4,300 digits for int(): ValueError
        "version: 1\nnodes:\n- " + "9" * 5000,
        "version: 1\nnodes: 2001-12-14t21:59:43.10-99:00",  # a timestamp whose offset Python refuses
        "version: 1\nnodes: 1" + ":59" * 20_000,  # YAML 1.1's base-60 integer, built digit by digit
        "version: 1\nnodes: 1." + "9" * 100_000,
    ],
    ids=["long-integer", "long-integer-in-a-list", "timestamp-offset", "base-60", "long-float"],
)
def test_a_scalar_python_cannot_hold_is_400_not_500(client, author, text):
    """The loader's constructors raise ValueError (not a YAMLError) for these: a 500 on the revise page. A
    base-60 integer of a page's length also costs time in the square of its length (2 s for 300 KB)."""
    quest = quest_draft(author)
    client.force_login(author)
    body = {"title": "T", "psychological_module": "IFS", "age_range": "7-9", "quest_yaml": text, "action": "save"}
    response = client.post(f"/quests/mine/{quest.pk}/edit/", body)
    assert response.status_code == 400
    assert response.context["form"].errors["quest_yaml"]
    with pytest.raises(graph.GraphError):
        graph.yaml_to_graph(text)


def test_short_numbers_still_read_as_numbers():
    """Numbers stay numbers (and are then refused where a graph wants text, naming the node)."""
    document = graph.graph_to_yaml(graph.validate(small_graph())).replace("title: Hide", "title: 12345")
    with pytest.raises(graph.GraphError) as refused:
        graph.yaml_to_graph(document)
    assert "must be text" in str(refused.value)


# --- Reviews from the creator's family --------------------------------------------------------------


def _submitted(creator) -> Quest:
    quest = quest_draft(creator)
    return services.quest_submit_for_review(quest=quest, by=creator)


def test_a_psychologist_cannot_review_their_parents_quest(api_as, author):
    """A psychologist made a pairing code and the quest's author redeemed it: they are parent and child.
    The psychologist's review would list their own parent's quest."""
    family_psychologist = psychologist_create("family_psychologist")
    link_parent_and_child(parent=author, child=family_psychologist)
    quest = _submitted(author)

    response = api_as(family_psychologist).post(f"/api/quests/{quest.pk}/review", SCORES_BODY, format="json")
    assert response.status_code == 403, response.content
    with pytest.raises(NotAllowed):
        services.review_submit_and_decide(quest=quest, reviewer=family_psychologist, scores=GOOD_SCORES, approve=True)
    assert not PsychologistReview.objects.filter(quest=quest).exists()

    # Nor may they decide a colleague's review of it.
    services.review_submit(quest=quest, reviewer=psychologist_create("colleague"), scores=GOOD_SCORES)
    assert api_as(family_psychologist).post(f"/api/quests/{quest.pk}/review/approve").status_code == 403
    quest.refresh_from_db()
    assert quest.moderation_status == ModerationStatus.PENDING_REVIEW and not quest.psychologist_reviewed


def test_a_psychologist_cannot_review_their_childs_quest(client, owner):
    """The other direction: a psychologist with staff rights links a child (staff may), the child writes a
    quest; the parent's review page refuses to decide it."""
    parent_psychologist = UserFactory(username="parent_psychologist", role=Role.PSYCHOLOGIST, is_staff=True)
    link_parent_and_child(parent=parent_psychologist, child=owner)
    # Children no longer write quests (services.quest_writing_refused_for); one written before that rule
    # must still not be decided by the child's parent.
    with pytest.MonkeyPatch.context() as lifted:
        lifted.setattr(services.quests, "quest_writing_refused_for", lambda user: None)
        quest = _submitted(owner)

    client.force_login(parent_psychologist)
    body = {**GOOD_SCORES, "decision": "approve"}
    response = client.post(f"/quests/reviews/{quest.pk}/", body)
    assert response.status_code == 403
    quest.refresh_from_db()
    assert quest.moderation_status == ModerationStatus.PENDING_REVIEW
    assert not PsychologistReview.objects.filter(quest=quest).exists()


def test_a_psychologist_outside_the_family_still_reviews(api_as, author, psychologist, owner):
    link_parent_and_child(parent=author, child=owner)  # the author has a family; the reviewer is not in it
    quest = _submitted(author)
    assert api_as(psychologist).post(f"/api/quests/{quest.pk}/review", SCORES_BODY, format="json").status_code == 201
    assert api_as(psychologist).post(f"/api/quests/{quest.pk}/review/approve").status_code == 200


def test_the_other_parent_of_the_authors_child_cannot_review_or_rate_the_quest(api_as, owner, member, author):
    """Family is more than one link: a psychologist with staff rights linked to the author's child is the
    child's other parent, and ``member`` (the owner's parent) is the other parent of the author's child."""
    link_parent_and_child(parent=author, child=owner)
    co_parent_psychologist = UserFactory(username="co_parent", role=Role.PSYCHOLOGIST, is_staff=True)
    link_parent_and_child(parent=co_parent_psychologist, child=owner)
    quest = _submitted(author)
    response = api_as(co_parent_psychologist).post(f"/api/quests/{quest.pk}/review", SCORES_BODY, format="json")
    assert response.status_code == 403, response.content

    quest = quest_reviewed_by_outsider(quest)
    quest_finish(member, quest)
    response = api_as(member).post(f"/api/quests/marketplace/{quest.pk}/rate", {"rating": 5}, format="json")
    assert response.status_code == 403, response.content
    assert not QuestRating.objects.exists()


def test_a_sibling_cannot_rate_the_quest(api_as, owner, author):
    """Two children of one parent: the author (a parent account) was linked as a child of ``grandparent``,
    as the owner is; the owner is the author's sibling by the links."""
    from tests.factories import ParentFactory

    grandparent = ParentFactory(username="grandparent")
    link_parent_and_child(parent=grandparent, child=author)
    link_parent_and_child(parent=grandparent, child=owner)
    quest = quest_reviewed_by_outsider(_submitted(author))
    quest_finish(owner, quest)
    with pytest.raises(NotAllowed):
        services.quest_rate(user=owner, quest=quest, rating=5)
    assert services.rating_refused_for(user=owner, quest=quest) is not None


def test_family_is_one_query(author, owner, django_assert_num_queries):
    from myApp.quests import selectors

    link_parent_and_child(parent=author, child=owner)
    stranger = UserFactory(username="stranger")
    with django_assert_num_queries(2):
        assert selectors.family_linked(user=owner, other_id=author.pk)
        assert not selectors.family_linked(user=stranger, other_id=author.pk)


def quest_reviewed_by_outsider(quest: Quest) -> Quest:
    outsider_psychologist = psychologist_create("outside_psychologist")
    services.review_submit_and_decide(quest=quest, reviewer=outsider_psychologist, scores=GOOD_SCORES, approve=True)
    quest.refresh_from_db()
    return quest


# --- Risk in a graph's ids ----------------------------------------------------------------------------


def _renamed(document: dict, old: str, new: str) -> dict:
    for node in document["nodes"]:
        if node["id"] == old:
            node["id"] = new
    for edge in document["edges"]:
        for end in ("source", "target"):
            if edge[end] == old:
                edge[end] = new
    return document


RISK_ID = "nobody-would-miss-me"


def test_risk_text_in_a_node_or_edge_id_never_becomes_a_quest(api_as, author):
    """Ids are shown: a player's app gets the node it stands on and each choice's target, and the YAML and
    the review outline list them. The screen read titles, texts, reveals and labels, not ids."""
    body = {"title": "Fine", "psychological_module": "IFS", "age_range": "7-9"}
    by_node = _renamed(small_graph(), "end", RISK_ID)
    response = api_as(author).post("/api/v1/quests/", {**body, "graph_structure": by_node}, format="json")
    assert response.status_code == 400, response.content
    assert f"graph_structure.nodes.{RISK_ID}.id" in response.json()["errors"]

    by_edge = small_graph()
    by_edge["edges"][0]["id"] = "i_want_to_die"
    response = api_as(author).post("/api/v1/quests/", {**body, "graph_structure": by_edge}, format="json")
    assert response.status_code == 400, response.content
    assert not Quest.objects.exists()

    quest = quest_draft(author)
    with pytest.raises(ServiceError):
        services.quest_update(quest=quest, by=author, graph_structure=_renamed(small_graph(), "end", RISK_ID))
    quest.refresh_from_db()
    assert RISK_ID not in quest.quest_yaml


def test_risk_text_in_an_id_is_refused_on_the_revise_page_and_in_the_builder(client, author):
    from tests.quest_builder_helpers import builder_ready

    quest = quest_draft(author)
    client.force_login(author)
    text = graph.graph_to_yaml(graph.validate(_renamed(small_graph(), "end", RISK_ID)))
    body = {"title": "T", "psychological_module": "IFS", "age_range": "7-9", "quest_yaml": text, "action": "save"}
    response = client.post(f"/quests/mine/{quest.pk}/edit/", body)
    assert response.status_code == 400
    assert any(RISK_ID in message for message in response.context["form"].errors["quest_yaml"])

    session = builder_ready(author)
    with pytest.raises(ServiceError) as refused:
        services.builder_session_update(
            session=session, by=author, current_graph=_renamed(small_graph(), "end", RISK_ID)
        )
    assert f"current_graph.nodes.{RISK_ID}.id" in refused.value.errors


def _split(where: str) -> dict:
    document = small_graph()
    nodes = {node["id"]: node for node in document["nodes"]}
    edges = {edge["id"]: edge for edge in document["edges"]}
    if where == "title+text":
        nodes["brave"]["title"], nodes["brave"]["text"] = "I want to", "die"
    elif where == "text+reveal":
        nodes["end"]["text"], nodes["end"]["reveal"] = "I don't want to", "be alive anymore"
    elif where == "text+label":
        nodes["start"]["text"], edges["e1"]["label"] = "I want to stop", "living"
    else:  # label+title: the choice, then the title of the node it leads to
        edges["e1"]["label"], nodes["brave"]["title"] = "I want to", "die"
    return document


@pytest.mark.parametrize("where", ["title+text", "text+reveal", "text+label", "label+title"])
def test_risk_split_across_two_texts_a_player_reads_together_is_refused(api_as, author, where):
    """The screen read each text alone: "I want to" as a node's title and "die" as its text (or a text and the
    choice under it) passed, though the player reads them one after the other."""
    body = {"title": "Fine", "psychological_module": "IFS", "age_range": "7-9", "graph_structure": _split(where)}
    response = api_as(author).post("/api/v1/quests/", body, format="json")
    assert response.status_code == 400, response.content
    assert any(name.endswith(where) for name in response.json()["errors"]), response.json()["errors"]
    assert not Quest.objects.exists()


def test_the_builders_own_quests_and_the_seeds_pass_the_junction_screen(author):
    """No false alarm on the texts this project writes: every seeded quest and the builder's template."""
    from myApp.quests.builder.safety import refuse_risk
    from myApp.quests.seed_quest_texts import DEMO_QUESTS
    from tests.quest_builder_helpers import builder_ready

    for seeded in DEMO_QUESTS:
        refuse_risk(graph.texts(graph.validate(seeded.graph)))
    session = builder_ready(author)
    assert services.builder_finish(session=session, by=author).pk


# --- A rating's text -------------------------------------------------------------------------------


@pytest.fixture
def played(owner, author, psychologist) -> Quest:
    quest = quest_listed(author, psychologist)
    quest_finish(owner, quest)
    return quest


@pytest.mark.parametrize("text", [RISK, "nobody would miss me if I was gone", "Bell\x07", "Clear\x1b[2J", "a\u202eb"])
def test_a_rating_text_with_risk_or_control_characters_is_400(api_as, owner, played, text):
    """Every other text written into the quests passes the safety screen and refuses control characters;
    a rating's text (kept, shown in the admin, the rater's own pages and the API) did neither."""
    response = api_as(owner).post(
        f"/api/quests/marketplace/{played.pk}/rate", {"rating": 4, "review_text": text}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "review_text" in response.json()["errors"]
    assert not QuestRating.objects.exists()
    played.refresh_from_db()
    assert played.rating is None


def test_a_rating_text_with_risk_is_refused_on_the_quest_page_with_the_crisis_answer(client, owner, played):
    """The page shows a refusal's detail only; the crisis answer (where to find help) was in its field errors."""
    from django.utils.html import escape

    from myApp.sessions.assistant.safety import crisis_reply
    from myApp.sessions.assistant.triage import classify

    client.force_login(owner)
    response = client.post(f"/quests/{played.pk}/rate/", {"rating": 4, "review_text": RISK})
    assert response.status_code == 400
    assert escape(crisis_reply(classify(RISK)).answer) in response.content.decode()
    assert not QuestRating.objects.exists()


def test_a_rating_text_on_several_lines_is_kept(owner, played):
    rating = services.quest_rate(user=owner, quest=played, rating=5, review_text="Lovely.\r\nWe played it twice.\t")
    assert rating.review_text == "Lovely.\r\nWe played it twice.\t"


# --- Titles and locations: one plain line -------------------------------------------------------------


@pytest.mark.parametrize("field", ["title", "location"])
@pytest.mark.parametrize("text", ["Two\u2028lines", "Two\u2029paragraphs", "Forest \u202etserof", "A \u2066b\u2069"])
def test_a_title_with_a_line_separator_or_direction_override_is_400(api_as, author, field, text):
    """The first round refused control characters (category Cc); Unicode's line and paragraph separators
    break the one listed line as well, and a direction override shows the rest of a title backwards."""
    body = {"title": "Fine", "graph_structure": small_graph(), "psychological_module": "IFS", "age_range": "7-9"}
    body[field] = text
    response = api_as(author).post("/api/v1/quests/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Quest.objects.exists()


def test_a_title_in_another_script_is_fine(author):
    quest = quest_draft(author, title="Лес и 森 and שלום", location="Café")
    assert quest.title == "Лес и 森 and שלום"


@pytest.mark.parametrize(
    "place",
    ["A castle\nby the sea", "A castle\u2028by the sea", "A castle \u202bby\u202c the sea", "A castle\t by the sea"],
)
def test_a_builder_answer_on_two_lines_still_finishes_into_a_quest(author, place):
    """The builder kept a location answered on two lines (a textarea) as it was, and the quest's one-line
    rule refused it only at the end: the session reached quest_ready and every finish failed with
    "Invalid quest.", which the builder page cannot fix."""
    from tests.quest_builder_helpers import builder_answer_all

    answers = ("She is 8", "Dragons", "We baked bread", "worries", place, "Yes")
    session = builder_answer_all(services.builder_session_create(user=author), author, answers)
    session, _ = services.builder_chat(session=session, by=author, message="Looks good")
    quest = services.builder_finish(session=session, by=author)
    assert quest.location == "A castle by the sea"
    assert quest.title == "An adventure in A castle by the sea"


def test_a_two_line_location_patched_into_the_context_is_400_at_once(api_as, author):
    session = services.builder_session_create(user=author)
    response = api_as(author).patch(
        f"/api/builder/sessions/{session.pk}", {"quest_context": {"location": "A\u2028B"}}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "quest_context.location" in response.json()["errors"]


# --- The cost of the safety screen ---------------------------------------------------------------------


def _fastest(call, text: str) -> float:
    import time

    timings = []
    for _ in range(3):
        started = time.perf_counter()
        call(text)
        timings.append(time.perf_counter() - started)
    return min(timings)


def test_a_text_of_stand_ins_costs_the_screen_no_more_than_plain_text():
    """The screen reads "ki!!" as "kill": its stand-in pattern retried a run of "!" or "1" from every position
    in it, so a node text of 4,000 "!" cost 0.15 s against 0.0015 s for 4,000 letters (a maximal graph has
    about 130 such texts, screened on every write). A ratio against plain text measured in the same run."""
    from myApp.sessions.assistant.spellings import spellings

    limit = graph.MAX_TEXT_LENGTHS["text"]
    baseline = max(_fastest(spellings, "a" * limit), _fastest(spellings, "a " * (limit // 2)))
    for stand_ins in ("!" * limit, "1" * limit, "|" * limit):
        assert _fastest(spellings, stand_ins) < 10 * baseline
    assert "kill" in spellings("ki!!") and "kill" in spellings("ki11 me")[0]


# --- What the lists read -------------------------------------------------------------------------------


def _graph_reads(queries) -> list[str]:
    return [query["sql"] for query in queries if "graph_structure" in query["sql"]]


def test_the_review_queue_is_paged_and_reads_no_graph(client, psychologist, author):
    """Anyone who writes a quest can send it for review, so the queue's length is theirs to choose; the
    queue page listed every waiting quest and read each one's graph and YAML (up to 512 KB each) to show a
    title. It now shows a page at a time and reads no graph."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from myApp.quests.views.reviews import QUEUE_PAGE_SIZE

    for number in range(QUEUE_PAGE_SIZE + 3):
        writer = author if number < services.MAX_AWAITING_REVIEW else ParentFactory(username=f"writer{number}")
        services.quest_submit_for_review(quest=quest_draft(writer, title=f"Q{number}"), by=writer)
    client.force_login(psychologist)
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/quests/reviews/")
    assert len(first.context["quests"]) == QUEUE_PAGE_SIZE
    assert not _graph_reads(queries.captured_queries)
    assert [quest.title for quest in client.get("/quests/reviews/?page=2").context["quests"]] == [
        f"Q{number}" for number in range(QUEUE_PAGE_SIZE, QUEUE_PAGE_SIZE + 3)
    ]


def test_the_decided_reviews_and_the_marketplace_read_no_graph(client, api_as, owner, author, psychologist):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    quest_listed(author, psychologist)
    client.force_login(psychologist)
    for url, lister in (("/quests/reviews/", client.get), ("/api/quests/marketplace", api_as(owner).get)):
        with CaptureQueriesContext(connection) as queries:
            assert lister(url).status_code == 200
        assert not _graph_reads(queries.captured_queries), url
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/quests/").status_code == 200
    assert not _graph_reads(queries.captured_queries)


def test_a_parents_family_page_and_the_progress_lists_read_no_graph(
    client, api_as, owner, member, author, psychologist
):
    """A child's progress (every quest they ever started, their own drafts too: the API lets anyone write
    one) was listed on the parent's family page and the progress and library lists with each quest's graph
    and YAML read, to show its title."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    quest = quest_listed(author, psychologist)
    services.library_add(user=owner, quest=quest)
    quest_finish(owner, quest)
    client.force_login(member)
    reads = [
        (client.get, "/quests/family/"),
        (api_as(member).get, f"/api/v1/child-quest-progress/{owner.pk}/"),
        (api_as(owner).get, "/api/v1/quest-progress/"),
        (api_as(owner).get, "/api/v1/quest-library/"),
    ]
    for read, url in reads:
        with CaptureQueriesContext(connection) as queries:
            response = read(url)
        assert response.status_code == 200, url
        assert quest.title in response.content.decode(), url
        assert not _graph_reads(queries.captured_queries), url


# --- Left for a product decision --------------------------------------------------------------------


def test_a_learner_cannot_write_a_quest_through_the_api(api_as, owner):
    body = {"title": "Mine", "graph_structure": small_graph(), "psychological_module": "IFS", "age_range": "7-9"}
    assert api_as(owner).post("/api/v1/quests/", body, format="json").status_code == 403


def test_copies_of_one_draft_do_not_take_self_work_to_mastery(author):
    from myApp.quests.models import TrackPhase, TrackType, UserTrack

    for number in range(8):
        quest_draft(author, title=f"Copy {number}")
    track = UserTrack.objects.get(user=author, track_type=TrackType.SELF_WORK)
    assert track.current_phase != TrackPhase.MASTERY
    assert (track.total_activities, track.completed_activities) == (8, 0)  # written, none approved yet


def test_a_vacation_started_before_a_day_ends_covers_that_day(owner, monkeypatch):
    """Decided: a vacation is a pause the learner declares, and it covers the day it is started on, even at
    23:59 (as Habitica's inn does); a streak freeze is the insurance for a day they forgot, spent without them
    asking. A day nobody declared stays missed (the assertion after the vacation)."""
    import datetime

    from myApp.quests import daily_rules
    from myApp.quests.daily_rules import DailyQuestType, DayState
    from myApp.quests.selectors import daily as daily_selectors
    from myApp.quests.services import daily

    monkeypatch.setattr(daily_rules, "offered_types", lambda *, user_id, day: [DailyQuestType.CHAT_CHECK_IN])
    moment = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)
    for day in range(3):  # the 20th, 21st and 22nd completed
        daily.record(user=owner, event_type=DailyQuestType.CHAT_CHECK_IN, at=moment + datetime.timedelta(days=day))
    missed_night = datetime.datetime(2026, 11, 23, 23, 59, tzinfo=datetime.UTC)  # nothing done on the 23rd
    daily.vacation_start(user=owner, now=missed_night)
    daily.vacation_end(user=owner, now=missed_night + datetime.timedelta(minutes=2))

    streak = daily_selectors.streak_for(user=owner, now=missed_night + datetime.timedelta(hours=12))
    assert streak.history.states[datetime.date(2026, 11, 23)] == DayState.VACATION
    assert streak.current == 3  # the pause kept the streak; the 24th is today and still open

    streak = daily_selectors.streak_for(user=owner, now=missed_night + datetime.timedelta(days=1, hours=12))
    assert streak.history.states[datetime.date(2026, 11, 24)] == DayState.MISSED


def test_one_writer_cannot_fill_the_review_queue(author):
    """Decided: at most ``MAX_AWAITING_REVIEW`` (3) quests of one writer wait for review at once (409 after)."""
    from myApp.lib.exceptions import Conflict

    for number in range(services.MAX_AWAITING_REVIEW):
        services.quest_submit_for_review(quest=quest_draft(author, title=f"Flood {number}"), by=author)
    with pytest.raises(Conflict) as refused:
        services.quest_submit_for_review(quest=quest_draft(author, title="One too many"), by=author)
    assert refused.value.errors == {"quest": ["too_many_awaiting_review"]}
    assert Quest.objects.filter(creator=author, moderation_status=ModerationStatus.PENDING_REVIEW).count() == 3
