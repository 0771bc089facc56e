from dataclasses import dataclass, field
from typing import Any, Protocol

HISTORY_TURNS = 10


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


class Assistant(Protocol):
    def reply(self, *, message: str, history: list[Turn], language: str) -> AssistantReply: ...
