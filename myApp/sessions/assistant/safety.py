"""The safety layer in front of every assistant backend (``get_assistant`` always returns one).

Each message is triaged first (``triage.classify``):

- **risk** gets the fixed crisis response (``replies.crisis_answer``) with the operator's helplines and a
  safety flag; no backend sees it, so it never reaches a remote model;
- **wellbeing** gets the fixed reflecting reply and the guided module that fits, from either backend;
- everything else goes to the backend with its triage, and with the history screened: an earlier message
  that showed risk is withheld from the backend (replaced by a note), so a follow-up such as "ok" does not
  carry it to a remote model either;
- a statement about the person (I, me, my ...; not a request or a question) that the triage did not
  recognise (off-topic) also gets a check-in with the helplines after the backend's answer: the rules miss
  about half of risk disclosures worded in new ways, and a missed one must still meet a door to help.

A skill question that also names a feeling ("I'm nervous, how do I open my talk?") is answered by the
backend and then offered the fitting module here, so both backends do the same.
"""

import re

from myApp.sessions.assistant.base import CRISIS_ROUTE, ROUTES, AssistantReply, Backend, Turn
from myApp.sessions.assistant.replies import (
    SAFETY_MODEL,
    crisis_answer,
    invitation,
    module_for,
    unrecognised_check_in,
    wellbeing_answer,
)
from myApp.sessions.assistant.text import normalise
from myApp.sessions.assistant.triage import Label, Triage, classify

# How a request or a question opens ("can you book me ...", "write me ...", "best pizza near me").
ASKS = re.compile(
    r"(?:can|could|would|will|how|what|where|when|why|who|which|is|are|do|does|write|tell|give|show|"
    r"book|find|best|help|please)\b"
)
FIRST_PERSON = re.compile(r"\b(?:i|im|i m|ive|i ve|id|i d|ill|i ll|me|my|mine|myself)\b")

WITHHELD = "[A message withheld by the safety layer: the person was shown crisis support information.]"


def screened_history(history: list[Turn]) -> tuple[list[Turn], bool]:
    """``history`` with each user message that shows risk replaced by ``WITHHELD``, and whether there was one."""
    screened, found = [], False
    for turn in history:
        if turn.role == "user" and classify(turn.content).label == Label.RISK:
            screened.append(Turn(role="user", content=WITHHELD))
            found = True
        else:
            screened.append(turn)
    return screened, found


def crisis_reply(triage: Triage) -> AssistantReply:
    return AssistantReply(
        answer=crisis_answer(triage.risk),
        route=CRISIS_ROUTE,
        confidence=1.0,
        model_used=SAFETY_MODEL,
        safety_flag=triage.risk.value,
    )


def wellbeing_reply(triage: Triage, *, recent_risk: bool) -> AssistantReply:
    answer, module = wellbeing_answer(triage, recent_risk=recent_risk)
    return AssistantReply(
        answer=answer,
        route=ROUTES[Label.WELLBEING],
        confidence=0.8 if triage.feelings else 0.6,
        model_used=SAFETY_MODEL,
        recommended_module=module,
    )


class SafetyLayer:
    def __init__(self, backend: Backend):
        self.backend = backend

    def reply(self, *, message: str, history: list[Turn], language: str = "en") -> AssistantReply:
        triage = classify(message)
        if triage.label == Label.RISK:
            return crisis_reply(triage)
        history, recent_risk = screened_history(history)
        if triage.label == Label.WELLBEING:
            return wellbeing_reply(triage, recent_risk=recent_risk)
        reply = self.backend.reply(message=message, history=history, language=language, triage=triage)
        module = module_for(triage.feelings)
        if module and triage.label == Label.SKILL:
            reply.recommended_module = module
            reply.answer = f"{reply.answer}\n\n{invitation(module, triage.feelings)}"
        if triage.label == Label.OFF_TOPIC and speaks_of_self(message):
            reply.answer = f"{reply.answer}\n\n{unrecognised_check_in()}"
        return reply


def speaks_of_self(message: str) -> bool:
    """A statement about the person (not a request or a question such as "can you book me a table?")."""
    text = normalise(message)
    return bool(FIRST_PERSON.search(text)) and not ASKS.match(text) and not message.rstrip().endswith("?")
