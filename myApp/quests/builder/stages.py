"""The builder's stage machine, in one place: greeting → collecting_info → clarifying → generating →
reviewing → quest_ready, with the few ways back a conversation needs (a graph to regenerate, a ready
quest to change). Anything else is ``IllegalTransition`` (409)."""

from myApp.lib.exceptions import Conflict
from myApp.quests.models import BuilderStage

S = BuilderStage

TRANSITIONS: dict[str, frozenset[str]] = {
    S.GREETING: frozenset({S.COLLECTING_INFO}),
    S.COLLECTING_INFO: frozenset({S.CLARIFYING}),
    S.CLARIFYING: frozenset({S.GENERATING}),
    S.GENERATING: frozenset({S.REVIEWING}),
    S.REVIEWING: frozenset({S.GENERATING, S.QUEST_READY}),
    S.QUEST_READY: frozenset({S.REVIEWING}),
}

# Stages in which a session has a graph the parent may look at and edit.
WITH_GRAPH = frozenset({S.REVIEWING, S.QUEST_READY})


class IllegalTransition(Conflict):
    def __init__(self, current: str, target: str):
        super().__init__(
            f"A builder session cannot go from {current!r} to {target!r}.",
            errors={
                "current_stage": [f"From {current!r} the builder can go to: {', '.join(allowed(current)) or '-'}."]
            },
        )


def allowed(current: str) -> list[str]:
    return sorted(TRANSITIONS.get(current, ()))


def is_legal(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, ())


def advance(current: str, path: list[str]) -> str:
    """The stage after walking ``path`` from ``current``, one legal step at a time."""
    for target in path:
        if not is_legal(current, target):
            raise IllegalTransition(current, target)
        current = target
    return current
