"""The quest builder's writes: start a session, one chat turn, a parent's own edits, and finishing it
into a draft quest (which advances the parent's child-connection track). Every stage change goes
through ``builder.stages`` (an illegal one is 409)."""

from django.db import transaction

from myApp.analytics import events
from myApp.analytics.services import track
from myApp.lib import access
from myApp.lib.exceptions import Conflict, NotAllowed, ServiceError
from myApp.quests import graph
from myApp.quests.builder import BuilderState, BuilderTurn, get_builder, greeting
from myApp.quests.builder import context as ctx
from myApp.quests.builder.safety import refuse_risk
from myApp.quests.builder.stages import WITH_GRAPH, IllegalTransition, advance
from myApp.quests.models import BuilderStage, Quest, QuestBuilderSession
from myApp.quests.services.quests import quest_create, quest_writing_refused_for
from myApp.quests.services.tracks import Activity, track_activity_record
from myApp.sessions.assistant.base import Turn
from myApp.sessions.services.chat import validate_chat_message

MAX_HISTORY = 200  # entries (a question and its answer are two)
# A turn is worked out on a snapshot, outside any transaction (a model server may take a while), and
# written only if nobody else's turn or edit landed meanwhile; otherwise it is worked out again.
MAX_ATTEMPTS = 10
NOT_YOURS = "Only the session's owner can use it."


def may_build_quests(user) -> bool:
    """The builder writes a quest for one's own child: it is for those who may write quests
    (``quest_writing_refused_for``); the navigation offers it to them only."""
    return quest_writing_refused_for(user) is None


def _entry(role: str, content: str, **extra) -> dict:
    return {"role": role, "content": content, **{key: value for key, value in extra.items() if value}}


def _require_open(session: QuestBuilderSession) -> None:
    if session.quest_id is not None:
        raise Conflict("This session has already made its quest; start a new session for another one.")


def builder_refused_for(user) -> str | None:
    """Why ``user`` may not start a builder session (None: they may). The service and the page say the same."""
    return quest_writing_refused_for(user)


@transaction.atomic
def builder_session_create(*, user) -> QuestBuilderSession:
    """A new session in the greeting stage, the builder's first question already asked. Only those the
    builder is for may start one (``builder_refused_for``; 403 otherwise)."""
    refused = builder_refused_for(user)
    if refused:
        raise NotAllowed(refused)
    session = QuestBuilderSession.objects.create(
        user=user, conversation_history=[_entry("assistant", greeting(), stage=BuilderStage.GREETING)]
    )
    track(event_type=events.QUEST_BUILDER_STARTED, user=user, data={"builder_session_id": session.pk})
    return session


def builder_chat(*, session: QuestBuilderSession, by, message: object) -> tuple[QuestBuilderSession, BuilderTurn]:
    """The parent's message and the builder's answer, added to the session with the stage they lead to.

    Two turns sent at once are both kept, one after the other: the later one is answered again against
    the session the earlier one left."""
    access.require_owner(session, user=by, message=NOT_YOURS)
    message = validate_chat_message(message)
    builder = get_builder()
    for _ in range(MAX_ATTEMPTS):
        snapshot = QuestBuilderSession.objects.get(pk=session.pk)
        _require_open(snapshot)
        if len(snapshot.conversation_history) + 2 > MAX_HISTORY:
            raise Conflict("This conversation is full; start a new session or finish this one.")
        history = [Turn(role=item["role"], content=item["content"]) for item in snapshot.conversation_history]
        state = BuilderState(stage=snapshot.current_stage, context=snapshot.quest_context, graph=snapshot.current_graph)
        turn = builder.turn(state=state, message=message, history=history)
        with transaction.atomic():
            locked = QuestBuilderSession.objects.select_for_update().get(pk=session.pk)
            if (locked.updated_at, len(locked.conversation_history)) != (
                snapshot.updated_at,
                len(snapshot.conversation_history),
            ):
                continue  # another turn or edit landed first: answer this one again against it
            locked.current_stage = advance(locked.current_stage, turn.path)
            if turn.context is not None:
                locked.quest_context = turn.context
            if turn.graph is not None:
                locked.current_graph = turn.graph
            locked.conversation_history = [
                *locked.conversation_history,
                _entry("user", message, safety_flag=turn.safety_flag),
                _entry("assistant", turn.answer, stage=locked.current_stage, model=turn.model_used),
            ]
            locked.save()
            return locked, turn
    raise Conflict("The session is busy with other messages; send yours again.")


@transaction.atomic
def builder_session_update(
    *,
    session: QuestBuilderSession,
    by,
    quest_context: object = None,
    current_graph: object = None,
    current_stage: str | None = None,
) -> QuestBuilderSession:
    """The parent's own edits: context keys (merged), the graph (validated; 400 naming the node or edge)
    once there is one to edit, or an explicit stage change (409 unless legal)."""
    access.require_owner(session, user=by, message=NOT_YOURS)
    locked = QuestBuilderSession.objects.select_for_update().get(pk=session.pk)
    _require_open(locked)
    if quest_context is not None:
        cleaned = ctx.clean(quest_context)
        refuse_risk({f"quest_context.{key}": value for key, value in cleaned.items()})
        locked.quest_context = {**locked.quest_context, **cleaned}
    if current_graph is not None:
        normal = graph.validate(current_graph)
        refuse_risk(graph.texts(normal))
        if locked.current_stage == BuilderStage.GENERATING:
            locked.current_stage = advance(locked.current_stage, [BuilderStage.REVIEWING])
        elif locked.current_stage not in WITH_GRAPH:
            raise IllegalTransition(locked.current_stage, BuilderStage.REVIEWING)
        locked.current_graph = normal
    if current_stage is not None and current_stage != locked.current_stage:
        target = advance(locked.current_stage, [current_stage])
        if target in WITH_GRAPH and not locked.current_graph:
            raise Conflict("There is no graph to review yet.", errors={"current_stage": ["Generate a graph first."]})
        locked.current_stage = target
    locked.save()
    return locked


def _required(context: dict, key: str) -> object:
    if key not in context:
        raise ServiceError("The quest needs more information.", errors={f"quest_context.{key}": ["Tell the builder."]})
    return context[key]


@transaction.atomic
def builder_finish(*, session: QuestBuilderSession, by, title: str = "") -> Quest:
    """The ready session's graph as a draft quest of the parent's (validated, its YAML generated by
    ``quest_create``): private and unreviewed until submitted. A session makes one quest (409 after)."""
    access.require_owner(session, user=by, message=NOT_YOURS)
    locked = QuestBuilderSession.objects.select_for_update().get(pk=session.pk)
    _require_open(locked)
    if locked.current_stage != BuilderStage.QUEST_READY:
        raise Conflict(
            "Finish the session once the quest is ready.",
            errors={"current_stage": [f"The session is at {locked.current_stage!r}, not 'quest_ready'."]},
        )
    context = locked.quest_context
    refuse_risk({"title": title})
    quest = quest_create(
        creator=by,
        title=title or ctx.title_for(context),
        graph_structure=locked.current_graph,
        psychological_module=_required(context, "psychological_module"),
        age_range=ctx.age_range(_required(context, "child_age")),
        location=context.get("location", ""),
        is_public=False,
    )
    locked.quest = quest
    locked.save(update_fields=["quest", "updated_at"])
    # A quest built with the builder is work on the child connection, not self work: recount both now
    # that the session names the quest (``quest_create`` counted it as written by hand).
    track_activity_record(user=by, activity=Activity.BUILDER_SESSION_FINISHED)
    track_activity_record(user=by, activity=Activity.QUEST_CREATED)
    return quest
