"""Reads for chat: conversations under access control, history (cache first), the report."""

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from myApp.accounts.models import User
from myApp.lib.selectors import owned_by
from myApp.lib.timestamps import format_timestamp
from myApp.sessions import history_cache
from myApp.sessions.models import Conversation, Message, MessageRole, ModuleCompletion, WellbeingModule

HISTORY_LIMIT_MAX = 200


def conversations() -> QuerySet[Conversation]:
    """Every conversation, most recently active first (viewsets add the owner filter)."""
    return Conversation.objects.select_related("user", "current_course")


def conversations_for_user(*, user: User) -> QuerySet[Conversation]:
    return owned_by(conversations(), user=user, owner_fields=("user",))


def active_conversation(*, user: User) -> Conversation | None:
    """The user's active conversation, unless it has expired (the next chat starts a new one)."""
    live = Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    return Conversation.objects.filter(live, user=user, is_active=True).first()


def chat_messages() -> QuerySet[Message]:
    """Every message, oldest first (viewsets add the owner filter)."""
    return Message.objects.select_related("conversation").order_by("created_at", "id")


def conversation_messages(conversation: Conversation) -> QuerySet[Message]:
    """A conversation's messages, oldest first (the full list; the history cache serves the recent ones)."""
    return chat_messages().filter(conversation=conversation)


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
            "completed_at": format_timestamp(completion.completed_at),
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
            "completed_at": format_timestamp(r.completed_at),
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
            "completed_at": format_timestamp(r.completed_at),
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


def assistant_reply_details(*, conversation: Conversation, message_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The route and knowledge sources of the listed assistant messages (one query; the history cache keeps
    neither): ``{message_id: {"route": ..., "sources": [...]}}``."""
    rows = Message.objects.filter(
        conversation=conversation, pk__in=message_ids, role=MessageRole.ASSISTANT
    ).values_list("pk", "metadata__route", "metadata__sources")
    return {
        pk: {
            "route": route if isinstance(route, str) else "",
            "sources": sources if isinstance(sources, list) else [],
        }
        for pk, route, sources in rows
    }


def suggested_modules(conversation: Conversation | None) -> list[str]:
    """Guided modules recommended in this conversation and not completed since the recommendation."""
    if conversation is None:
        return []
    suggested = []
    for module_id in WellbeingModule.values:
        entry = conversation.module_status.get(module_id) or {}
        recommended, completed = entry.get("recommended_at"), entry.get("completed_at")
        if recommended and (not completed or datetime.fromisoformat(completed) < datetime.fromisoformat(recommended)):
            suggested.append(module_id)
    return suggested
