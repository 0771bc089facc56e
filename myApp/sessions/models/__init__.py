"""Chat conversations (seeds 000 and 004); clinical sessions arrive with their issue."""

from myApp.sessions.models.chat import (
    Conversation,
    DeviceType,
    Message,
    MessageRole,
    ModuleCompletion,
    SafetyFlag,
    WellbeingModule,
)

__all__ = ["Conversation", "DeviceType", "Message", "MessageRole", "ModuleCompletion", "SafetyFlag", "WellbeingModule"]
