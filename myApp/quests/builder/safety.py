"""The chat's safety layer in front of the builder (``sessions.assistant.safety``).

A message that shows risk gets the chat's crisis response and its safety flag; no backend sees it, it
changes nothing in the quest (no stage, no context, no graph), and the history a backend gets has it
withheld (``screened_history``), so it never reaches a remote model or a quest. Feelings are the matter of
a therapeutic quest, so wellbeing messages go on to the builder (unlike the chat, which answers them)."""

from myApp.lib.exceptions import ServiceError
from myApp.quests.builder.local import BuilderState, BuilderTurn, LocalBuilder
from myApp.sessions.assistant.base import Turn
from myApp.sessions.assistant.safety import SafetyLayer, crisis_reply, screened_history
from myApp.sessions.assistant.triage import Label, classify


class BuilderSafetyLayer(SafetyLayer):
    backend: LocalBuilder

    def turn(self, *, state: BuilderState, message: str, history: list[Turn]) -> BuilderTurn:
        triage = classify(message)
        if triage.label == Label.RISK:
            reply = crisis_reply(triage)
            return BuilderTurn(reply.answer, model_used=reply.model_used, safety_flag=reply.safety_flag)
        screened, _ = screened_history(history)
        return self.backend.turn(state=state, message=message, history=screened)


def refuse_risk(texts: dict[str, object]) -> None:
    """The same screen for what a parent writes into a session without a chat turn (context keys, graph
    texts, the finishing title) and for every other text written into the quests (a quest's fields, a
    rating's text): text that shows risk is refused (400 naming the field, with the chat's crisis answer),
    so an edit is no way around the safety layer into a quest. The crisis answer is in the refusal's
    detail too: a page that shows only the detail (a refused rating) still shows where to find help."""
    errors: dict[str, list[str]] = {}
    for name, text in texts.items():
        if isinstance(text, str) and text.strip():
            triage = classify(text)
            if triage.label == Label.RISK:
                errors[name] = [crisis_reply(triage).answer]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ServiceError(f"This text cannot go into a quest. {first}", errors=errors)
