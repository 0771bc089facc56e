"""Reads for risk alerts: a clinician's notifications, their insight review queue, and evidence in context.

Access, through ``myApp.lib.access``: notifications are their recipient's own rows while they are a clinician
(everyone else 404, staff and a former psychologist too: the admin is staff's surface); insights are the
clinician's own rows (``clinical_selectors``). Evidence of a chat or self-check alert is the linked client's own
words: the clinician reads it through the ``clinician_of_linked_client`` relationship (it holds while the client's
account is linked to them), and each read is written to the audit log. Nothing else of that person's chat is ever
read here.
"""

import re

from django.db.models import Case, F, Q, QuerySet, Value, When

from myApp.accounts.services import psychologist_q
from myApp.lib import access
from myApp.sessions.clinical_selectors import PRIORITY_RANK, insights_of, is_clinician
from myApp.sessions.models import (
    Client,
    ClinicianNotification,
    InsightSource,
    InsightStatus,
    Priority,
    SessionInsight,
    SessionSentence,
)

CLINICIAN_OF_LINKED_CLIENT = "clinician_of_linked_client"
CONTEXT_SENTENCES = 2  # sentences shown before and after an evidence sentence
_EVIDENCE_NUMBER = re.compile(r"^#(\d+):", re.MULTILINE)


# --- The relationship ---------------------------------------------------------------------------------------


# The relationship holds while the client is in treatment with the viewer: not discharged (a discharge ends what
# the link shares: attack review) and with an active account (as a parent's holds only for an active child).
IN_TREATMENT = Q(discharged_at__isnull=True, user__is_active=True)


def linked_client_holds(*, viewer, subject_id: int) -> bool:
    return is_clinician(viewer) and Client.objects.filter(IN_TREATMENT, clinician=viewer, user_id=subject_id).exists()


def linked_client_holding(*, viewer, subject_ids: list[int]) -> set[int]:
    if not is_clinician(viewer):
        return set()
    return set(
        Client.objects.filter(IN_TREATMENT, clinician=viewer, user_id__in=subject_ids)
        .values_list("user_id", flat=True)
        .distinct()
    )


def register() -> None:
    access.register_relationship(
        CLINICIAN_OF_LINKED_CLIENT,
        # The learner report: the client agreed to the link (staff make it in the admin), and their clinician
        # reads their progress and wellbeing trends with the same consent, each read audited.
        grants={access.RISK_ALERT_EVIDENCE, access.LEARNER_REPORT},
        holds=linked_client_holds,
        holds_many=linked_client_holding,
    )


def clinicians_told_of_risk(*, user) -> list[str]:
    """The names of the clinicians ``user``'s risk alerts go to (chat messages and self-checks the safety layer
    reads as risk, ``services.clinical.risk``): the active psychologists who took ``user`` as a linked client. The
    chat and self-check pages tell the person so before they write."""
    if user is None or not user.is_authenticated:
        return []
    rows = (
        Client.objects.filter(psychologist_q("clinician__"), user=user)
        .order_by("clinician__last_name", "clinician__first_name", "clinician__username")
        .values_list("clinician__first_name", "clinician__last_name", "clinician__username")
        .distinct()
    )
    return [" ".join(part for part in (first, last) if part) or username for first, last, username in rows]


# --- Notifications ------------------------------------------------------------------------------------------


# A notification waits for its clinician while it is unread and its insight undecided: deciding the insight (from
# the queue, the session or the insight's page) handles the alert, read or not. Derived, so nothing is written.
# Only the clinician whose caseload the client is on can decide it: once the client is handed over, the alert no
# longer waits for the clinician who gave them up (the new one has their own, ``notify_handed_over``).
WAITING = Q(read_at__isnull=True, insight__status=InsightStatus.DRAFT, insight__client__clinician=F("recipient"))
WAITING_FLAG = Case(When(WAITING, then=Value(True)), default=Value(False))


def notifications_of(*, user) -> QuerySet[ClinicianNotification]:
    """``user``'s notifications, waiting ones first (``WAITING``; annotated ``waiting``), newest first within each;
    none once they are no longer a clinician (an urgent insight's title and client are clinical records)."""
    if not is_clinician(user):
        return ClinicianNotification.objects.none()
    return (
        access.owned_by(ClinicianNotification.objects.all(), user=user, owner_fields=("recipient",))
        .select_related("insight__client")
        .annotate(waiting=WAITING_FLAG)
        .order_by("-waiting", "-created_at", "-id")
    )


