"""Reads for chat: conversations under access control, history (cache first), the report."""

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db.models import Count, Expression, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from myApp.accounts.models import User
from myApp.accounts.selectors import caller_row_value
from myApp.lib import access
from myApp.lib.renderers import RenderedJSON
from myApp.sessions import expiry, history_cache, wellbeing
from myApp.sessions.models import Conversation, Message, MessageRole, ModuleCompletion, WellbeingModule

HISTORY_LIMIT_MAX = 200


def conversations() -> QuerySet[Conversation]:
    """Every conversation, most recently active first, each with ``is_live`` (``expiry.live``): a base that
    callers narrow through ``lib.access`` (the viewsets' owner filter, ``conversations_owned_by``)."""
    return expiry.with_liveness(Conversation.objects.select_related("user", "current_course"))


def conversations_owned_by(*, user: User) -> QuerySet[Conversation]:
    """The user's own conversations (staff too see only theirs here; the admin shows everyone's)."""
    return access.owned_by(conversations(), user=user)


def active_conversation(*, user: User) -> Conversation | None:
    """The user's live conversation (seed 004's active session), if any: ``expiry.live`` decides."""
    return conversations().filter(expiry.live(), user=user).first()


def chat_messages() -> QuerySet[Message]:
    """Every message, oldest first: a base the viewsets narrow to the caller's own through ``lib.access``."""
    return Message.objects.select_related("conversation").order_by("created_at", "id")


def chat_message_count(*, user: User) -> int:
    """How many messages the user has: the sum of their conversations' ``message_count``, which the write that
    adds messages raises in the same transaction (``services.messages_add``), and a message is its
    conversation's user's (``services.message_new``). Reads a row per conversation, where counting the
    messages reads one per message (a heavy user's 20,000 took 3 ms, the page itself 0.2 ms)."""
    return Conversation.objects.filter(user=user).aggregate(total=Coalesce(Sum("message_count"), 0))["total"]


def conversation_messages(conversation: Conversation) -> QuerySet[Message]:
    """A conversation's messages, oldest first (the full list; the history cache serves the recent ones)."""
    return chat_messages().filter(conversation=conversation)


def conversation_for_history(*, user: User, session_id) -> QuerySet[Conversation]:
    """The user's conversation with this session id, with only what the history answers with (no joins)."""
    return access.owned_by(Conversation.objects.only("pk", "session_id", "user_id", "message_count"), user=user).filter(
        session_id=session_id
    )


def history_probe(*, session_id) -> dict[str, Expression]:
    """For the authentication statement (``DeviceTokenAuthentication.extras``): the caller's conversation with
    this session id, as ``history_conversation_id`` and ``history_message_count`` (None when they have none),
    so that a cached history read costs no query beyond authentication."""
    return {
        "history_conversation_id": caller_row_value(Conversation, "id", session_id=session_id),
        "history_message_count": caller_row_value(Conversation, "message_count", session_id=session_id),
    }


def conversation_history(
    conversation: Conversation, limit: int, *, entry: Any = history_cache.UNREAD
) -> list[dict[str, Any]]:
    """The last ``limit`` messages, oldest first: from the cache when it covers them, else the database.
    ``entry``: the cache entry, when the caller has read it already (``history_cache.key``)."""
    cached = history_cache.cached_history(conversation, limit, entry=entry)
    if cached is not None:
        return cached
    return _database_history(conversation, limit)[1]


def _database_history(conversation: Conversation, limit: int) -> tuple[int, list[dict[str, Any]]]:
    """The conversation's message count and its last ``limit`` messages, read in one statement: the count they
    answer for, even when a message was added since ``conversation`` was read (by the authentication statement,
    for a history read). The recent ones are cached on the way (``history_cache.rebuild``)."""
    if limit <= history_cache.HISTORY_SIZE:
        entry = history_cache.rebuild(conversation.pk)
        return entry["count"], entry["messages"][-limit:]
    rows = list(
        Message.objects.filter(conversation_id=conversation.pk)
        .order_by("-created_at", "-id")
        .values(*history_cache.MESSAGE_FIELDS, total=F("conversation__message_count"))[:limit]
    )
    count = rows[0]["total"] if rows else conversation.message_count
    return count, [history_cache.serialize_message(row) for row in reversed(rows)]


