"""Chat conversations (seeds 000 and 004) and clinical sessions (seed 003), each in its own module."""

from myApp.sessions.models.chat import (
    Conversation,
    DeviceType,
    Message,
    MessageRole,
    ModuleCompletion,
    SafetyFlag,
    WellbeingModule,
)
from myApp.sessions.models.clinical import (
    Client,
    ClientProfile,
    InsightDecision,
    InsightSource,
    InsightStatus,
    InsightType,
    Priority,
    ProcessingStatus,
    SessionInsight,
    SessionSentence,
    SessionStatus,
    SessionStatusChange,
    SessionType,
    Severity,
    StatusField,
    TherapySession,
)
from myApp.sessions.models.clinical_retention import ClinicalRetentionPolicy
from myApp.sessions.models.notifications import ClinicianNotification

__all__ = [
    "Client",
    "ClientProfile",
    "ClinicalRetentionPolicy",
    "ClinicianNotification",
    "Conversation",
    "DeviceType",
    "InsightDecision",
    "InsightSource",
    "InsightStatus",
    "InsightType",
    "Message",
    "MessageRole",
    "ModuleCompletion",
    "Priority",
    "ProcessingStatus",
    "SafetyFlag",
    "SessionInsight",
    "SessionSentence",
    "SessionStatus",
    "SessionStatusChange",
    "SessionType",
    "Severity",
    "StatusField",
    "TherapySession",
    "WellbeingModule",
]
