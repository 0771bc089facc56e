"""The quest builder's stage machine and its local (offline) conversation, through the services: the
questions in order, the template graph, the safety layer, the parent's edits, and finishing into a quest."""

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myApp.lib.exceptions import Conflict, NotAllowed, ServiceError
from myApp.quests import graph, services
from myApp.quests.builder import context as ctx
from myApp.quests.builder import get_builder, stages
from myApp.quests.builder.local import LocalBuilder
from myApp.quests.builder.safety import BuilderSafetyLayer
from myApp.quests.builder.stages import TRANSITIONS, IllegalTransition, advance
from myApp.quests.builder.template import template_graph
from myApp.quests.models import BuilderStage, ModerationStatus, PsychologicalModule, Quest
from tests.quest_builder_helpers import ANSWERS, QUESTION_ANSWERS, builder_answer_all, builder_ready
from tests.quest_graphs import small_graph

S = BuilderStage
RISK = "I want to kill myself"

# --- The stage machine ----------------------------------------------------------------------


def test_it_allows_exactly_the_declared_transitions():
    legal = {
        (S.GREETING, S.COLLECTING_INFO),
        (S.COLLECTING_INFO, S.CLARIFYING),
        (S.CLARIFYING, S.GENERATING),
        (S.GENERATING, S.REVIEWING),
        (S.REVIEWING, S.GENERATING),
        (S.REVIEWING, S.QUEST_READY),
        (S.QUEST_READY, S.REVIEWING),
    }
    for current, target in itertools.product(S.values, S.values):
        assert stages.is_legal(current, target) == ((current, target) in legal), (current, target)
    assert set(TRANSITIONS) == set(S.values)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.GREETING, S.QUEST_READY),
        (S.COLLECTING_INFO, S.GENERATING),
        (S.QUEST_READY, S.GREETING),
        (S.GREETING, S.GREETING),
    ],
)
def test_it_refuses_an_illegal_transition_as_a_conflict(current, target):
    with pytest.raises(IllegalTransition) as refused:
        advance(current, [target])
    assert refused.value.status_code == 409
    assert "current_stage" in refused.value.errors


def test_it_walks_a_path_one_legal_step_at_a_time():
    assert advance(S.GREETING, [S.COLLECTING_INFO, S.CLARIFYING, S.GENERATING, S.REVIEWING]) == S.REVIEWING
    with pytest.raises(IllegalTransition):
        advance(S.GREETING, [S.COLLECTING_INFO, S.GENERATING])


# --- The local conversation -----------------------------------------------------------------


@pytest.fixture
def session(author):
    return services.builder_session_create(user=author)


def test_it_greets_with_its_first_question(session):
    assert session.current_stage == S.GREETING
    (greeting,) = session.conversation_history
    assert (greeting["role"], greeting["stage"]) == ("assistant", "greeting")
    assert greeting["content"].endswith(ctx.QUESTIONS[0].text)


def test_it_asks_its_questions_in_order_and_moves_through_the_stages(session, author):
    seen = []
    for answer in ANSWERS:
        session, turn = services.builder_chat(session=session, by=author, message=answer)
        seen.append((session.current_stage, turn.answer))
    assert [stage for stage, _ in seen] == [
        S.COLLECTING_INFO,
        S.COLLECTING_INFO,
        S.CLARIFYING,
        S.CLARIFYING,
        S.CLARIFYING,  # the summary, to confirm before anything is built
        S.REVIEWING,
    ]
    assert "love" in seen[0][1] and "memory" in seen[1][1] and "help with" in seen[2][1] and "Where" in seen[3][1]
    assert "Here is what I understood" in seen[4][1] and "Takes place in: A castle in the clouds" in seen[4][1]
    assert session.quest_context == {
        "child_age": 8,
        "interests": "Dragons and drawing",
        "memory": "We built a sandcastle at the beach last summer",
        "psychological_module": "CBT",
        "location": "A castle in the clouds",
    }
    assert graph.validate(session.current_graph) == session.current_graph
    assert any("sandcastle" in node["reveal"] for node in session.current_graph["nodes"])
    assert len(session.conversation_history) == 1 + 2 * len(ANSWERS)


