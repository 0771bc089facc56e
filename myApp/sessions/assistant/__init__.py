"""Pluggable chat assistants behind one safety layer: ``local`` (answers from the knowledge base) and
``openai`` (any OpenAI-compatible /v1/chat/completions server), chosen by ``ASSISTANT_BACKEND``.

``get_assistant`` is the only way to an assistant, and it always puts ``safety.SafetyLayer`` in front of
the backend: risk and wellbeing messages are answered there and never reach a backend."""

from django.conf import settings

from myApp.sessions.assistant.base import Assistant, AssistantReply, Turn
from myApp.sessions.assistant.local import LocalAssistant
from myApp.sessions.assistant.safety import SafetyLayer


def get_backend():
    if settings.ASSISTANT_BACKEND == "openai":
        from myApp.sessions.assistant.openai import OpenAICompatibleAssistant

        return OpenAICompatibleAssistant(
            base_url=settings.LLM_BASE_URL,
            api_key=settings.LLM_API_KEY,
            model=settings.LLM_MODEL,
            timeout=settings.LLM_TIMEOUT_SECONDS,
            context_chars=settings.LLM_CONTEXT_CHARS,
            fallback=LocalAssistant(),
        )
    return LocalAssistant()


def get_assistant() -> Assistant:
    return SafetyLayer(get_backend())


__all__ = ["Assistant", "AssistantReply", "Turn", "get_assistant"]
