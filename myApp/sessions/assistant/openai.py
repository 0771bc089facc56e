"""A backend on any OpenAI-compatible ``/v1/chat/completions`` server (a hosted API, vLLM, llama.cpp,
Ollama). It sits behind the safety layer like the local one, so it never sees a risk message.

For a skill question the best knowledge blocks and courses go with the request as a second system
message (at most ``LLM_CONTEXT_CHARS`` characters, cut at sentences), and come back as the reply's
``sources``. The answer is bounded (``MAX_ANSWER_TOKENS``); one the server cut off is trimmed to its
last whole sentence. Any failure falls back to the local backend."""

import json
import logging
import urllib.error
import urllib.request

from myApp.lib import json_input, outbound
from myApp.sessions.assistant.base import FALLBACK_ROUTE, HISTORY_TURNS, ROUTES, AssistantReply, Backend, Turn
from myApp.sessions.assistant.knowledge import knowledge_for, model_context
from myApp.sessions.assistant.text import sentences
from myApp.sessions.assistant.triage import Label, Triage

logger = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 1024 * 1024
MAX_ANSWER_TOKENS = 400

SYSTEM_PROMPT = (
    "You are SpeakPro's coach: warm, concise and practical. You help people become confident public "
    "speakers and look after their wellbeing. Answer in the user's language. If someone seems in "
    "distress, acknowledge it kindly and suggest a short breathing or mood check-in; if they may be in "
    "danger, encourage them to contact local emergency services or a trusted person. Politely steer "
    "questions unrelated to speaking, the courses or wellbeing back to those."
)
CONTEXT_PROMPT = (
    "Course material for this question, from the platform's lessons and courses. Base your answer on it, "
    "name the lesson or course you use, and answer in a few complete sentences:\n\n"
)


def _complete_sentences(answer: str) -> str:
    """An answer the server cut off (``finish_reason: length``) without its unfinished last sentence."""
    whole = sentences(answer)
    if len(whole) > 1 and not whole[-1].rstrip().endswith((".", "!", "?", "…", '"', "”", ")")):
        whole = whole[:-1]
    return " ".join(whole)


class OpenAICompatibleAssistant:
    def __init__(self, *, base_url: str, api_key: str, model: str, timeout: int, context_chars: int, fallback: Backend):
        self.url = base_url.rstrip("/").removesuffix("/v1") + "/v1/chat/completions"
        self.api_key = api_key
        self.model = model
        self.timeout = timeout
        self.context_chars = context_chars
        self.fallback = fallback

    def _payload(self, message: str, history: list[Turn], language: str, context: str) -> dict:
        messages = [{"role": "system", "content": f"{SYSTEM_PROMPT} Preferred language: {language}."}]
        if context:
            messages.append({"role": "system", "content": CONTEXT_PROMPT + context})
        messages += [{"role": turn.role, "content": turn.content} for turn in history[-HISTORY_TURNS:]]
        messages.append({"role": "user", "content": message})
        return {"model": self.model, "messages": messages, "temperature": 0.4, "max_tokens": MAX_ANSWER_TOKENS}

    def reply(self, *, message: str, history: list[Turn], language: str = "en", triage: Triage) -> AssistantReply:
        context, sources = "", []
        if triage.label == Label.SKILL:
            context, sources = model_context(knowledge_for(message), self.context_chars)
        request = urllib.request.Request(
            self.url,
            data=json.dumps(self._payload(message, history, language, context)).encode(),
            headers={
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}),
            },
            method="POST",
        )
        try:
            with outbound.urlopen(request, timeout=self.timeout) as response:
                # Bounded like client input: a server answering with deep or huge JSON falls back locally.
                body = json_input.loads(response.read(MAX_RESPONSE_BYTES))
            choice = body["choices"][0]
            answer = choice["message"]["content"].strip()
            if choice.get("finish_reason") == "length":
                answer = _complete_sentences(answer)
            if not answer:
                raise ValueError("empty answer")
        except (
            urllib.error.URLError,
            TimeoutError,
            OSError,
            ValueError,
            KeyError,
            IndexError,
            TypeError,
            AttributeError,
        ) as error:
            logger.warning("assistant server failed (%s); answering locally", error)
            local = self.fallback.reply(message=message, history=history, language=language, triage=triage)
            local.route = FALLBACK_ROUTE
            return local
        usage = body.get("usage") or {}
        return AssistantReply(
            answer=answer,
            route=ROUTES[triage.label],
            confidence=0.8 if sources or triage.label != Label.SKILL else 0.5,
            sources=sources,
            tokens_used=usage.get("total_tokens"),
            model_used=str(body.get("model") or self.model),
        )
