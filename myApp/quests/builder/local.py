"""The local builder backend (``ASSISTANT_BACKEND=local``, the default): it asks its questions in order
and fills the template graph from the answers, so the whole flow works offline."""

import re
from dataclasses import dataclass, field

from myApp.lib.exceptions import ServiceError
from myApp.quests import graph
from myApp.quests.builder import context as ctx
from myApp.quests.builder.template import template_graph
from myApp.quests.models import BuilderStage as S
from myApp.sessions.assistant.base import Turn
from myApp.sessions.assistant.triage import Label, classify

MODEL_NAME = "local-quest-template"
APPROVAL = re.compile(
    r"^\s*(yes|yep|yeah|ok|okay|sure|great|perfect|done|ready|finish|good|looks good|looks great|"
    r"it'?s good|it'?s great|that'?s (good|great|fine|perfect)|i like it|love it)\b",
    re.IGNORECASE,
)
# Confirming the summary of the answers: an approval, or the words people use to say it is right.
CONFIRMATION = re.compile(
    r"^\s*(right|correct|exactly|that'?s (it|right|correct)|build( it)?|go ahead)\b", re.IGNORECASE
)
GREETING = (
    "Hello! I will help you build a short quest for your child, a story they play through step by step. "
    "I will ask a few questions first. "
)


@dataclass
class BuilderState:
    stage: str
    context: dict
    graph: dict


@dataclass
class BuilderTurn:
    answer: str
    path: list[str] = field(default_factory=list)  # the stages the turn moves through, in order
    context: dict | None = None  # the new context, or None when unchanged
    graph: dict | None = None  # the new graph, or None when unchanged
    model_used: str = MODEL_NAME
    safety_flag: str = ""


@dataclass
class Generated:
    graph: dict | None
    problem: str = ""
    model_used: str = MODEL_NAME


def greeting() -> str:
    return GREETING + ctx.QUESTIONS[0].text


