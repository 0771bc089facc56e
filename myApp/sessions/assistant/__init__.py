"""Pluggable chat assistants: ``local`` (answers from the knowledge base) and ``openai``
(any OpenAI-compatible /v1/chat/completions server), chosen by ``ASSISTANT_BACKEND``."""

from django.conf import settings

from myApp.sessions.assistant.base import Assistant, AssistantReply, Turn
from myApp.sessions.assistant.local import LocalAssistant


def get_assistant() -> Assistant:
    if settings.ASSISTANT_BACKEND == "openai":
        from myApp.sessions.assistant.openai import OpenAICompatibleAssistant

        return OpenAICompatibleAssistant(
            base_url=settings.LLM_BASE_URL,
            api_key=settings.LLM_API_KEY,
            model=settings.LLM_MODEL,
            timeout=settings.LLM_TIMEOUT_SECONDS,
            fallback=LocalAssistant(),
        )
    return LocalAssistant()


__all__ = ["Assistant", "AssistantReply", "Turn", "get_assistant"]
