"""Redis cache of each conversation's last 50 messages (24 h), written through on every message.

A cached entry is a consistent snapshot: the messages and the conversation's
``message_count`` are read in one SQL statement. A read trusts the entry only
when its count equals the conversation's current ``message_count``, so a stale
or partial entry (a racing writer, an outage in between) is never served; it is
rebuilt from the database instead. When Redis is down every call degrades to
the database (the cache backend ignores and logs the errors). ``CHAT_HISTORY_CACHE=false``
turns the cache off (every read from the database), so the benchmark can measure what it buys.
"""

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import F

from myApp.lib.timestamps import format_timestamp
from myApp.sessions.models import Conversation, Message

HISTORY_SIZE = 50
HISTORY_TTL = 24 * 60 * 60


def _key(conversation_id: int) -> str:
    # v2: timestamps in the one API format (myApp/lib/timestamps.py); v1 entries are never read again.
    return f"chat:history:v2:{conversation_id}"


def serialize_message(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "role": message.role,
        "content": message.content,
        "message_type": message.message_type,
        "created_at": format_timestamp(message.created_at),
    }


def rebuild(conversation_id: int) -> dict[str, Any]:
    """Read the last 50 messages with the conversation's count in one statement and cache them."""
    rows = list(
        Message.objects.filter(conversation_id=conversation_id)
        .annotate(total=F("conversation__message_count"), session=F("conversation__session_id"))
        .order_by("-created_at", "-id")[:HISTORY_SIZE]
    )
    if rows:
        total, session_id = rows[0].total, rows[0].session
    else:
        total, session_id = Conversation.objects.filter(pk=conversation_id).values_list(
            "message_count", "session_id"
        ).first() or (0, None)
    entry = {
        "session_id": str(session_id),
        "count": total,
        "messages": [serialize_message(message) for message in reversed(rows)],
    }
    if settings.CHAT_HISTORY_CACHE:
        cache.set(_key(conversation_id), entry, HISTORY_TTL)
    return entry


def cached_history(conversation: Conversation, limit: int) -> list[dict[str, Any]] | None:
    """The last ``limit`` messages from the cache, or None when the cache cannot answer exactly."""
    if not settings.CHAT_HISTORY_CACHE:
        return None
    entry = cache.get(_key(conversation.pk))
    # The session id guards against a recycled primary key (SQLite) serving a deleted chat.
    if (
        not entry
        or entry.get("session_id") != str(conversation.session_id)
        or entry.get("count") != conversation.message_count
    ):
        return None
    messages = entry["messages"]
    if limit > len(messages) and conversation.message_count > len(messages):
        return None  # asks for more than the cache keeps
    return messages[-limit:] if limit else []


def forget(*conversation_ids: int) -> None:
    """Drop the cached history of these conversations (one round trip to the cache, none for no ids)."""
    if conversation_ids and settings.CHAT_HISTORY_CACHE:
        cache.delete_many([_key(conversation_id) for conversation_id in conversation_ids])