@pytest.mark.parametrize(("answer", "key"), [("not sure", "child_age"), ("She is 42", "child_age"), ("", None)])
def test_it_asks_again_when_the_age_is_not_an_age(session, author, answer, key):
    if not answer:
        with pytest.raises(ServiceError) as refused:
            services.builder_chat(session=session, by=author, message=answer)
        assert "message" in refused.value.errors
        return
    session, turn = services.builder_chat(session=session, by=author, message=answer)
    assert session.current_stage == S.COLLECTING_INFO
    assert session.quest_context == {}
    assert "number from 4 to 18" in turn.answer


def test_it_asks_again_for_an_aim_it_does_not_know(session, author):
    session = builder_answer_all(session, author, ANSWERS[:3])
    session, turn = services.builder_chat(session=session, by=author, message="hmm")
    assert session.current_stage == S.CLARIFYING
    assert "psychological_module" not in session.quest_context
    assert "Pick one of" in turn.answer
    session, _ = services.builder_chat(session=session, by=author, message="IFS")
    assert session.quest_context["psychological_module"] == "IFS"


HINTS = re.findall(r"(?:, |^| or )([^,()]+?) \((\w+)\)", ctx.MODULE_HINTS)


def test_the_aim_examples_are_read_whole():
    assert len(HINTS) == len(PsychologicalModule)


@pytest.mark.parametrize(("phrase", "code"), HINTS)
def test_it_understands_each_aim_it_offers_in_its_own_words(phrase, code):
    """A parent who answers with the very words of the question's examples ("big feelings") is understood."""
    assert ctx.parse_answer("psychological_module", phrase) == code.upper()


def test_an_aim_in_the_questions_own_words_moves_the_conversation_on(session, author):
    session = builder_answer_all(session, author, ANSWERS[:3])
    session, turn = services.builder_chat(session=session, by=author, message="big feelings")
    assert session.quest_context["psychological_module"] == "DBT"
    assert "Pick one of" not in turn.answer


def test_it_answers_a_risk_message_with_the_safety_response_and_keeps_it_out_of_the_quest(session, author):
    session = builder_answer_all(session, author, ANSWERS[:2])
    before = (session.current_stage, dict(session.quest_context))

    session, turn = services.builder_chat(session=session, by=author, message=RISK)

    assert turn.safety_flag
    assert "emergency" in turn.answer
    assert (session.current_stage, session.quest_context) == before
    assert session.conversation_history[-2] == {"role": "user", "content": RISK, "safety_flag": turn.safety_flag}
    assert session.conversation_history[-1]["model"] == "safety-layer"


def test_a_risk_message_never_becomes_part_of_the_graph(session, author):
    session = builder_answer_all(session, author, ANSWERS[:2])
    session, _ = services.builder_chat(session=session, by=author, message=RISK)
    session = builder_answer_all(session, author, ANSWERS[2:])
    assert session.current_stage == S.REVIEWING
    assert "kill myself" not in str(session.current_graph) and "kill myself" not in str(session.quest_context)


def test_the_builder_stands_behind_the_chats_safety_layer():
    builder = get_builder()
    assert isinstance(builder, BuilderSafetyLayer)
    assert isinstance(builder.backend, LocalBuilder)


def test_it_keeps_a_draft_it_cannot_revise_offline(session, author):
    session = builder_answer_all(session, author)
    drafted = session.current_graph
    session, turn = services.builder_chat(session=session, by=author, message="Add a talking cat")
    assert session.current_stage == S.REVIEWING
    assert session.current_graph == drafted
    assert "Offline" in turn.answer
    # The builder's page draws the map but cannot edit it: the answer points at the revise page, which can.
    assert "in the map directly" not in turn.answer and "Your quests" in turn.answer


def test_it_goes_back_to_reviewing_when_a_ready_quest_is_questioned(author):
    session = builder_ready(author)
    assert session.current_stage == S.QUEST_READY
    session, _ = services.builder_chat(session=session, by=author, message="Actually, wait")
    assert session.current_stage == S.REVIEWING


