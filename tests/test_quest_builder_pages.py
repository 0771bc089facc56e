"""The builder's pages: one's sessions, a session's conversation with the graph drawn as SVG on the
server (nodes and edges, escaped), sending a message and finishing without JavaScript; the owner only."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myApp.quests import services
from myApp.quests.builder.svg import LABEL_CHARS, TITLE_CHARS, graph_svg, layout, wrap
from myApp.quests.models import BuilderStage, Quest, QuestBuilderSession
from myApp.sessions.throttling import ChatRateThrottle
from tests.factories import ParentFactory, UserFactory
from tests.quest_builder_helpers import ANSWERS, builder_answer_all, builder_ready
from tests.quest_graphs import small_graph

pytestmark = pytest.mark.django_db


def page(session) -> str:
    return reverse("quest_builder:session", args=[session.pk])


# --- The SVG -----------------------------------------------------------------------------------


def test_it_places_nodes_in_columns_by_distance_from_the_start():
    assert layout(small_graph()) == {"start": (0, 0), "brave": (1, 0), "hide": (1, 1), "end": (2, 0)}


def test_it_draws_every_node_and_edge():
    svg = str(graph_svg(small_graph()))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('class="quest-node ') == 4
    assert svg.count('class="quest-edge"') == 4
    assert 'data-node="hide"' in svg and 'data-edge="e4"' in svg
    assert "Be brave" in svg and "The dark forest" in svg
    assert 'aria-label="Quest map: 4 steps and 4 choices"' in svg


def test_it_escapes_the_parents_words():
    document = small_graph()
    document["nodes"][1]["title"] = '<script>alert("x")</script>'
    document["edges"][0]["label"] = "</text><a href='x'>"
    svg = str(graph_svg(document))
    assert "<script>" not in svg and "<a href" not in svg
    assert "&lt;script&gt;" in svg


def test_it_draws_labels_at_a_legible_size():
    svg = str(graph_svg(small_graph()))
    sizes = [int(size) for size in re.findall(r'font-size="(\d+)"', svg)]
    assert sizes and min(sizes) >= 12
    assert re.search(r'class="quest-node-title"', svg) and 'font-size="15"' in svg


def test_it_wraps_long_titles_and_labels_and_keeps_the_whole_text_in_a_tooltip():
    document = small_graph()
    long_title = "The long winding path through the whispering forest of forgotten dreams"
    long_label = "Walk quietly past the sleeping dragon and its very shiny treasure"
    document["nodes"][1]["title"] = long_title
    document["edges"][0]["label"] = long_label

    svg = str(graph_svg(document))

    node = re.search(r'<g class="quest-node quest-node-\w+" data-node="brave">(.*?)</g>', svg).group(1)
    assert f"<title>choice: {long_title}</title>" in node
    lines = re.findall(r"<tspan [^>]*>(.*?)</tspan>", node)
    assert len(lines) == 2 and all(len(line) <= TITLE_CHARS for line in lines)
    assert lines[0] == "The long winding" and lines[1].endswith("…")
    edge = re.search(r'<g class="quest-edge" data-edge="e1">(.*?)</g>', svg).group(1)
    assert f"<title>{long_label}</title>" in edge
    label_lines = re.findall(r"<tspan [^>]*>(.*?)</tspan>", edge)
    assert len(label_lines) == 2 and label_lines[1].endswith("…")
    assert all(len(line) <= LABEL_CHARS for line in label_lines)


def test_short_texts_stay_whole():
    assert wrap("Be brave", TITLE_CHARS, 2) == ["Be brave"]
    assert wrap("A title that takes two lines", TITLE_CHARS, 2) == ["A title that takes", "two lines"]
    assert wrap("x" * 50, 10, 2) == ["x" * 10, "x" * 9 + "…"]


def test_it_draws_nothing_for_an_empty_graph():
    assert graph_svg({}) == ""


# --- The pages ---------------------------------------------------------------------------------


def test_it_lists_ones_sessions_and_starts_a_new_one(client, author, outsider):
    mine = services.builder_session_create(user=author)
    theirs = services.builder_session_create(user=ParentFactory(username="another_parent"))
    client.force_login(author)

    listed = client.get(reverse("quest_builder:list"))
    assert listed.status_code == 200
    assert f'data-testid="builder-session-{mine.pk}"' in listed.text
    assert f"builder-session-{theirs.pk}" not in listed.text

    started = client.post(reverse("quest_builder:list"))
    new = QuestBuilderSession.objects.filter(user=author).exclude(pk=mine.pk).get()
    assert started.status_code == 302 and started.url == page(new)


def test_it_lists_sessions_in_constant_queries(client, author):
    client.force_login(author)
    services.builder_session_create(user=author)
    client.get(reverse("quest_builder:list"))

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("quest_builder:list"))
    for _ in range(3):
        services.builder_finish(session=builder_ready(author), by=author)
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("quest_builder:list"))
    assert len(more) == len(few)


def test_the_conversation_page_shows_the_stages_and_no_preview_before_a_draft(client, author):
    session = services.builder_session_create(user=author)
    client.force_login(author)

    response = client.get(page(session))

    assert response.status_code == 200
    assert 'aria-current="step"' in response.text and "How old is your child?" in response.text
    assert 'data-testid="builder-no-preview"' in response.text
    assert "<svg" not in response.text


def test_it_sends_a_message_without_javascript_and_shows_the_preview(client, author):
    session = builder_answer_all(
        services.builder_session_create(user=author), author, ("8", "Trains", "The zoo", "Calm", "A harbour")
    )
    client.force_login(author)

    sent = client.post(page(session), {"message": "Yes"})

    assert sent.status_code == 302
    session.refresh_from_db()
    assert session.current_stage == BuilderStage.REVIEWING
    shown = client.get(page(session))
    assert 'data-testid="builder-preview"' in shown.text
    assert shown.text.count('class="quest-node ') == len(session.current_graph["nodes"])
    assert 'data-testid="builder-finish"' not in shown.text


def test_it_shows_field_errors_for_a_bad_message(client, author):
    session = services.builder_session_create(user=author)
    client.force_login(author)
    response = client.post(page(session), {"message": ""})
    assert response.status_code == 400
    assert "Write a message." in response.text


def test_it_finishes_a_ready_session_from_the_page(client, author):
    session = builder_ready(author)
    client.force_login(author)
    assert 'data-testid="builder-finish"' in client.get(page(session)).text

    finished = client.post(reverse("quest_builder:finish", args=[session.pk]), follow=True)

    quest = Quest.objects.get(creator=author)
    assert "draft quest" in finished.text
    assert 'data-testid="builder-done"' in finished.text
    assert not quest.is_public


def test_a_finished_session_leads_on_to_sending_the_quest_for_review(client, author):
    """After Finish the next step is Your quests (where the draft is sent for review): the page links to it
    and to the draft's revise page, instead of only naming them."""
    session = builder_ready(author)
    client.force_login(author)

    finished = client.post(reverse("quest_builder:finish", args=[session.pk]), follow=True)

    quest = Quest.objects.get(creator=author)
    done = finished.text.split('data-testid="builder-done"', 1)[1].split("</p>", 1)[0]
    assert f'href="{reverse("quests:mine")}"' in done
    assert f'href="{reverse("quests:revise", args=[quest.pk])}"' in done and "(draft)" in done

    services.quest_submit_for_review(quest=quest, by=author)  # sent: no longer a draft, nor revisable
    done = client.get(page(session)).text.split('data-testid="builder-done"', 1)[1].split("</p>", 1)[0]
    assert "(pending review)" in done and reverse("quests:revise", args=[quest.pk]) not in done


