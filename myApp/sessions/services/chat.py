"""One chat turn, following seed 004's seven steps."""

from dataclasses import dataclass

from django.db import transaction

from myApp.accounts.models import User
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.lib.exceptions import ServiceError
from myApp.quests.daily_rules import DailyQuestType
from myApp.quests.services import daily as daily_quests
from myApp.sessions.assistant import AssistantReply, Turn, get_assistant
from myApp.sessions.assistant.base import HISTORY_TURNS
from myApp.sessions.models import Conversation, Message, MessageRole
from myApp.sessions.selectors import recent_turns, turn_context
from myApp.sessions.services.clinical.risk import chat_message_screen
from myApp.sessions.services.conversations import (
    MAX_MESSAGE_LENGTH,
    conversation_get_or_create_active,
    message_new,
    messages_add,
)
from myApp.sessions.services.modules import conversation_module_recommend


@dataclass
class ChatResult:
    conversation: Conversation
    user_message: Message
    assistant_message: Message
    reply: AssistantReply


def validate_chat_message(message: object) -> str:
    if not isinstance(message, str) or not message.strip():
        raise ServiceError("Empty message.", errors={"message": ["Write a message."]})
    if len(message) > MAX_MESSAGE_LENGTH:
        raise ServiceError(
            "Message too long.", errors={"message": [f"Keep it to {MAX_MESSAGE_LENGTH} characters or fewer."]}
        )
    return message.strip()


def chat_send(
    *,
    user: User,
    message: str,
    language: str = "en",
    ip_address: str | None = None,
    client_reported_ip: str | None = None,
    user_agent: str = "",
) -> ChatResult:
    message = validate_chat_message(message)
    # 1-2: the active session (or a new one) and its last 10 turns (the cache's entry, or one read of the database)
    conversation, _ = conversation_get_or_create_active(
        user=user, ip_address=ip_address, client_reported_ip=client_reported_ip, user_agent=user_agent
    )
    context = turn_context(conversation)
    history = [
        Turn(role=turn["role"], content=turn["content"]) for turn in recent_turns(context["messages"], HISTORY_TURNS)
    ]
    # 3: ask the assistant (outside any transaction: it may wait on the network). Its safety layer answers a
    # message showing risk itself, with the crisis response, and flags it.
    reply = get_assistant().reply(message=message, history=history, language=language)
    # 4-6: persist both messages and the session's counters (one INSERT, one UPDATE; the history cached once)
    with transaction.atomic():
        user_message, assistant_message = messages_add(
            conversation=conversation,
            context=context,
            messages=[
                message_new(
                    conversation=conversation, role=MessageRole.USER, content=message, safety_flag=reply.safety_flag
                ),
                message_new(
                    conversation=conversation,
                    role=MessageRole.ASSISTANT,
                    content=reply.answer,
                    metadata={"route": reply.route, "confidence": reply.confidence, "sources": reply.sources},
                    tokens_used=reply.tokens_used,
                    model_used=reply.model_used,
                ),
            ],
        )
        if reply.recommended_module:
            conversation_module_recommend(conversation=conversation, user=user, module_id=reply.recommended_module)
        track(
            event_type=events.CHAT_MESSAGE,
            user=user,
            data={"length": len(message), "route": reply.route, "session_id": str(conversation.session_id)},
        )
        daily_quests.record(user=user, event_type=DailyQuestType.CHAT_CHECK_IN)
        if reply.safety_flag:
            # What was flagged and where, never the words: the message itself stays in the conversation.
            track(
                event_type=events.CHAT_SAFETY_FLAG,
                user=user,
                data={
                    "flag": reply.safety_flag,
                    "message_id": user_message.pk,
                    "session_id": str(conversation.session_id),
                },
            )
            # A linked client's flagged message alerts their clinician (the message alone is the evidence).
            chat_message_screen(message=user_message, user_id=user.pk)
    # 7: the caller renders the result (``conversation`` holds the new count and activity time)
    return ChatResult(conversation, user_message, assistant_message, reply)
