"""Writes for clinical sessions (seed 003): clients, therapy sessions, transcripts, insights.

Who is a clinician: an active psychologist (``clinical_selectors.is_clinician``); every write here is the
client's clinician's alone (``require_clinician_of``).
"""

from myApp.sessions.services.clinical.analysis import (
    AnalysisOutcome,
    analysis_enqueue_on_commit,
    analysis_request,
    insights_created,
    therapy_session_analyse,
)
from myApp.sessions.services.clinical.clients import (
    client_create,
    client_create_once,
    client_staff_update,
    client_update,
    is_clinician_of,
    may_decide,
    may_decide_insight,
    require_clinician_of,
    require_may_take_clients,
    session_next_statuses,
    status_change_record,
    therapy_session_create,
    therapy_session_create_once,
    therapy_session_status_set,
)
from myApp.sessions.services.clinical.insights import (
    NOTE_MAX,
    insight_approve,
    insight_create,
    insight_decide,
    insight_reject,
)
from myApp.sessions.services.clinical.transcripts import APPEND, MODES, REPLACE, TranscriptSaved, transcript_save

__all__ = [
    "APPEND",
    "MODES",
    "NOTE_MAX",
    "REPLACE",
    "AnalysisOutcome",
    "TranscriptSaved",
    "analysis_enqueue_on_commit",
    "analysis_request",
    "client_create",
    "client_create_once",
    "client_staff_update",
    "client_update",
    "insight_approve",
    "insight_create",
    "insight_decide",
    "insight_reject",
    "insights_created",
    "is_clinician_of",
    "may_decide",
    "may_decide_insight",
    "require_clinician_of",
    "require_may_take_clients",
    "session_next_statuses",
    "status_change_record",
    "therapy_session_analyse",
    "therapy_session_create",
    "therapy_session_create_once",
    "therapy_session_status_set",
    "transcript_save",
]