class LocalBuilder:
    model_name = MODEL_NAME

    # --- what a backend may replace ----------------------------------------------------------

    def generate(self, *, context: dict, history: list[Turn], current: dict | None, request: str) -> Generated:
        return check_generated(template_graph(context))

    def can_revise(self) -> bool:
        return False

    # --- one turn ------------------------------------------------------------------------------

    def turn(self, *, state: BuilderState, message: str, history: list[Turn]) -> BuilderTurn:
        stage = state.stage
        if stage == S.GREETING:
            result = self._collect(state, message, history, stage=S.COLLECTING_INFO)
            result.path.insert(0, S.COLLECTING_INFO)
            return result
        if stage in (S.COLLECTING_INFO, S.CLARIFYING):
            return self._collect(state, message, history, stage=stage)
        if stage == S.GENERATING:
            return self._generate(state, history, request=message, path=[])
        if stage == S.REVIEWING:
            return self._review(state, message, history, path=[])
        # quest_ready
        if APPROVAL.match(message):
            return BuilderTurn("The quest is ready. Press Finish to save it as your draft quest.")
        return self._review(state, message, history, path=[S.REVIEWING])

    def _collect(self, state: BuilderState, message: str, history: list[Turn], *, stage: str) -> BuilderTurn:
        """Collecting and clarifying: each answer is checked against the question it answers (an empty one,
        a mere "ok" or a question back is asked again); once everything is known the parent confirms a
        summary of it, and only a confirmed summary is built into a quest."""
        context = dict(state.context)
        path: list[str] = []
        question = ctx.next_question(context)
        if question is None:
            if stage == S.CLARIFYING:
                return self._confirm(state, message, history)
            return self._summarise(context, path=[S.CLARIFYING])  # everything came as context
        if _later(question.stage, stage):  # the earlier questions were answered some other way (the context)
            path.append(question.stage)
            stage = question.stage
        if ctx.asks_to_change(message):
            return self._change_during_questions(context, question, message, path=path)
        answer = ctx.parse_answer(question.key, message)
        if answer is None:
            return BuilderTurn(self._reask(question, message), path=path)
        context[question.key] = answer
        following = ctx.next_question(context)
        if following is None:
            return self._summarise(context, path=path if stage == S.CLARIFYING else [*path, S.CLARIFYING])
        if _later(following.stage, stage):
            path.append(following.stage)
        return BuilderTurn(f"Thank you. {following.text}", path=path, context=context)

    @staticmethod
    def _summarise(context: dict, *, path: list[str]) -> BuilderTurn:
        return BuilderTurn(
            f"Here is what I understood:\n{ctx.summary(context)}\n"
            "Shall I build the quest from this? Say “yes” to build it, or tell me what to change "
            "(the age, what your child loves, the memory, the aim or the place).",
            path=path,
            context=context,
        )

    def _confirm(self, state: BuilderState, message: str, history: list[Turn]) -> BuilderTurn:
        """The parent's answer to the summary: a correction asks that question again, a yes builds."""
        corrections = ctx.named_for_correction(message)
        if corrections:
            context = {key: value for key, value in state.context.items() if key not in corrections}
            question = ctx.next_question(context)
            return BuilderTurn(f"Of course, let us change that. {question.text}", context=context)
        if APPROVAL.match(message) or CONFIRMATION.match(message):
            return self._generate(state, history, request="", path=[S.GENERATING])
        return BuilderTurn(
            "I am not sure whether that is a yes. Say “yes” to build the quest from what I understood, or name "
            "what to change: the age, what your child loves, the memory, the aim or the place."
        )

    @staticmethod
    def _change_during_questions(
        context: dict, question: ctx.Question, message: str, *, path: list[str]
    ) -> BuilderTurn:
        """ "No, change the age" while questions are asked: an answer already given that it names is asked again;
        anything else (the title, which the quest gets when it is built) can be changed later, and the question
        stands. The message is never taken as the answer."""
        named = [key for key in ctx.named_for_correction(message) if key in context]
        if named:
            kept = {key: value for key, value in context.items() if key not in named}
            return BuilderTurn(
                f"Of course, let us change that. {ctx.next_question(kept).text}", path=path, context=kept
            )
        return BuilderTurn(
            "You can change any answer when I show them all before building, and the quest's title and texts after "
            f"it is built. For now: {question.text}",
            path=path,
        )

    @staticmethod
    def _reask(question: ctx.Question, message: str) -> str:
        if question.key == "child_age":
            return (
                "I did not quite get that. How old is your child? "
                f"Please write the age as a number from {ctx.MIN_AGE} to {ctx.MAX_AGE}."
            )
        if question.key == "psychological_module":
            return f"I did not quite get that. What should the quest help with? Pick one of {ctx.MODULE_HINTS}."
        return f"{ctx.problem_with(question.key, message) or 'I did not quite get that.'} {question.text}"

    def _generate(self, state: BuilderState, history: list[Turn], *, request: str, path: list[str]) -> BuilderTurn:
        generated = self.generate(context=state.context, history=history, current=state.graph or None, request=request)
        if generated.graph is None:
            return BuilderTurn(
                f"I could not make a valid quest this time ({generated.problem.rstrip('.')}). "
                "Write a message to try again, or describe what you would like.",
                path=path,
                model_used=generated.model_used,
            )
        return BuilderTurn(
            "Here is your quest: see the map of its steps. Say “looks good” when you are happy with it, "
            "or tell me what to change.",
            path=[*path, S.REVIEWING],
            graph=generated.graph,
            model_used=generated.model_used,
        )

    def _review(self, state: BuilderState, message: str, history: list[Turn], *, path: list[str]) -> BuilderTurn:
        if APPROVAL.match(message):
            return BuilderTurn(
                "Wonderful. Press Finish to save it as your draft quest; it stays private until you submit it "
                "for a psychologist's review.",
                path=[*path, S.QUEST_READY],
            )
        if not self.can_revise():
            return BuilderTurn(
                "Offline I cannot rewrite the story from a description. Say “looks good” and press Finish: the "
                "quest is then your private draft, and you can change its steps word by word from Your quests "
                "(Revise) before you send it for review.",
                path=path,
            )
        revised = self.generate(context=state.context, history=history, current=state.graph, request=message)
        if revised.graph is None:
            return BuilderTurn(
                f"I could not change the quest this time ({revised.problem.rstrip('.')}); it is as it was. "
                "Try describing the change differently, or say “looks good” to keep it.",
                path=path,
                model_used=revised.model_used,
            )
        return BuilderTurn(
            "I changed the quest: see the map. Say “looks good” when you are happy with it.",
            path=[*path, S.GENERATING, S.REVIEWING],
            graph=revised.graph,
            model_used=revised.model_used,
        )


def _later(stage: str, than: str) -> bool:
    order = (S.GREETING, S.COLLECTING_INFO, S.CLARIFYING)
    return order.index(stage) > order.index(than)


def check_generated(document: object) -> Generated:
    """A backend's graph once it validates and none of its texts shows risk (the chat's triage): a model
    asked about feelings must not write self-harm into a child's quest."""
    try:
        normal = graph.validate(document)
    except ServiceError as error:
        return Generated(None, problem=next(iter(error.errors.get("graph_structure", [error.detail]))))
    risky = sorted(name for name, text in graph.texts(normal).items() if text and classify(text).label == Label.RISK)
    if risky:
        return Generated(None, problem=f"{risky[0]} has text that cannot go into a child's quest")
    return Generated(normal)
