"""The quest builder's conversation: its stage machine (``stages``), what it asks (``context``), and its
backends behind the chat's safety layer. ``get_builder`` is the only way to a builder, as
``sessions.assistant.get_assistant`` is to the chat: the backend follows ``ASSISTANT_BACKEND`` (local by
default, offline; or an OpenAI-compatible server), and ``BuilderSafetyLayer`` always stands in front."""

from django.conf import settings

from myApp.quests.builder.local import BuilderState, BuilderTurn, LocalBuilder, greeting
from myApp.quests.builder.safety import BuilderSafetyLayer


def get_backend() -> LocalBuilder:
    if settings.ASSISTANT_BACKEND == "openai":
        from myApp.quests.builder.openai import OpenAIBuilder

        return OpenAIBuilder(
            base_url=settings.LLM_BASE_URL,
            api_key=settings.LLM_API_KEY,
            model=settings.LLM_MODEL,
            timeout=settings.LLM_TIMEOUT_SECONDS,
        )
    return LocalBuilder()


def get_builder() -> BuilderSafetyLayer:
    return BuilderSafetyLayer(get_backend())


__all__ = ["BuilderSafetyLayer", "BuilderState", "BuilderTurn", "get_builder", "greeting"]
