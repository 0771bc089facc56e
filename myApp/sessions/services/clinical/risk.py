"""Risk alerts: an urgent draft insight for the client's clinician, and their notification.

Three sources (issue 11):

- a session's transcript: the analysis makes urgent risk insights; its hook passes them to ``notify_urgent``;
- a chat message the chat safety layer flagged, when the person chatting is a platform user linked to a
  ``Client`` (``chat_message_screen``, called by ``services.chat.chat_send``);
- a wellbeing self-check whose written answers the same safety rules read as risk (``self_check_screen``,
  called by ``services.modules.conversation_module_complete``).

A chat or self-check alert belongs to no therapy session: its insight has the client and no session, says what
raised it (``source``, ``source_key``), and is raised once per thing and client (a database constraint), so
sending, retrying or racing the same message cannot make a second alert. Privacy: a linked client's chat is
only screened, never shown; the insight's evidence is the flagged text alone, and the clinician reading it is
recorded in the audit log (``clinical_selectors``' risk evidence, through ``myApp.lib.access``).
"""

from django.db import transaction

from myApp.lib.exceptions import ServiceError
from myApp.sessions.assistant.triage import Risk
from myApp.sessions.clinical.analysis import risk_in
from myApp.sessions.clinical.analysis.insights import RISK_RECOMMENDATIONS, RISK_TITLES, RISK_WEIGHT
from myApp.sessions.models import (
    Client,
    InsightSource,
    InsightStatus,
    InsightType,
    Message,
    ModuleCompletion,
    Priority,
    SessionInsight,
    SessionSentence,
    TherapySession,
    WellbeingModule,
)
from myApp.sessions.services.clinical.notifications import notify_urgent

SOURCE_WORDS = {InsightSource.CHAT: "a chat message", InsightSource.SELF_CHECK: "a wellbeing self-check"}
# A self-check's written answers: the fields people type into (the others are numbers and choices).
SELF_CHECK_TEXT_FIELDS = {WellbeingModule.EMOTION_LABELING: ("note",), WellbeingModule.QUICK_ASSESSMENT: ("note",)}
EVIDENCE_MAX = 5_000
# The analysis's RISK_METHOD ("Risk assessment and safety planning") is longer than the column's 32 characters.
RISK_METHOD = "Risk assessment"


def _kind_words(kind: Risk | None) -> str:
    return f" ({kind.value.replace('_', ' ')})" if kind else ""


@transaction.atomic
def urgent_insight_raise(
    *,
    client: Client,
    evidence: str,
    risk: str = "",
    session: TherapySession | None = None,
    evidence_sentence: SessionSentence | None = None,
    source: str = InsightSource.TRANSCRIPT,
    source_key: str = "",
) -> SessionInsight:
    """An urgent draft risk insight about ``client`` with its evidence, and its clinician notified (in the app
    now, by email after commit). A transcript's needs its ``session``; a chat or self-check alert has none and
    names what raised it in ``source_key`` ("message:12"): raised again, the same insight is returned and no
    second notification is made."""
    if session is not None and session.client_id != client.pk:
        raise ServiceError("Invalid insight.", errors={"session": ["Must be a session of this client."]})
    kind = Risk(risk) if risk in {member.value for member in Risk} else None
    where = "the session's transcript" if session is not None else SOURCE_WORDS.get(source, source)
    fields = {
        "session": session,
        "insight_type": InsightType.RISK,
        "confidence": RISK_WEIGHT,
        "severity": "high",
        "title": RISK_TITLES[kind] if kind else "Possible risk",
        "description": (
            f"The safety rules flagged {where}{_kind_words(kind)}. Automatic screening: it misses indirect "
            "wording and can misread; the clinician's judgement decides."
        ),
        "evidence": evidence[:EVIDENCE_MAX],
        "evidence_sentence": evidence_sentence,
        "recommendations": {"rule": kind.value if kind else "", "actions": list(RISK_RECOMMENDATIONS)},
        "therapeutic_method": RISK_METHOD,
        "intervention_priority": Priority.URGENT,
        "status": InsightStatus.DRAFT,
    }
    if source_key:
        insight, _ = SessionInsight.objects.get_or_create(
            client=client, source=source, source_key=source_key, defaults=fields
        )
    else:
        insight = SessionInsight.objects.create(client=client, source=source, **fields)
    notify_urgent([insight])
    return insight


def linked_clients(user_id: int | None) -> list[Client]:
    """The clients whose platform account is ``user_id`` (one per clinician who took them)."""
    if user_id is None:
        return []
    return list(Client.objects.filter(user_id=user_id).select_related("clinician"))


def chat_message_screen(*, message: Message, user_id: int) -> list[SessionInsight]:
    """``message`` was flagged by the chat safety layer: one alert per clinician of the chatting user, if they
    are a linked client. The message is the whole evidence; nothing else of the conversation is read."""
    if not message.safety_flag:
        return []
    return [
        urgent_insight_raise(
            client=client,
            evidence=message.content,
            risk=message.safety_flag,
            source=InsightSource.CHAT,
            source_key=f"message:{message.pk}",
        )
        for client in linked_clients(user_id)
    ]


def self_check_texts(module_id: str, data: dict) -> list[str]:
    return [
        data[name]
        for name in SELF_CHECK_TEXT_FIELDS.get(module_id, ())
        if isinstance(data.get(name), str) and data[name].strip()
    ]


def self_check_screen(*, completion: ModuleCompletion, user_id: int) -> list[SessionInsight]:
    """A self-check's written answers read by the safety layer's risk rules (``risk_in``, the chat triage):
    the first answer showing risk raises one alert per clinician of ``user_id``, if they are a linked client."""
    for text in self_check_texts(completion.module_id, completion.completion_data or {}):
        risk = risk_in(text)
        if risk is not None:
            return [
                urgent_insight_raise(
                    client=client,
                    evidence=text,
                    risk=risk.value,
                    source=InsightSource.SELF_CHECK,
                    source_key=f"completion:{completion.pk}",
                )
                for client in linked_clients(user_id)
            ]
    return []
