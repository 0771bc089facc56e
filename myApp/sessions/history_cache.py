"""Redis cache of each conversation's last 50 messages (24 h), written through on every message.

A cached entry is a consistent snapshot: the messages and the conversation's
``message_count`` are read in one SQL statement. A read trusts the entry only
when its count equals the conversation's current ``message_count``, so a stale
or partial entry (a racing writer, an outage in between) is never served; it is
rebuilt from the database instead. When Redis is down every call degrades to
the database (the cache backend ignores and logs the errors). ``CHAT_HISTORY_CACHE=false``
turns the cache off (every read from the database), so the benchmark can measure what it buys.

An entry also keeps its messages as the API writes them (``API_FIELDS``, encoded once when it is stored), so a
hit on the whole entry (``cached_body``: a read of at least as many messages as it keeps) answers with those
bytes instead of unpickled dicts encoded again. The cache-off and miss paths never encode them.

A chat turn writes its entry once: the snapshot it read for the assistant's context plus its
own messages (``extended``), when nobody else wrote to the conversation meanwhile; otherwise
it is rebuilt from the database.
"""

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
# The entry's messages (API_FIELDS) as the API's renderer writes them: added by ``cacheable`` when stored.
ENCODED = "messages_json"


def key(conversation_id: int) -> str:
    # v2: timestamps in the one API format (myApp/lib/timestamps.py); v3: the messages' API JSON kept with them
    # (ENCODED). Entries of an earlier version are never read again (they expire).
    return f"chat:history:v3:{conversation_id}"


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


def cacheable(entry: dict[str, Any]) -> dict[str, Any]:
    """``entry`` as the cache holds it: with its messages encoded for the API (``ENCODED``)."""
    return {**entry, ENCODED: encode(api_messages(entry["messages"]))}


def store(conversation_id: int, entry: dict[str, Any]) -> dict[str, Any]:
    if settings.CHAT_HISTORY_CACHE:
        cache.set(key(conversation_id), cacheable(entry), HISTORY_TTL)
    return entry


def read(conversation_id: int) -> Any:
    """The raw entry (None when absent or the cache is off): one round trip, none when off."""
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
    kept = [*entry["messages"], *(serialize_message(message) for message in messages)]
    return {"session_id": entry["session_id"], "count": count, "messages": kept[-HISTORY_SIZE:]}


def valid_messages(entry: Any, *, session_id: Any, message_count: int, limit: int) -> list[dict[str, Any]] | None:
    """The last ``limit`` messages of ``entry`` when it is current for this conversation, else None."""
    # The session id guards against a recycled primary key (SQLite) serving a deleted chat.
    if not entry or entry.get("session_id") != str(session_id) or entry.get("count") != message_count:
        return None
    messages = entry["messages"]
    if limit > len(messages) and message_count > len(messages):
        return None  # asks for more than the cache keeps
    return messages[-limit:] if limit else []


def cached_entry(conversation: Conversation) -> dict[str, Any] | None:
    """The conversation's entry when it is current (all of it), else None."""
    entry = read(conversation.pk)
    current = valid_messages(
        entry, session_id=conversation.session_id, message_count=conversation.message_count, limit=0
    )
    return entry if current is not None else None


def cached_history(conversation: Conversation, limit: int, *, entry: Any = UNREAD) -> list[dict[str, Any]] | None:
    """The last ``limit`` messages from the cache, or None when the cache cannot answer exactly. ``entry``: the
    cached value when the caller has read it already (``key``), so this costs no round trip."""
    if not settings.CHAT_HISTORY_CACHE:
        return None
    if entry is UNREAD:
        entry = read(conversation.pk)
    return valid_messages(
        entry, session_id=conversation.session_id, message_count=conversation.message_count, limit=limit
    )


def cached_body(conversation: Conversation, limit: int, *, entry: Any) -> RenderedJSON | None:
    """The history endpoint's whole answer from an entry (read by the caller) that is current and holds every
    message asked for (``limit`` at least its length), its messages spliced in as they were encoded when stored;
    None otherwise (``cached_history`` and the database answer)."""
    if not settings.CHAT_HISTORY_CACHE or not entry or entry.get(ENCODED) is None:
        return None
    messages = valid_messages(
        entry, session_id=conversation.session_id, message_count=conversation.message_count, limit=limit
    )
    if messages is None or len(messages) != len(entry["messages"]):
        return None
    head = encode({"session_id": str(conversation.session_id), "message_count": conversation.message_count})
    return RenderedJSON(b"%s,%s:%s}" % (head[:-1], encode("messages"), entry[ENCODED]))


def forget(*conversation_ids: int) -> None:
    """Drop the cached history of these conversations (one round trip to the cache, none for no ids)."""
    if conversation_ids and settings.CHAT_HISTORY_CACHE:
        cache.delete_many([key(conversation_id) for conversation_id in conversation_ids])