@settings(max_examples=60, deadline=None)
@given(
    age=st.integers(ctx.MIN_AGE, ctx.MAX_AGE),
    module=st.sampled_from(PsychologicalModule.values),
    words=st.text(min_size=1, max_size=ctx.LIMITS["memory"]).filter(lambda text: text.strip()),
)
def test_the_template_graph_is_valid_for_any_answers(age, module, words):
    answers = {"child_age": age, "psychological_module": module}
    for key in ("interests", "memory", "location"):
        answers[key] = ctx.parse_answer(key, words) or "x"
    assert graph.validate(template_graph(answers))


# --- The parent's edits ---------------------------------------------------------------------


def test_it_merges_checked_context_keys(session, author):
    session = services.builder_session_update(
        session=session, by=author, quest_context={"child_age": 9, "location": "  Forest  "}
    )
    assert session.quest_context == {"child_age": 9, "location": "Forest"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"child_age": 3}, "quest_context.child_age"),
        ({"child_age": True}, "quest_context.child_age"),
        ({"psychological_module": "XYZ"}, "quest_context.psychological_module"),
        ({"memory": "x" * 2001}, "quest_context.memory"),
        ({"favourite": "x"}, "quest_context.favourite"),
        ({"location": "a\x00b"}, "quest_context.location"),
        ([1], "quest_context"),
    ],
)
def test_it_refuses_a_bad_context_naming_the_key(session, author, changes, field):
    with pytest.raises(ServiceError) as refused:
        services.builder_session_update(session=session, by=author, quest_context=changes)
    assert refused.value.status_code == 400
    assert field in refused.value.errors


def test_answers_given_as_context_are_not_asked_again(session, author):
    session = services.builder_session_update(
        session=session, by=author, quest_context={"child_age": 7, "interests": "trains", "memory": "the zoo"}
    )
    session, turn = services.builder_chat(session=session, by=author, message="hello")
    assert session.current_stage == S.CLARIFYING
    assert "help with" in turn.answer


# --- Answers that answer nothing (a new user's review: "Looks good" became the quest's place) -------


@pytest.mark.parametrize(
    "reply",
    [
        *("Looks good", "ok", "Yes!", "thanks", "not sure", "Why?", "42", "...", "idk", "She is 8 years old"),
        # Seen in a new user's session, and each became part of the quest ("An adventure in I don't know"):
        *("I don't know", "I dont know", "n/a", "none", "no", "you decide", "can you choose", "hmm let me think"),
    ],
)
@pytest.mark.parametrize("step", [1, 2, 4])  # interests, memory, location
def test_it_asks_again_politely_when_a_reply_does_not_answer_the_question(session, author, reply, step):
    session = builder_answer_all(session, author, QUESTION_ANSWERS[:step])
    key = ctx.QUESTIONS[step].key
    before = (session.current_stage, dict(session.quest_context))

    session, turn = services.builder_chat(session=session, by=author, message=reply)

    assert (session.current_stage, session.quest_context) == before
    assert key not in session.quest_context
    assert turn.answer.endswith(ctx.QUESTIONS[step].text)
    assert turn.answer != ctx.QUESTIONS[step].text  # it says why before asking again
    assert not turn.answer.startswith("Thank you. ")  # not taken as an answer


def test_a_looks_good_reply_never_becomes_the_quests_title(author):
    session = builder_answer_all(services.builder_session_create(user=author), author, QUESTION_ANSWERS[:4])
    session, _ = services.builder_chat(session=session, by=author, message="Looks good")
    session = builder_answer_all(session, author, ("The seaside", "Yes", "Looks good"))
    quest = services.builder_finish(session=session, by=author)
    assert quest.title == "An adventure in The seaside"


def test_it_shows_what_it_understood_and_builds_only_once_confirmed(session, author):
    session = builder_answer_all(session, author, QUESTION_ANSWERS)

    assert session.current_stage == S.CLARIFYING and not session.current_graph
    summary = session.conversation_history[-1]["content"]
    for line in ("Age: 8", "Loves: Dragons and drawing", "Help with: Cognitive Behavioural Therapy"):
        assert line in summary

    session, turn = services.builder_chat(session=session, by=author, message="hmm, maybe")
    assert session.current_stage == S.CLARIFYING and not session.current_graph
    assert "not sure whether that is a yes" in turn.answer

    session, _ = services.builder_chat(session=session, by=author, message="That's right")
    assert session.current_stage == S.REVIEWING and session.current_graph