def test_finishing_too_early_says_why(client, author):
    session = services.builder_session_create(user=author)
    client.force_login(author)
    response = client.post(reverse("quest_builder:finish", args=[session.pk]), follow=True)
    assert "once the quest is ready" in response.text
    assert not Quest.objects.exists()


def test_a_message_to_a_finished_session_is_a_conflict(client, author):
    session = builder_ready(author)
    services.builder_finish(session=session, by=author)
    client.force_login(author)
    assert client.post(page(session), {"message": "more"}).status_code == 409


@pytest.mark.parametrize(("method", "name"), [("get", "session"), ("post", "session"), ("post", "finish")])
def test_only_the_owner_reaches_the_pages(client, author, outsider, staff, method, name):
    session = builder_ready(author)
    for other in (outsider, staff):
        client.force_login(other)
        response = getattr(client, method)(reverse(f"quest_builder:{name}", args=[session.pk]), {"message": "hi"})
        assert response.status_code == 404
    assert not Quest.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(reverse("quest_builder:list")).status_code == 302


def test_the_admin_draws_a_sessions_graph(staff_client, author):
    session = builder_answer_all(services.builder_session_create(user=author), author, ANSWERS)

    response = staff_client.get(reverse("admin:quests_questbuildersession_change", args=[session.pk]))

    assert response.status_code == 200
    assert 'class="quest-graph"' in response.text
    assert response.text.count('class="quest-node ') == len(session.current_graph["nodes"])


def test_the_page_answers_429_when_messages_come_too_fast(client, author, monkeypatch):
    monkeypatch.setattr(ChatRateThrottle, "THROTTLE_RATES", {"chat": "1/minute"})
    session = services.builder_session_create(user=author)
    client.force_login(author)
    assert client.post(page(session), {"message": "8"}).status_code == 302

    response = client.post(page(session), {"message": "trains"})

    assert response.status_code == 429
    assert "Back to the builder" in response.text


def test_a_learner_starting_a_session_is_told_the_builder_is_for_parents(client):
    learner = UserFactory(username="teen")
    client.force_login(learner)
    response = client.post(reverse("quest_builder:list"))
    assert response.status_code == 403
    assert "written by parents" in response.text
    assert not QuestBuilderSession.objects.filter(user=learner).exists()


def test_a_learner_sees_why_instead_of_the_start_button(client):
    client.force_login(UserFactory(username="teen"))
    listed = client.get(reverse("quest_builder:list"))
    assert listed.status_code == 200
    assert 'data-testid="builder-refused"' in listed.text and "written by parents" in listed.text
    assert "Start a new quest" not in listed.text