def history_answer(
    conversation: Conversation, limit: int, *, entry: Any = history_cache.UNREAD
) -> dict[str, Any] | RenderedJSON:
    """The history endpoint's answer: the session, its message count and its last ``limit`` messages (oldest
    first, ``history_cache.API_FIELDS``). From the cache entry's stored JSON when the entry holds all of them,
    else from the database (``_database_history``). ``entry``: as ``conversation_history``'s; the cache is read at
    most once."""
    if entry is history_cache.UNREAD:
        entry = history_cache.read(conversation.pk)
    spliced = history_cache.cached_body(conversation, limit, entry=entry)
    if spliced is not None:
        return spliced
    # Not from the cache (``cached_history`` answers exactly when ``cached_body`` does): the database's messages
    # with the count read beside them, not the conversation's (read earlier, it may miss a message since added).
    count, messages = _database_history(conversation, limit)
    return {
        "session_id": str(conversation.session_id),
        "message_count": count,
        "messages": history_cache.api_messages(messages),
    }


def turn_context(conversation: Conversation) -> dict[str, Any]:
    """A chat turn's view of the conversation: the cache entry when it is current, else the database's, read
    once and not cached (the turn caches it once, with its own messages: ``history_cache.extended``)."""
    if conversation.message_count == 0:  # a new conversation: nothing to read
        return {"session_id": str(conversation.session_id), "count": 0, "messages": []}
    return history_cache.cached_entry(conversation) or history_cache.snapshot(conversation.pk)


def recent_turns(history: list[dict[str, Any]], turns: int) -> list[dict[str, Any]]:
    """The last ``turns`` user/assistant turns (a turn is one message) of ``history``, for the assistant."""
    chat = [m for m in history[-turns * 2 :] if m["role"] in (MessageRole.USER, MessageRole.ASSISTANT)]
    return chat[-turns:]


# --- The wellbeing report ------------------------------------------------------------------------------
#
# Every figure the report shows is computed here, in two queries whatever the learner's history: one aggregate
# per module, one for the most recent completions of each module. Only the declared summary fields are read
# out of ``completion_data`` (JSON key lookups in SQL), so a doodle's strokes (up to 20,000 points) never leave
# the database for the report; they are read only ``with_data`` (``module_completions``), for the one doodle
# a page or endpoint shows.

TREND_POINTS = 30  # the most recent completions of each module the report's trends show

# The fields of each module's data that the report and the history read: (name, key path in completion_data).
SUMMARY_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    WellbeingModule.BREATHING: (
        ("emotion", "emotion"),
        ("intensity", "intensity"),
        ("completed_steps", "completed_steps"),
    ),
    WellbeingModule.EMOTION_LABELING: (("mood", "mood"), ("date", "date"), ("note", "note")),
    WellbeingModule.INNER_DOODLING: (
        ("has_drawing", "sketch_data__has_drawing"),
        ("width", "sketch_data__width"),
        ("height", "sketch_data__height"),
    ),
    WellbeingModule.QUICK_ASSESSMENT: (("answers", "answers"),),
}
_SUMMARY_COLUMNS = {
    f"summary_{name}": F(f"completion_data__{path}") for keys in SUMMARY_KEYS.values() for name, path in keys
}


def assessment_score(answers: Any) -> dict[str, Any]:
    """A self-check's total, how many statements were answered, the most it could be, and each statement's score
    (in ``wellbeing.ASSESSMENT_QUESTIONS`` order, None where skipped)."""
    answers = answers if isinstance(answers, dict) else {}
    scores = [value for value in answers.values() if isinstance(value, int)]
    return {
        "total": sum(scores),
        "answered": len(scores),
        "possible": len(scores) * wellbeing.ASSESSMENT_MAX,
        "scores": [answers.get(str(index)) for index in range(len(wellbeing.ASSESSMENT_QUESTIONS))],
    }


def module_completions(*, with_data: bool = False) -> QuerySet[ModuleCompletion]:
    """Completions, newest first, each with its summary fields (``completion_summary``). ``completion_data``
    itself (a doodle's strokes) is read only ``with_data``, for the one completion a page or endpoint shows."""
    completions = ModuleCompletion.objects.annotate(**_SUMMARY_COLUMNS).order_by("-completed_at", "-id")
    return completions if with_data else completions.defer("completion_data")


def module_completions_owned_by(*, user: User, with_data: bool = False) -> QuerySet[ModuleCompletion]:
    """The user's own completions (staff too see only theirs here; the admin shows everyone's)."""
    return access.owned_by(module_completions(with_data=with_data), user=user)


def completion_summary(completion: ModuleCompletion) -> dict[str, Any]:
    """A completion as the report and the history show it: its module's summary fields (never strokes), and a
    self-check's score. ``completion`` comes from ``module_completions``."""
    summary = {name: getattr(completion, f"summary_{name}") for name, _ in SUMMARY_KEYS[completion.module_id]}
    if completion.module_id == WellbeingModule.QUICK_ASSESSMENT:
        summary.update(assessment_score(summary["answers"]))
    return summary