def test_a_correction_at_the_summary_asks_that_question_again(session, author):
    session = builder_answer_all(session, author, QUESTION_ANSWERS)

    session, turn = services.builder_chat(session=session, by=author, message="No, the place is wrong")

    assert session.current_stage == S.CLARIFYING
    assert "location" not in session.quest_context and session.quest_context["child_age"] == 8
    assert turn.answer.endswith(ctx.QUESTIONS[4].text)
    session, turn = services.builder_chat(session=session, by=author, message="A lighthouse")
    assert "Takes place in: A lighthouse" in turn.answer
    session, turn = services.builder_chat(session=session, by=author, message="Change the age please")
    assert session.current_stage == S.CLARIFYING  # an earlier question, asked again without going back
    assert "child_age" not in session.quest_context and "How old" in turn.answer
    session = builder_answer_all(session, author, ("9", "Yes"))
    assert session.current_stage == S.REVIEWING and session.quest_context["child_age"] == 9


def test_a_context_given_in_full_is_confirmed_before_it_is_built(session, author):
    full = {"child_age": 7, "interests": "trains", "memory": "the zoo", "psychological_module": "ACT"}
    session = services.builder_session_update(session=session, by=author, quest_context={**full, "location": "Moon"})
    session, turn = services.builder_chat(session=session, by=author, message="hello")
    assert session.current_stage == S.CLARIFYING and "Here is what I understood" in turn.answer
    session, _ = services.builder_chat(session=session, by=author, message="yes")
    assert session.current_stage == S.REVIEWING


def test_it_takes_a_graph_edited_in_review_and_names_the_node_of_a_bad_one(author):
    session = builder_answer_all(services.builder_session_create(user=author), author)
    session = services.builder_session_update(session=session, by=author, current_graph=small_graph())
    assert session.current_graph == graph.validate(small_graph())

    broken = small_graph()
    broken["edges"][0]["target"] = "nowhere"
    with pytest.raises(graph.GraphError) as refused:
        services.builder_session_update(session=session, by=author, current_graph=broken)
    assert "edge 'e1'" in refused.value.errors["graph_structure"][0]


def test_it_refuses_a_graph_before_the_builder_has_drafted_one(session, author):
    with pytest.raises(IllegalTransition):
        services.builder_session_update(session=session, by=author, current_graph=small_graph())


def test_it_refuses_an_illegal_stage_change(session, author):
    with pytest.raises(IllegalTransition):
        services.builder_session_update(session=session, by=author, current_stage=S.QUEST_READY)


def test_only_the_owner_changes_a_session(session, outsider):
    with pytest.raises(NotAllowed):
        services.builder_chat(session=session, by=outsider, message="hi")
    with pytest.raises(NotAllowed):
        services.builder_session_update(session=session, by=outsider, quest_context={"child_age": 8})
    with pytest.raises(NotAllowed):
        services.builder_finish(session=session, by=outsider)


# --- Finishing ------------------------------------------------------------------------------


def test_finishing_makes_a_private_unreviewed_draft_quest_of_the_parents(author):
    session = builder_ready(author)

    quest = services.builder_finish(session=session, by=author)

    assert quest.creator == author
    assert (quest.is_public, quest.psychologist_reviewed, quest.moderation_status) == (
        False,
        False,
        ModerationStatus.DRAFT,
    )
    assert quest.graph_structure == session.current_graph
    assert graph.yaml_to_graph(quest.quest_yaml) == quest.graph_structure
    assert (quest.psychological_module, quest.age_range, quest.location) == ("CBT", "7-9", "A castle in the clouds")
    assert quest.title == "An adventure in A castle in the clouds"
    session.refresh_from_db()
    assert session.quest == quest


def test_a_session_makes_one_quest_and_then_closes(author):
    session = builder_ready(author)
    services.builder_finish(session=session, by=author, title="Our castle")
    with pytest.raises(Conflict):
        services.builder_finish(session=session, by=author)
    with pytest.raises(Conflict):
        services.builder_chat(session=session, by=author, message="one more")
    with pytest.raises(Conflict):
        services.builder_session_update(session=session, by=author, quest_context={"child_age": 9})
    assert Quest.objects.filter(creator=author).count() == 1


