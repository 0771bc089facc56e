from dataclasses import dataclass, field
from typing import Any, Protocol

from myApp.sessions.assistant.triage import Label, Triage

HISTORY_TURNS = 10

# The route each triage label answers by (seed 004's ``route``); "fallback" is a backend that could not
# answer (nothing in the lessons, or the model server failed and the local assistant answered).
CRISIS_ROUTE = "crisis"
FALLBACK_ROUTE = "fallback"
ROUTES = {
    Label.RISK: CRISIS_ROUTE,
    Label.WELLBEING: "wellbeing",
    Label.SKILL: "course_query",
    Label.SMALL_TALK: "smalltalk",
    Label.MEMORY: "memory",
    Label.OFF_TOPIC: "off_topic",
}


@dataclass(frozen=True)
class Turn:
    role: str  # "user" or "assistant"
    content: str


@dataclass
class AssistantReply:
    answer: str
    route: str
    confidence: float
    sources: list[dict[str, Any]] = field(default_factory=list)
    tokens_used: int | None = None
    model_used: str = ""
    # A guided wellbeing module the assistant suggests (seed 000's module ids), if any.
    recommended_module: str | None = None
    # Set by the safety layer when the user's message showed risk (a ``triage.Risk`` value).
    safety_flag: str = ""


class Backend(Protocol):
    """What answers once the safety layer has triaged a message (never a risk or wellbeing one)."""

    def reply(self, *, message: str, history: list[Turn], language: str, triage: Triage) -> AssistantReply: ...


class Assistant(Protocol):
    def reply(self, *, message: str, history: list[Turn], language: str) -> AssistantReply: ...
