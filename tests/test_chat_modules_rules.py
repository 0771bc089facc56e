"""The guided modules' rules hold on the page and the API alike: the module schemas (``sessions/wellbeing.py``)
decide what a doodle's ``has_drawing`` is and that a check-in answers at least one statement; the page forms
only shape what the browser sent."""

import json

import pytest
from django.urls import reverse

from myApp.sessions import services
from myApp.sessions.models import Conversation, ModuleCompletion

STROKES = [[[10, 20], [30, 40]], [], [[5, 5]]]  # the page's canvas can send an empty stroke (a click)


@pytest.fixture
def conversation(owner) -> Conversation:
    active, _ = services.conversation_get_or_create_active(user=owner)
    return active


def page_complete(client, slug: str, post: dict):
    return client.post(reverse("chat:module", args=[slug]), post)


def api_complete(api, conversation: Conversation, module_id: str, completion_data: dict):
    return api.post(
        f"/conversations/{conversation.pk}/modules/{module_id}/complete",
        {"completion_data": completion_data},
        format="json",
    )


def saved(conversation: Conversation, module_id: str) -> dict:
    conversation.refresh_from_db()
    return conversation.metadata["module_status"][module_id]["completion_data"]


# --- Doodle: has_drawing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("post", "sketch"),
    [
        (
            {"strokes": json.dumps(STROKES), "width": "600", "height": "400"},
            {"strokes": STROKES, "width": 600, "height": 400},
        ),
        ({"on_paper": "on", "strokes": ""}, {"has_drawing": True}),
        ({"strokes": "[]", "width": "600", "height": "400"}, {"strokes": [], "width": 600, "height": 400}),
    ],
    ids=["drawn", "on-paper", "empty-canvas"],
)
def test_it_stores_the_same_doodle_from_the_page_and_the_api(client, api_as, owner, conversation, post, sketch):
    client.force_login(owner)
    assert page_complete(client, "doodle", post).status_code == 302
    from_page = saved(conversation, "inner_doodling")

    response = api_complete(api_as(owner), conversation, "inner_doodling", {"sketch_data": sketch})

    assert response.status_code == 200, response.json()
    assert saved(conversation, "inner_doodling") == from_page


def test_it_derives_has_drawing_from_the_strokes_sent_to_the_api(api_as, owner, conversation):
    response = api_complete(
        api_as(owner), conversation, "inner_doodling", {"sketch_data": {"strokes": STROKES, "width": 600}}
    )

    assert response.status_code == 200, response.json()
    assert saved(conversation, "inner_doodling") == {
        "sketch_data": {"strokes": [[[10, 20], [30, 40]], [[5, 5]]], "width": 600, "has_drawing": True}
    }


def test_it_keeps_nothing_of_an_empty_canvas(api_as, owner, conversation):
    response = api_complete(
        api_as(owner), conversation, "inner_doodling", {"sketch_data": {"strokes": [[]], "width": 600, "height": 9}}
    )

    assert response.status_code == 200, response.json()
    assert saved(conversation, "inner_doodling") == {"sketch_data": {}}  # shown as "Drawing: No"


def test_it_refuses_strokes_that_say_there_is_no_drawing(api_as, owner, conversation):
    response = api_complete(
        api_as(owner), conversation, "inner_doodling", {"sketch_data": {"has_drawing": False, "strokes": STROKES}}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "completion_data.sketch_data.has_drawing": ["Strokes were sent, so there is a drawing."]
    }
    assert not ModuleCompletion.objects.exists()


def test_it_keeps_a_drawing_the_person_says_they_made_on_paper(api_as, owner, conversation):
    response = api_complete(api_as(owner), conversation, "inner_doodling", {"sketch_data": {"has_drawing": True}})

    assert response.status_code == 200, response.json()
    assert saved(conversation, "inner_doodling") == {"sketch_data": {"has_drawing": True}}


# --- Check-in: at least one statement ---------------------------------------------------------------


def test_it_asks_for_at_least_one_answer_on_the_page_and_the_api(client, api_as, owner, conversation):
    client.force_login(owner)
    page = page_complete(client, "check-in", {})
    api = api_complete(api_as(owner), conversation, "quick_assessment", {"answers": {}, "total_questions": 10})

    assert (page.status_code, api.status_code) == (400, 400)
    assert page.context["form"].non_field_errors() == ["Answer at least one statement."]
    assert api.json()["errors"] == {"completion_data.answers": ["Answer at least one statement."]}
    assert not ModuleCompletion.objects.exists()


def test_it_stores_the_same_check_in_from_the_page_and_the_api(client, api_as, owner, conversation):
    client.force_login(owner)
    assert page_complete(client, "check-in", {"q0": "3", "q4": "5"}).status_code == 302
    from_page = saved(conversation, "quick_assessment")

    response = api_complete(api_as(owner), conversation, "quick_assessment", from_page)

    assert response.status_code == 200, response.json()
    assert saved(conversation, "quick_assessment") == from_page == {"answers": {"0": 3, "4": 5}, "total_questions": 10}