@pytest.mark.parametrize("answers", [(), ANSWERS[:3], ANSWERS])
def test_it_refuses_to_finish_before_the_quest_is_ready(author, answers):
    session = builder_answer_all(services.builder_session_create(user=author), author, answers)
    with pytest.raises(Conflict) as refused:
        services.builder_finish(session=session, by=author)
    assert "current_stage" in refused.value.errors
    assert not Quest.objects.exists()


def test_it_bounds_the_length_of_a_conversation(session, author, monkeypatch):
    monkeypatch.setattr("myApp.quests.services.builder.MAX_HISTORY", 3)
    session, _ = services.builder_chat(session=session, by=author, message="8")
    with pytest.raises(Conflict):
        services.builder_chat(session=session, by=author, message="trains")


# --- Messages that are no answer: keyboard mashing and requests to change something (new user's review) -------


@pytest.mark.parametrize("reply", ["asdf", "qwerty", "sdfghj", "lkjh", "xxxx", "hjkl", "zxcv", "asdf asdf", "bcdfg"])
@pytest.mark.parametrize("step", [1, 2, 4])  # interests, memory, location
def test_a_keyboard_mash_is_asked_again_not_taken_as_the_answer(session, author, reply, step):
    session = builder_answer_all(session, author, QUESTION_ANSWERS[:step])
    session, turn = services.builder_chat(session=session, by=author, message=reply)
    assert ctx.QUESTIONS[step].key not in session.quest_context
    assert turn.answer == f"That does not look like an answer to my question. {ctx.QUESTIONS[step].text}"


@pytest.mark.parametrize(
    "answer", ["Sewing and kites", "Lego", "Cats", "Hockey, chess and baking", "Mmm... ice cream", "Кошки", "Bjørn"]
)
def test_real_answers_are_not_taken_for_a_mash(session, author, answer):
    session = builder_answer_all(session, author, QUESTION_ANSWERS[:1])
    session, turn = services.builder_chat(session=session, by=author, message=answer)
    assert session.quest_context["interests"] == answer and turn.answer.startswith("Thank you. ")


def test_a_change_request_while_questions_are_asked_asks_again_what_it_names(session, author):
    session = builder_answer_all(session, author, QUESTION_ANSWERS[:3])  # age, loves, memory answered

    session, turn = services.builder_chat(session=session, by=author, message="No, change the age")

    assert "child_age" not in session.quest_context and session.quest_context["interests"] == "Dragons and drawing"
    assert turn.answer.startswith("Of course, let us change that.") and "How old" in turn.answer
    session = builder_answer_all(session, author, ("7",))
    assert session.quest_context["child_age"] == 7 and "psychological_module" not in session.quest_context


@pytest.mark.parametrize("message", ["no change the title", "Wait, go back", "Please fix the name"])
def test_a_change_request_naming_no_answer_is_never_taken_as_one(session, author, message):
    session = builder_answer_all(session, author, QUESTION_ANSWERS[:4])  # the place is asked next
    before = dict(session.quest_context)

    session, turn = services.builder_chat(session=session, by=author, message=message)

    assert session.quest_context == before and "location" not in session.quest_context
    assert "You can change any answer" in turn.answer and turn.answer.endswith(ctx.QUESTIONS[4].text)


def test_an_answer_that_mentions_going_back_is_still_an_answer(session, author):
    session = builder_answer_all(session, author, QUESTION_ANSWERS[:4])
    session, _ = services.builder_chat(session=session, by=author, message="The beach we always go back to")
    assert session.quest_context["location"] == "The beach we always go back to"


@pytest.mark.parametrize(
    ("message", "is_request"),
    [
        ("No, change the age", True),
        ("change my answer", True),
        ("wait, go back", True),
        ("Go back to the previous one", True),
        ("Please fix the name", True),
        ("change that", True),
        ("Change her fears about school", False),
        ("Fix his temper", False),
        ("Change the way she worries", False),
        ("Go back in time to the age of dinosaurs", False),
        ("go backpacking in the hills", False),
        ("Change that habit of worrying", False),
    ],
)
def test_a_change_request_names_something_that_can_be_changed(message, is_request):
    assert ctx.asks_to_change(message) is is_request