def notification_for(*, viewer, notification_id: int, where: str = "") -> ClinicianNotification:
    return access.row_visible_to(
        ClinicianNotification.objects.select_related("insight").annotate(waiting=WAITING_FLAG),
        viewer=viewer,
        pk=notification_id,
        owner_field="recipient",
        what=access.CLINICAL_RECORDS,
        where=where,
        owner_may_see=is_clinician(viewer),
    )


def unread_count(*, user) -> int:
    """How many of ``user``'s notifications wait for them (``WAITING``): one COUNT, clinicians only (anyone else
    has none, without a query)."""
    if not is_clinician(user):
        return 0
    return ClinicianNotification.objects.filter(WAITING, recipient=user).count()


# --- The review queue and evidence in context -----------------------------------------------------------------


def urgent_insights_seen_by_no_clinician() -> QuerySet[SessionInsight]:
    """Undecided urgent insights whose client's clinician is not an active psychologist (deactivated, or their
    role changed): nobody is notified and no queue shows them until the caseload is handed over in the admin.
    Derived each time, so it empties the moment the caseload is handed over."""
    return SessionInsight.objects.filter(intervention_priority=Priority.URGENT, status=InsightStatus.DRAFT).exclude(
        psychologist_q("client__clinician__")
    )


def review_queue(*, clinician) -> QuerySet[SessionInsight]:
    """The clinician's draft insights, urgent first, newest first within a priority."""
    return (
        insights_of(clinician=clinician)
        .filter(status=InsightStatus.DRAFT)
        .annotate(priority_rank=PRIORITY_RANK)
        .order_by("priority_rank", "-created_at", "-id")
    )


def evidence_numbers(insight: SessionInsight) -> list[int]:
    """The sequence numbers of a transcript insight's evidence sentences: every ``#N:`` line of its evidence, and
    its evidence sentence (the analysis links the first only; an insight seen in two sentences names both)."""
    numbers = {int(number) for number in _EVIDENCE_NUMBER.findall(insight.evidence or "")}
    if insight.evidence_sentence_id is not None:
        numbers.add(insight.evidence_sentence.sequence_number)
    return sorted(numbers)


def with_evidence_context(insights: list[SessionInsight], *, viewer, where: str = "") -> list[SessionInsight]:
    """Sets ``context`` on each insight: for a transcript's, the sentences around each evidence sentence (one
    query for them all); for a chat or self-check alert, ``evidence_visible`` (one query, one audit insert for the
    page), else its evidence is withheld (the client's account is no longer linked to the viewer)."""
    # Context only while the evidence sentence is there: an urgent insight kept through a transcript replacement
    # names sentence numbers of the transcript it came from, which would mark other sentences now.
    windows = {
        insight.pk: [(number - CONTEXT_SENTENCES, number + CONTEXT_SENTENCES) for number in evidence_numbers(insight)]
        for insight in insights
        if insight.session_id is not None and insight.evidence_sentence_id is not None
    }
    wanted = Q()
    for insight in insights:
        for low, high in windows.get(insight.pk, []):
            wanted |= Q(session_id=insight.session_id, sequence_number__range=(low, high))
    sentences = (
        list(SessionSentence.objects.filter(wanted).only("session_id", "sequence_number", "speaker", "text"))
        if wanted
        else []
    )
    subjects = sorted(
        {
            insight.client.user_id
            for insight in insights
            if insight.source != InsightSource.TRANSCRIPT and insight.client.user_id
        }
    )
    granted = (
        access.subjects_visible_to(viewer=viewer, subject_ids=subjects, what=access.RISK_ALERT_EVIDENCE, where=where)
        if subjects
        else []
    )
    visible = {look.subject.pk for look in granted}
    for insight in insights:
        numbers = set(evidence_numbers(insight)) if insight.session_id else set()
        insight.context = [
            {"sentence": sentence, "is_evidence": sentence.sequence_number in numbers}
            for sentence in sentences
            if sentence.session_id == insight.session_id
            and any(low <= sentence.sequence_number <= high for low, high in windows.get(insight.pk, []))
        ]
        insight.evidence_visible = insight.source == InsightSource.TRANSCRIPT or insight.client.user_id in visible
    return insights
