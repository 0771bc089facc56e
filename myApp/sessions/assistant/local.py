"""The local backend: answers from the platform's own courses and knowledge blocks.

No network, no model. It answers what the safety layer passes on (never a risk or wellbeing message):
skill questions from the best knowledge blocks and courses in whole sentences, small talk, memory
questions from the conversation's history, and off-topic messages with a pointer to what it can do.
"""

import re

from myApp.sessions.assistant.base import FALLBACK_ROUTE, ROUTES, AssistantReply, Turn
from myApp.sessions.assistant.knowledge import confidence, knowledge_for, local_answer, sources_of
from myApp.sessions.assistant.safety import WITHHELD
from myApp.sessions.assistant.text import first_sentences, normalise
from myApp.sessions.assistant.triage import Label, Triage

MODEL_NAME = "local-knowledge-base"
# The name is one word, plus a second capitalised one ("Mary Jane"), so "my name is Alice and I
# feel nervous" remembers "Alice", not the rest of the sentence.
_NAME_GIVEN = re.compile(r"\b(?i:my name is|call me) ([A-Za-zÀ-ÿ'-]{1,40}(?: [A-ZÀ-Þ][a-zß-ÿ'-]{1,40})?)")
_ASKS_ABOUT_ASSISTANT = re.compile(
    r"\byou (?:just )?(?:say|said|tell|told|suggest|suggested|recommend|recommended|"
    r"mention|mentioned|gave|give)\b|\bsay that again\b|\brepeat\b"
)
_ASKS_FIRST = re.compile(r"\b(?:first|original)\b")
WHAT_I_DO = "Ask me about speaking skills, your lessons or courses, or tell me how you are doing."


def _quote(text: str, budget: int = 300) -> str:
    return f"“{first_sentences(text, budget)}”"


class LocalAssistant:
    model_name = MODEL_NAME

    def reply(self, *, message: str, history: list[Turn], language: str = "en", triage: Triage) -> AssistantReply:
        if triage.label == Label.MEMORY:
            return self._recall(message, history)
        if triage.label == Label.SMALL_TALK:
            return self._smalltalk(message)
        if triage.label == Label.OFF_TOPIC:
            return self._reply(
                "That's outside what I can help with here. " + WHAT_I_DO, ROUTES[Label.OFF_TOPIC], confidence=0.5
            )
        knowledge = knowledge_for(message)
        if knowledge:
            sources = sources_of(knowledge)
            reply = self._reply(local_answer(knowledge), ROUTES[Label.SKILL], confidence=confidence(sources))
            reply.sources = sources
            return reply
        return self._reply(
            "I could not find that in our lessons yet. Try asking about nerves, structure, voice or stories.",
            FALLBACK_ROUTE,
            confidence=0.1,
        )

    @staticmethod
    def _reply(answer: str, route: str, confidence: float) -> AssistantReply:
        return AssistantReply(answer=answer, route=route, confidence=confidence, model_used=MODEL_NAME)

    def _smalltalk(self, message: str) -> AssistantReply:
        given = _NAME_GIVEN.search(message)
        hello = f"Nice to meet you, {given.group(1).strip()}!" if given else "Hello!"
        return self._reply(f"{hello} {WHAT_I_DO}", ROUTES[Label.SMALL_TALK], confidence=0.9)

    def _recall(self, message: str, history: list[Turn]) -> AssistantReply:
        route = ROUTES[Label.MEMORY]
        text = normalise(message)
        said = [turn for turn in history if turn.role == "user" and turn.content != WITHHELD]
        if "name" in text.split():
            for turn in reversed(said):
                found = _NAME_GIVEN.search(turn.content)
                if found:
                    return self._reply(f"Your name is {found.group(1).strip()}.", route, confidence=0.9)
            return self._reply("You have not told me your name yet.", route, confidence=0.5)
        if _ASKS_ABOUT_ASSISTANT.search(text):
            answers = [turn for turn in history if turn.role == "assistant"]
            if answers:
                return self._reply(f"Earlier I said: {_quote(answers[-1].content)}", route, confidence=0.8)
            return self._reply("I have not said anything in this conversation yet.", route, confidence=0.5)
        if not said:
            return self._reply("This conversation has only just started.", route, confidence=0.5)
        if _ASKS_FIRST.search(text):
            return self._reply(f"Your first message was: {_quote(said[0].content)}", route, confidence=0.8)
        recent = "; ".join(_quote(turn.content, 160) for turn in said[-3:])
        return self._reply(f"Earlier you said: {recent}", route, confidence=0.7)
