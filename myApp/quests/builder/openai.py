"""The builder on an OpenAI-compatible ``/v1/chat/completions`` server (``ASSISTANT_BACKEND=openai``, the
chat's settings). It asks the same questions as the local builder; for the graph it asks the model for
JSON and accepts it only once ``graph.validate`` does. An invalid graph is reported and not kept; a server
that cannot be reached falls back to the local template, as the chat falls back to the local assistant."""

import json
import logging
import urllib.error
import urllib.request

from myApp.lib import json_input, outbound
from myApp.quests import graph
from myApp.quests.builder.local import Generated, LocalBuilder, check_generated
from myApp.sessions.assistant.base import HISTORY_TURNS, Turn

logger = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 1024 * 1024
MAX_GRAPH_TOKENS = 3000

SYSTEM_PROMPT = (
    "You write short therapeutic quests for children: a story the child plays through one step at a time, "
    "written by their parent. Answer with one JSON object and nothing else: "
    '{"nodes": [{"id", "type", "title", "text", "reveal"}], "edges": [{"id", "source", "target", "label"}]}. '
    "Node types: exactly one 'start', any 'scene' or 'choice', at least one 'ending'. Ids are letters, digits, "
    "'_' or '-'. Every edge joins two existing nodes; every node is reachable from the start; every node but "
    "an ending has an edge leaving it; an ending has none; no edge leads back to the start. Only an ending "
    f"has a 'reveal': a warm message from the parent. At most {graph.MAX_NODES} nodes; keep it to 5-12. "
    "Use gentle, age-appropriate language, the therapeutic approach named, and the shared memory."
)


def _strip_fences(content: str) -> str:
    text = content.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text.strip()


class OpenAIBuilder(LocalBuilder):
    def __init__(self, *, base_url: str, api_key: str, model: str, timeout: int):
        self.url = base_url.rstrip("/").removesuffix("/v1") + "/v1/chat/completions"
        self.api_key = api_key
        self.model = model
        self.timeout = timeout

    def can_revise(self) -> bool:
        return True

    def _payload(self, *, context: dict, history: list[Turn], current: dict | None, request: str) -> dict:
        facts = {key: context[key] for key in sorted(context)}
        ask = f"Write the quest for this child: {json.dumps(facts, ensure_ascii=False)}."
        if current:
            ask += f" The current quest is {json.dumps(current, ensure_ascii=False)}; change it as asked."
        if request:
            ask += f" The parent asks: {request}"
        messages = [{"role": "system", "content": SYSTEM_PROMPT}]
        messages += [{"role": turn.role, "content": turn.content} for turn in history[-HISTORY_TURNS:]]
        messages.append({"role": "user", "content": ask})
        return {"model": self.model, "messages": messages, "temperature": 0.4, "max_tokens": MAX_GRAPH_TOKENS}

    def generate(self, *, context: dict, history: list[Turn], current: dict | None, request: str) -> Generated:
        request_ = urllib.request.Request(
            self.url,
            data=json.dumps(self._payload(context=context, history=history, current=current, request=request)).encode(),
            headers={
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}),
            },
            method="POST",
        )
        try:
            with outbound.urlopen(request_, timeout=self.timeout) as response:
                body = json_input.loads(response.read(MAX_RESPONSE_BYTES))
            content = body["choices"][0]["message"]["content"]
            model_used = str(body.get("model") or self.model)
        except (urllib.error.URLError, TimeoutError, OSError, ValueError, KeyError, IndexError, TypeError) as error:
            logger.warning("quest builder server failed (%s); using the local template", error)
            if current:  # a revision the template cannot make: keep the quest as it is
                return Generated(None, problem="the model server could not be reached")
            return super().generate(context=context, history=history, current=current, request=request)
        try:
            document = json_input.loads(_strip_fences(str(content)))
        except ValueError:
            return Generated(None, problem="the model did not answer with JSON", model_used=model_used)
        generated = check_generated(document)
        generated.model_used = model_used
        return generated
