"""Chat and wellbeing pages, one module per feature; ``urls.py`` imports them from here."""

from myApp.sessions.views.chat import (
    conversation,
    conversation_detail,
    conversation_end,
    conversation_history,
    conversation_new,
)
from myApp.sessions.views.modules import module_page
from myApp.sessions.views.report import completion_detail, report

__all__ = [
    "completion_detail",
    "conversation",
    "conversation_detail",
    "conversation_end",
    "conversation_history",
    "conversation_new",
    "module_page",
    "report",
]
