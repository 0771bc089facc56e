"""Writes for chat: conversations, messages, guided modules, the assistant turn, retention."""

from myApp.sessions.services.chat import ChatResult, chat_send
from myApp.sessions.services.conversations import (
    conversation_create,
    conversation_end,
    conversation_get_or_create_active,
    message_add,
)
from myApp.sessions.services.modules import (
    conversation_module_complete,
    conversation_module_recommend,
    validate_module_id,
)
from myApp.sessions.services.retention import RetentionReport, conversations_apply_retention, conversations_delete

__all__ = [
    "ChatResult",
    "RetentionReport",
    "chat_send",
    "conversation_create",
    "conversation_end",
    "conversation_get_or_create_active",
    "conversation_module_complete",
    "conversation_module_recommend",
    "conversations_apply_retention",
    "conversations_delete",
    "message_add",
    "validate_module_id",
]
