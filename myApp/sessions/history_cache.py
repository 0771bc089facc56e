"""Redis cache of each conversation's last 50 messages (24 h), written through on every message.

A cached entry is a consistent snapshot: the messages and the conversation's
``message_count`` are read in one SQL statement. A read trusts the entry only
when its count equals the conversation's current ``message_count``, so a stale
or partial entry (a racing writer, an outage in between) is never served; it is
rebuilt from the database instead. When Redis is down every call degrades to
the database (the cache backend ignores and logs the errors). ``CHAT_HISTORY_CACHE=false``
turns the cache off (every read from the database), so the benchmark can measure what it buys.

The cache holds an entry as each message's API JSON (``API_FIELDS``, as the API's renderer writes it, one
``bytes`` per message: ``PARTS``) with the messages' types beside it (``TYPES``), not as dicts: a history read
whose messages the entry holds (``cached_body``) answers by joining the last ``limit`` of those bytes, with no
message unpickled, built or encoded again, and the read's round trip carries half the bytes it would carry with
the messages kept twice. Code that needs the messages themselves (a chat turn's context, the chat page) decodes
them (``stored_messages``). The cache-off and miss paths never encode them.

A chat turn writes its entry once: the snapshot it read for the assistant's context plus its
own messages (``extended``), when nobody else wrote to the conversation meanwhile; otherwise
it is rebuilt from the database.
"""

import json
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import F

from myApp.lib import db_routing
from myApp.lib.renderers import RenderedJSON, encode
from myApp.lib.timestamps import format_timestamp
from myApp.sessions.models import Conversation, Message

HISTORY_SIZE = 50
HISTORY_TTL = 24 * 60 * 60
# Passed as ``entry`` when the caller has not read the cache (the read then costs a round trip of its own).
UNREAD = object()
MESSAGE_FIELDS = ("id", "role", "content", "message_type", "created_at")
# A message as the history endpoint answers it.
API_FIELDS = ("id", "role", "content", "created_at")
# What the cache holds of the messages (``cacheable``): each message's API JSON, and their ``message_type``s.
PARTS = "parts"
TYPES = "types"


def key(conversation_id: int) -> str:
    # v2: timestamps in the one API format (myApp/lib/timestamps.py); v3: the messages' API JSON kept beside them;
    # v4: each message's API JSON (PARTS) instead of the messages as dicts. Entries of an earlier version are never
    # read again (they expire).
    return f"chat:history:v4:{conversation_id}"


def keys_to_prefetch(conversation_id: int | None) -> list[str]:
    """The cache keys a history read should fetch with its throttles' round trip (none when the cache is off)."""
    return [key(conversation_id)] if conversation_id is not None and settings.CHAT_HISTORY_CACHE else []


def serialize_message(message: Message | dict[str, Any]) -> dict[str, Any]:
    """A message (a model instance or a row of ``MESSAGE_FIELDS``) as the cache and the API hold it."""
    row = message if isinstance(message, dict) else {field: getattr(message, field) for field in MESSAGE_FIELDS}
    return {
        "id": row["id"],
        "role": row["role"],
        "content": row["content"],
        "message_type": row["message_type"],
        "created_at": format_timestamp(row["created_at"]),
    }


def snapshot(conversation_id: int) -> dict[str, Any]:
    """The entry for this conversation as the database has it: its last 50 messages and its count, read in one
    statement (nothing is cached; ``rebuild`` caches it)."""
    rows = list(
        Message.objects.filter(conversation_id=conversation_id)
        .order_by("-created_at", "-id")
        .values(*MESSAGE_FIELDS, total=F("conversation__message_count"), session=F("conversation__session_id"))[
            :HISTORY_SIZE
        ]
    )
    if rows:
        total, session_id = rows[0]["total"], rows[0]["session"]
    else:
        total, session_id = Conversation.objects.filter(pk=conversation_id).values_list(
            "message_count", "session_id"
        ).first() or (0, None)
    return {
        "session_id": str(session_id) if session_id is not None else None,  # None: no such conversation
        "count": total,
        "messages": [serialize_message(row) for row in reversed(rows)],
    }


def api_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{field: message[field] for field in API_FIELDS} for message in messages]


def _encoded(messages: list[dict[str, Any]]) -> list[bytes]:
    return [encode(message) for message in api_messages(messages)]


def cacheable(entry: dict[str, Any]) -> dict[str, Any]:
    """``entry`` as the cache holds it: its messages as their API JSON (``PARTS``) and types (``TYPES``). The
    parts an entry read from the cache brought with it (``cached_entry``, ``extended``) are not encoded again."""
    messages = entry["messages"]
    parts = entry.get(PARTS)
    if parts is None or len(parts) != len(messages):
        parts = _encoded(messages)
    types = [message["message_type"] for message in messages]
    return {"session_id": entry["session_id"], "count": entry["count"], PARTS: parts, TYPES: types}