def module_completion_history(*, subject: User, module_id: str | None = None) -> QuerySet[ModuleCompletion]:
    """``subject``'s completions, newest first, summaries only: paginate it, only the shown page is read."""
    completions = module_completions().filter(user=subject)
    return completions.filter(module_id=module_id) if module_id else completions


def psychology_report(*, user: User) -> dict[str, Any]:
    """Per guided module: how many completions, the latest one (a summary), and a trend of the most recent
    ``TREND_POINTS`` (oldest first; breathing's average intensity is over those); the full history is
    ``module_completion_history``, a page at a time."""
    mine = ModuleCompletion.objects.filter(user=user)
    totals = {
        row["module_id"]: row
        for row in mine.values("module_id").annotate(
            count=Count("id"),
            drawings=Count("id", filter=Q(completion_data__sketch_data__has_drawing=True)),
        )
    }
    # Each module's latest TREND_POINTS, each read backwards from the (user, module_id, completed_at) index
    # and stopped there: ranking every completion with a window read the whole history on each report.
    latest_of = Q()
    for module in WellbeingModule.values:
        newest = mine.filter(module_id=module).order_by("-completed_at", "-id").values("pk")[:TREND_POINTS]
        latest_of |= Q(pk__in=newest)
    recent = module_completions().filter(latest_of, user=user)
    by_module: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for completion in reversed(recent):
        by_module[completion.module_id].append(
            {
                "id": completion.pk,
                "conversation_id": completion.conversation_id,
                "completed_at": completion.completed_at,
                "summary": completion_summary(completion),
            }
        )

    def latest(module: str) -> dict[str, Any] | None:
        return by_module[module][-1] if by_module[module] else None

    breathing = by_module[WellbeingModule.BREATHING]
    intensities = [entry["summary"]["intensity"] for entry in breathing]
    intensities = [value for value in intensities if isinstance(value, int) and not isinstance(value, bool)]
    return {
        "total_completions": sum(row["count"] for row in totals.values()),
        "trend_points": TREND_POINTS,
        WellbeingModule.BREATHING: {
            "count": totals.get(WellbeingModule.BREATHING, {}).get("count", 0),
            "latest": latest(WellbeingModule.BREATHING),
            "average_intensity": round(sum(intensities) / len(intensities), 1) if intensities else None,
            "trend": [
                {
                    "completed_at": entry["completed_at"],
                    "emotion": entry["summary"]["emotion"],
                    "intensity": entry["summary"]["intensity"],
                }
                for entry in breathing
            ],
            "intensities": intensities,
        },
        WellbeingModule.EMOTION_LABELING: {
            "count": totals.get(WellbeingModule.EMOTION_LABELING, {}).get("count", 0),
            "latest": latest(WellbeingModule.EMOTION_LABELING),
            "moods": [
                {
                    "date": entry["summary"]["date"] or entry["completed_at"].date().isoformat(),
                    "mood": entry["summary"]["mood"],
                }
                for entry in by_module[WellbeingModule.EMOTION_LABELING]
            ],
        },
        WellbeingModule.INNER_DOODLING: {
            "count": totals.get(WellbeingModule.INNER_DOODLING, {}).get("count", 0),
            "latest": latest(WellbeingModule.INNER_DOODLING),
            "drawings": totals.get(WellbeingModule.INNER_DOODLING, {}).get("drawings", 0),
        },
        WellbeingModule.QUICK_ASSESSMENT: {
            "count": totals.get(WellbeingModule.QUICK_ASSESSMENT, {}).get("count", 0),
            "latest": latest(WellbeingModule.QUICK_ASSESSMENT),
            "questions": list(wellbeing.ASSESSMENT_QUESTIONS),
            "totals": [
                {"completed_at": entry["completed_at"], **entry["summary"]}
                for entry in by_module[WellbeingModule.QUICK_ASSESSMENT]
            ],
        },
    }


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


def latest_message_flagged(conversation: Conversation) -> bool:
    latest = (
        Message.objects.filter(conversation=conversation, role=MessageRole.USER)
        .order_by("-created_at", "-id")
        .values_list("safety_flag", flat=True)
        .first()
    )
    return bool(latest)


def suggested_modules(conversation: Conversation | None) -> list[str]:
    """Guided modules recommended in this conversation and not completed since the recommendation; none
    while the person's latest message showed risk (the crisis response comes first, not an exercise)."""
    if conversation is None or latest_message_flagged(conversation):
        return []
    suggested = []
    for module_id in WellbeingModule.values:
        entry = conversation.module_status.get(module_id) or {}
        recommended, completed = entry.get("recommended_at"), entry.get("completed_at")
        if recommended and (not completed or datetime.fromisoformat(completed) < datetime.fromisoformat(recommended)):
            suggested.append(module_id)
    return suggested
