"""An assistant backed by any OpenAI-compatible ``/v1/chat/completions`` server
(a hosted API, vLLM, llama.cpp, Ollama). Any failure falls back to the local assistant."""

import json
import logging
import urllib.error
import urllib.request

from myApp.lib import json_input
from myApp.sessions.assistant.base import HISTORY_TURNS, Assistant, AssistantReply, Turn

logger = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 1024 * 1024

SYSTEM_PROMPT = (
    "You are SpeakPro's coach: warm, concise and practical. You help people become confident public "
    "speakers and look after their wellbeing. Answer in the user's language. If someone seems in "
    "distress, acknowledge it kindly and suggest a short breathing or mood check-in; if they may be in "
    "danger, encourage them to contact local emergency services or a trusted person."
)


class OpenAICompatibleAssistant:
    def __init__(self, *, base_url: str, api_key: str, model: str, timeout: int, fallback: Assistant):
        self.url = base_url.rstrip("/").removesuffix("/v1") + "/v1/chat/completions"
        self.api_key = api_key
        self.model = model
        self.timeout = timeout
        self.fallback = fallback

    def _payload(self, message: str, history: list[Turn], language: str) -> dict:
        messages = [{"role": "system", "content": f"{SYSTEM_PROMPT} Preferred language: {language}."}]
        messages += [{"role": turn.role, "content": turn.content} for turn in history[-HISTORY_TURNS:]]
        messages.append({"role": "user", "content": message})
        return {"model": self.model, "messages": messages, "temperature": 0.4}

    def reply(self, *, message: str, history: list[Turn], language: str = "en") -> AssistantReply:
        request = urllib.request.Request(
            self.url,
            data=json.dumps(self._payload(message, history, language)).encode(),
            headers={
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}),
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                # Bounded like client input: a server answering with deep or huge JSON falls back locally.
                body = json_input.loads(response.read(MAX_RESPONSE_BYTES))
            answer = body["choices"][0]["message"]["content"].strip()
            if not answer:
                raise ValueError("empty answer")
        except (urllib.error.URLError, TimeoutError, OSError, ValueError, KeyError, IndexError, TypeError) as error:
            logger.warning("assistant server failed (%s); answering locally", error)
            local = self.fallback.reply(message=message, history=history, language=language)
            local.route = "fallback"
            return local
        usage = body.get("usage") or {}
        return AssistantReply(
            answer=answer,
            route="llm",
            confidence=0.8,
            tokens_used=usage.get("total_tokens"),
            model_used=str(body.get("model") or self.model),
        )