def stored_messages(stored: dict[str, Any], last: int | None = None) -> list[dict[str, Any]]:
    """The messages (``MESSAGE_FIELDS``) of an entry as the cache holds it; only the ``last`` ones when given."""
    parts, types = stored[PARTS], stored[TYPES]
    if last is not None:
        parts, types = (parts[-last:], types[-last:]) if last else ([], [])
    messages = json.loads(b"[%s]" % b",".join(parts)) if parts else []
    for message, message_type in zip(messages, types, strict=True):
        message["message_type"] = message_type
    return messages


def store(conversation_id: int, entry: dict[str, Any]) -> dict[str, Any]:
    if settings.CHAT_HISTORY_CACHE:
        cache.set(key(conversation_id), cacheable(entry), HISTORY_TTL)
    return entry


def read(conversation_id: int) -> Any:
    """The raw entry, as the cache holds it (None when absent or the cache is off): one round trip, none when
    off."""
    return cache.get(key(conversation_id)) if settings.CHAT_HISTORY_CACHE else None


def rebuild(conversation_id: int) -> dict[str, Any]:
    """Read the last 50 messages with the conversation's count in one statement and cache them. Read from
    the primary: other requests trust the entry, and a lagging replica could still hold a deleted chat."""
    with db_routing.primary_reads():
        entry = snapshot(conversation_id)
    return store(conversation_id, entry) if entry["session_id"] is not None else entry


def extended(entry: dict[str, Any], messages: list[Message], count: int) -> dict[str, Any] | None:
    """``entry`` with ``messages`` appended, when that is what the database holds: the conversation's count
    (read in the statement that added them) is the entry's plus theirs, so nobody else wrote in between.
    None otherwise (the caller rebuilds from the database)."""
    if entry.get("count") is None or entry["count"] + len(messages) != count:
        return None
    added = [serialize_message(message) for message in messages]
    kept = [*entry["messages"], *added]
    longer = {"session_id": entry["session_id"], "count": count, "messages": kept[-HISTORY_SIZE:]}
    if entry.get(PARTS) is not None and len(entry[PARTS]) == len(entry["messages"]):
        longer[PARTS] = [*entry[PARTS], *_encoded(added)][-HISTORY_SIZE:]
    return longer


def _answerable(stored: Any, *, session_id: Any, message_count: int, limit: int) -> int | None:
    """How many of the stored entry's last messages answer a read of the last ``limit``, when the entry is current
    for this conversation and holds them; else None."""
    # The session id guards against a recycled primary key (SQLite) serving a deleted chat.
    if not isinstance(stored, dict) or stored.get("session_id") != str(session_id):
        return None
    parts, types = stored.get(PARTS), stored.get(TYPES)
    if stored.get("count") != message_count or not isinstance(parts, list) or not isinstance(types, list):
        return None
    if limit > len(parts) and message_count > len(parts):
        return None  # asks for more than the cache keeps
    return min(limit, len(parts))


def cached_entry(conversation: Conversation) -> dict[str, Any] | None:
    """The conversation's entry when it is current (all of it, its messages decoded), else None."""
    stored = read(conversation.pk)
    if (
        _answerable(stored, session_id=conversation.session_id, message_count=conversation.message_count, limit=0)
        is None
    ):
        return None
    return {
        "session_id": stored["session_id"],
        "count": stored["count"],
        "messages": stored_messages(stored),
        PARTS: stored[PARTS],
    }


def cached_history(conversation: Conversation, limit: int, *, entry: Any = UNREAD) -> list[dict[str, Any]] | None:
    """The last ``limit`` messages from the cache, or None when the cache cannot answer exactly. ``entry``: the
    cached value when the caller has read it already (``key``), so this costs no round trip."""
    if not settings.CHAT_HISTORY_CACHE:
        return None
    if entry is UNREAD:
        entry = read(conversation.pk)
    answerable = _answerable(
        entry, session_id=conversation.session_id, message_count=conversation.message_count, limit=limit
    )
    return None if answerable is None else stored_messages(entry, answerable)


def cached_body(conversation: Conversation, limit: int, *, entry: Any) -> RenderedJSON | None:
    """The history endpoint's whole answer from an entry (read by the caller) that is current and holds every
    message asked for: the last ``limit`` of its messages' stored JSON joined; None otherwise (the database
    answers)."""
    if not settings.CHAT_HISTORY_CACHE:
        return None
    answerable = _answerable(
        entry, session_id=conversation.session_id, message_count=conversation.message_count, limit=limit
    )
    if answerable is None:
        return None
    parts = entry[PARTS][-answerable:] if answerable else []
    head = encode({"session_id": str(conversation.session_id), "message_count": conversation.message_count})
    return RenderedJSON(b'%s,"messages":[%s]}' % (head[:-1], b",".join(parts)))


def forget(*conversation_ids: int) -> None:
    """Drop the cached history of these conversations (one round trip to the cache, none for no ids)."""
    if conversation_ids and settings.CHAT_HISTORY_CACHE:
        cache.delete_many([key(conversation_id) for conversation_id in conversation_ids])
