"""Reads for chat: conversations under access control, history (cache first), the report."""

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from myApp.accounts.models import User
from myApp.lib.selectors import owned_by
from myApp.sessions import history_cache
from myApp.sessions.models import Conversation, Message, MessageRole, ModuleCompletion, WellbeingModule

HISTORY_LIMIT_MAX = 200


def conversations_for_user(*, user: User) -> QuerySet[Conversation]:
    return owned_by(Conversation.objects.select_related("user", "current_course"), user=user, owner_fields=("user",))


def messages_for_user(*, user: User) -> QuerySet[Message]:
    return owned_by(Message.objects.select_related("conversation"), user=user, owner_fields=("user",))


def conversation_history(conversation: Conversation, limit: int) -> list[dict[str, Any]]:
    """The last ``limit`` messages, oldest first: from the cache when it covers them, else the database."""
    cached = history_cache.cached_history(conversation, limit)
    if cached is not None:
        return cached
    if limit <= history_cache.HISTORY_SIZE:
        return history_cache.rebuild(conversation.pk)["messages"][-limit:]
    rows = Message.objects.filter(conversation=conversation).order_by("-created_at", "-id")[:limit]
    return [history_cache.serialize_message(message) for message in reversed(rows)]


def recent_turns(conversation: Conversation, turns: int) -> list[dict[str, Any]]:
    """The last ``turns`` user/assistant turns (a turn is one message) for the assistant's context."""
    history = conversation_history(conversation, turns * 2)
    chat = [m for m in history if m["role"] in (MessageRole.USER, MessageRole.ASSISTANT)]
    return chat[-turns:]


def psychology_report(*, user: User) -> dict[str, Any]:
    """Per guided module, the latest completion and its history across all the user's conversations."""
    by_module: dict[str, list[ModuleCompletion]] = defaultdict(list)
    for completion in ModuleCompletion.objects.filter(user=user).order_by("completed_at", "id"):
        by_module[completion.module_id].append(completion)

    def entry(completion: ModuleCompletion) -> dict[str, Any]:
        return {
            "conversation_id": completion.conversation_id,
            "completed_at": completion.completed_at.isoformat(),
            "completion_data": completion.completion_data,
        }

    report: dict[str, Any] = {}
    for module in WellbeingModule.values:
        rows = by_module.get(module, [])
        report[module] = {
            "count": len(rows),
            "latest": entry(rows[-1]) if rows else None,
            "history": [entry(row) for row in rows],
        }
    breathing = by_module.get(WellbeingModule.BREATHING, [])
    report[WellbeingModule.BREATHING]["trend"] = [
        {
            "completed_at": r.completed_at.isoformat(),
            "emotion": r.completion_data.get("emotion"),
            "intensity": r.completion_data.get("intensity"),
        }
        for r in breathing
    ]
    report[WellbeingModule.EMOTION_LABELING]["moods"] = [
        {
            "date": r.completion_data.get("date") or r.completed_at.date().isoformat(),
            "mood": r.completion_data.get("mood"),
        }
        for r in by_module.get(WellbeingModule.EMOTION_LABELING, [])
    ]
    report[WellbeingModule.QUICK_ASSESSMENT]["totals"] = [
        {
            "completed_at": r.completed_at.isoformat(),
            "total": sum(r.completion_data.get("answers", {}).values()),
            "answered": len(r.completion_data.get("answers", {})),
            "answers": r.completion_data.get("answers", {}),
        }
        for r in by_module.get(WellbeingModule.QUICK_ASSESSMENT, [])
    ]
    report[WellbeingModule.INNER_DOODLING]["drawings"] = sum(
        1
        for r in by_module.get(WellbeingModule.INNER_DOODLING, [])
        if r.completion_data.get("sketch_data", {}).get("has_drawing")
    )
    return report
