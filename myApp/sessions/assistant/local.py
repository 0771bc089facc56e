"""The local assistant: answers from the platform's own courses and knowledge blocks.

No network, no model: it ranks knowledge with the curriculum's full-text search,
answers with the best block's summary and sources, recognises small talk, and
notices distress so the conversation can offer a guided wellbeing module.
"""

import re

from myApp.curriculum.selectors import course_search, knowledge_block_search
from myApp.sessions.assistant.base import AssistantReply, Turn
from myApp.sessions.models import WellbeingModule

MODEL_NAME = "local-knowledge-base"
_GREETING = re.compile(r"^\s*(hi|hello|hey|good (morning|afternoon|evening)|thanks|thank you)\b", re.I)
# The name is one word, plus a second capitalised one ("Mary Jane"), so "my name is Alice and I
# feel nervous" remembers "Alice", not the rest of the sentence.
_NAME_GIVEN = re.compile(r"\b(?i:my name is) ([A-Za-zÀ-ÿ'-]{1,40}(?: [A-ZÀ-Þ][a-zß-ÿ'-]{1,40})?)")
# Words that carry no question: a message made only of these (after a greeting or an
# introduction) is small talk, and must not be matched against the knowledge base.
_SMALLTALK_WORDS = frozenset(
    "hi hello hey there good morning afternoon evening thanks thank you so much very lot a how are "  # noqa: SIM905
    "doing today i am im i'm fine ok okay nice to meet everyone all again bye goodbye cheers".split()
)
_WORDS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_NAME_ASKED = re.compile(r"\bwhat(?:'s| is) my name\b", re.I)
# Words that suggest a feeling worth a guided pause, and the module that fits it.
_DISTRESS = [
    (
        re.compile(r"\b(panic|anxious|anxiety|nervous|scared|can'?t breathe|racing heart)\b", re.I),
        WellbeingModule.BREATHING,
    ),
    (re.compile(r"\b(overwhelmed|stressed|stress|burn(ed|t)? out)\b", re.I), WellbeingModule.BREATHING),
    (
        re.compile(r"\b(sad|down|lonely|upset|angry|frustrated|confused feelings?)\b", re.I),
        WellbeingModule.EMOTION_LABELING,
    ),
    (re.compile(r"\b(can'?t put it into words|racing thoughts|restless)\b", re.I), WellbeingModule.INNER_DOODLING),
    (re.compile(r"\b(how am i doing|check in|check-in)\b", re.I), WellbeingModule.QUICK_ASSESSMENT),
]
_MODULE_INVITATION = {
    WellbeingModule.BREATHING: "If it helps, try the breathing exercise: a few slow breaths can settle a racing body.",
    WellbeingModule.EMOTION_LABELING: "It might help to name the feeling: the mood check-in takes a minute.",
    WellbeingModule.INNER_DOODLING: "When words are hard, a quick doodle can help: the doodle pad is here for you.",
    WellbeingModule.QUICK_ASSESSMENT: "The quick self-check can show how your week has been going.",
}


def _snippet(text: str, length: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def _confidence(rank: float) -> float:
    """Map a search rank (ts_rank on PostgreSQL, matched-word share elsewhere) to 0.3-0.95."""
    return round(min(0.95, 0.3 + 0.65 * (rank / (rank + 0.1))), 2)


def is_smalltalk(message: str) -> bool:
    """A greeting or an introduction with nothing else to answer ("Hi, my name is Alice")."""
    given = _NAME_GIVEN.search(message)
    if not (given or _GREETING.search(message)):
        return False
    rest = message[: given.start()] + message[given.end() :] if given else message
    return all(word in _SMALLTALK_WORDS for word in _WORDS.findall(rest.lower()))


def recommended_module_for(message: str) -> str | None:
    return next((module for pattern, module in _DISTRESS if pattern.search(message)), None)


class LocalAssistant:
    model_name = MODEL_NAME

    def reply(self, *, message: str, history: list[Turn], language: str = "en") -> AssistantReply:
        recommended = recommended_module_for(message)
        if _NAME_ASKED.search(message):
            return self._recall_name(history)
        if is_smalltalk(message) and not recommended:
            return self._smalltalk(message)
        blocks = knowledge_block_search(message, limit=3)
        courses = course_search(message, limit=2)
        if blocks or courses:
            return self._from_knowledge(blocks, courses, recommended)
        if recommended:
            return AssistantReply(
                answer=f"Thank you for telling me. {_MODULE_INVITATION[recommended]}",
                route="wellbeing",
                confidence=0.6,
                model_used=MODEL_NAME,
                recommended_module=recommended,
            )
        if _GREETING.search(message) or _NAME_GIVEN.search(message):
            return self._smalltalk(message)
        return AssistantReply(
            answer="I could not find that in our lessons yet. Try asking about nerves, structure, voice or stories.",
            route="fallback",
            confidence=0.1,
            model_used=MODEL_NAME,
        )

    def _smalltalk(self, message: str) -> AssistantReply:
        given = _NAME_GIVEN.search(message)
        hello = f"Nice to meet you, {given.group(1).strip()}!" if given else "Hello!"
        return AssistantReply(
            answer=f"{hello} Ask me about speaking skills, your lessons or courses.",
            route="smalltalk",
            confidence=0.9,
            model_used=MODEL_NAME,
        )

    def _recall_name(self, history: list[Turn]) -> AssistantReply:
        for turn in reversed(history):
            found = _NAME_GIVEN.search(turn.content) if turn.role == "user" else None
            if found:
                return AssistantReply(
                    answer=f"Your name is {found.group(1).strip()}.",
                    route="memory",
                    confidence=0.9,
                    model_used=MODEL_NAME,
                )
        return AssistantReply(
            answer="You have not told me your name yet.", route="memory", confidence=0.5, model_used=MODEL_NAME
        )

    def _from_knowledge(self, blocks, courses, recommended: str | None) -> AssistantReply:
        sources = [
            {
                "type": "knowledge_block",
                "id": block.pk,
                "title": block.title,
                "snippet": _snippet(block.summary or block.body),
                "rank": round(float(block.rank), 4),
            }
            for block in blocks
        ] + [
            {
                "type": "course",
                "id": course.pk,
                "title": course.title,
                "snippet": _snippet(course.description),
                "rank": round(float(course.rank), 4),
            }
            for course in courses
        ]
        best = max(sources, key=lambda source: source["rank"])
        if blocks:
            top = blocks[0]
            answer = f"{top.title}: {_snippet(top.summary or top.body, 400)}"
            if top.summary and top.body:
                answer += f"\n\n{_snippet(top.body, 600)}"
        else:
            answer = "These courses cover it: " + "; ".join(
                f"{c.title} ({c.level}, {c.country or 'online'})" for c in courses
            )
        if recommended:
            answer += f"\n\n{_MODULE_INVITATION[recommended]}"
        return AssistantReply(
            answer=answer,
            route="course_query",
            confidence=_confidence(best["rank"]),
            sources=sources,
            model_used=MODEL_NAME,
            recommended_module=recommended,
        )
