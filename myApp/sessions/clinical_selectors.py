"""Reads for clinical sessions (seed 003's managers): who sees which client, sessions, transcripts, searches.

The access rule, through ``myApp.lib.access``: a clinician (an active psychologist) sees their own clients and
everything under them (own rows: ``Client.clinician``); staff may read one client's records by id as a staff
operation, recorded in the audit log as a look at the client's platform account when they have one, else at
the clinician's caseload; everyone else, the client's own account included, gets 404. Writes are the
clinician's alone (``for_write``: staff get 404 there too; they act in the admin).
"""

from django.db import connection
from django.db.models import BooleanField, Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Lower

from myApp.accounts.services import is_psychologist
from myApp.lib import access
from myApp.sessions.clinical.scales import client_speakers
from myApp.sessions.clinical.terms import keyword_document, normal_term
from myApp.sessions.models import (
    Client,
    InsightDecision,
    InsightStatus,
    Priority,
    SessionInsight,
    SessionSentence,
    TherapySession,
)


def is_clinician(user) -> bool:
    """A clinician is an active psychologist (``accounts.services.is_psychologist``, the rule that also decides
    who reviews quests)."""
    return is_psychologist(user)


def _subject(client: Client):
    """Whose data a look at ``client``'s records is, for the audit log."""
    return client.user if client.user_id else client.clinician


# --- Visible rows -----------------------------------------------------------------------------------------------


def clients() -> QuerySet[Client]:
    return Client.objects.select_related("clinician", "user")


def clients_of(*, clinician) -> QuerySet[Client]:
    """The clinician's caseload (nobody else's list holds anything: staff name a client by id)."""
    if not is_clinician(clinician):
        return Client.objects.none()
    return access.owned_by(clients(), user=clinician, owner_fields=("clinician",))


def client_for(*, viewer, client_id: int, where: str = "", for_write: bool = False) -> Client:
    return access.row_visible_to(
        clients(),
        viewer=viewer,
        pk=client_id,
        owner_field="clinician",
        what=access.CLINICAL_RECORDS,
        where=where,
        owner_may_see=is_clinician(viewer),
        staff_operations=not for_write,
        subject_of=_subject,
    )


def therapy_sessions() -> QuerySet[TherapySession]:
    return TherapySession.objects.select_related("client__clinician", "client__user")


def therapy_sessions_of(*, clinician) -> QuerySet[TherapySession]:
    if not is_clinician(clinician):
        return TherapySession.objects.none()
    return access.owned_by(therapy_sessions(), user=clinician, owner_fields=("client__clinician",))


def therapy_session_for(*, viewer, session_id: int, where: str = "", for_write: bool = False) -> TherapySession:
    return access.row_visible_to(
        therapy_sessions(),
        viewer=viewer,
        pk=session_id,
        owner_field="client__clinician",
        what=access.CLINICAL_RECORDS,
        where=where,
        owner_may_see=is_clinician(viewer),
        staff_operations=not for_write,
        subject_of=lambda session: _subject(session.client),
    )


def insights() -> QuerySet[SessionInsight]:
    return SessionInsight.objects.select_related("client", "session", "reviewed_by", "evidence_sentence")


def _rank(field: str, values: list[str]) -> Case:
    """``field``'s place in ``values`` (0 first), for ordering by meaning rather than by the stored text."""
    return Case(
        *(When(**{field: value}, then=Value(rank)) for rank, value in enumerate(values)),
        default=Value(len(values)),
        output_field=IntegerField(),
    )


# Urgent first (the stored texts sort "high" after "low").
PRIORITY_RANK = _rank("intervention_priority", list(reversed(Priority.values)))
# Drafts (awaiting the clinician's decision) first, then approved, then rejected.
STATUS_RANK = _rank("status", [InsightStatus.DRAFT, InsightStatus.APPROVED, InsightStatus.REJECTED])


def session_insights(session: TherapySession) -> QuerySet[SessionInsight]:
    """A session's insights as its page lists them: drafts first (awaiting a decision), the most urgent first."""
    return (
        insights()
        .filter(session=session)
        .annotate(status_rank=STATUS_RANK, priority_rank=PRIORITY_RANK)
        .order_by("status_rank", "priority_rank", "id")
    )


def insights_of(*, clinician) -> QuerySet[SessionInsight]:
    if not is_clinician(clinician):
        return SessionInsight.objects.none()
    return access.owned_by(insights(), user=clinician, owner_fields=("client__clinician",))


def insight_for(*, viewer, insight_id: int, where: str = "", for_write: bool = False) -> SessionInsight:
    return access.row_visible_to(
        SessionInsight.objects.select_related(
            "client__clinician", "client__user", "session", "reviewed_by", "evidence_sentence"
        ),
        viewer=viewer,
        pk=insight_id,
        owner_field="client__clinician",
        what=access.CLINICAL_RECORDS,
        where=where,
        owner_may_see=is_clinician(viewer),
        staff_operations=not for_write,
        subject_of=lambda insight: _subject(insight.client),
    )


def insight_decisions(insight: SessionInsight) -> list[InsightDecision]:
    """The decisions made on an insight (read through ``insight_for``), in the order they took effect, with who
    made them. By id, not ``decided_at``: a decision's row is added under the insight's row lock (``insight_decide``),
    so the ids follow the order the decisions took effect, while ``decided_at`` is each server's clock read before
    that lock (two servers' clocks a second apart listed an approval after the rejection that replaced it)."""
    return list(InsightDecision.objects.filter(insight=insight).select_related("decided_by").order_by("id"))


# --- Seed 003's queries ------------------------------------------------------------------------------------------


def client_sessions(client: Client) -> QuerySet[TherapySession]:
    """SessionManager.get_client_sessions: a client's sessions, newest first."""
    return TherapySession.objects.filter(client=client).order_by("-date", "-id")


def clients_with_last_session(*, clinician) -> QuerySet[Client]:
    """The caseload, each client annotated with its most recent session's date and id and how many urgent
    insights wait for the clinician's decision (``open_urgent``: drafts, as the review queue holds them); one
    query."""
    latest = TherapySession.objects.filter(client=OuterRef("pk")).order_by("-date", "-id")
    urgent = (
        SessionInsight.objects.filter(
            client=OuterRef("pk"), status=InsightStatus.DRAFT, intervention_priority=Priority.URGENT
        )
        .order_by()
        .values("client")
        .annotate(count=Count("id"))
        .values("count")
    )
    return (
        clients_of(clinician=clinician)
        .annotate(
            last_session_date=Subquery(latest.values("date")[:1]),
            last_session_id=Subquery(latest.values("id")[:1]),
            session_count=Count("sessions", distinct=True),
            open_urgent=Coalesce(Subquery(urgent, output_field=IntegerField()), Value(0)),
        )
        .order_by("display_name", "id")  # Meta.ordering does not survive an aggregate
    )


def session_transcript(session: TherapySession) -> QuerySet[SessionSentence]:
    """TranscriptManager.get_session_transcript: the sentences in order (start, then place)."""
    return SessionSentence.objects.filter(session=session).order_by("start_ms", "sequence_number")


def client_sentence_count(session: TherapySession) -> int:
    """How many of the session's sentences the analysis reads as the client's speech (``scales.client_speakers``:
    "client", "patient" or the client's name as written). Only those are read for distortions and the trends (the
    risk screen reads every line not labelled as the clinician's), so where this is 0 the page says so."""
    labels = sorted(client_speakers(session.client.display_name, session.client.former_names))
    return (
        SessionSentence.objects.annotate(speaker_label=Lower("speaker"))
        .filter(session=session, speaker_label__in=labels)
        .count()
    )


def _has_keyword(term: str) -> Q | RawSQL:
    """Sentences whose keywords hold ``term``: JSONB containment ``keywords @> '{"term": [term]}'`` on
    PostgreSQL (the GIN index ``idx_keywords`` answers it); elsewhere the same test through ``json_each``."""
    if connection.vendor == "postgresql":
        return Q(keywords__contains=keyword_document(term))
    sql = "EXISTS (SELECT 1 FROM json_each(keywords, '$.term') WHERE json_each.value = %s)"
    return RawSQL(sql, [normal_term(term)], output_field=BooleanField())


def keyword_sentences(*, client: Client, term: str) -> QuerySet[SessionSentence]:
    """AnalyticsManager.search_keywords: a client's sentences whose keywords hold ``term``, newest session
    first, in transcript order within a session; with their session (no query per row)."""
    if not normal_term(term):
        return SessionSentence.objects.none()
    return (
        SessionSentence.objects.filter(session__client=client)
        .filter(_has_keyword(term))
        .select_related("session")
        .order_by("-session__date", "session_id", "sequence_number")
    )


def namesakes_of(client: Client) -> int:
    """How many other clients on ``client``'s clinician's caseload have the same name (any case): two people may
    share one, and the clinician is told so when adding the second, so they can tell them apart."""
    return (
        Client.objects.filter(clinician_id=client.clinician_id, display_name__iexact=client.display_name)
        .exclude(pk=client.pk)
        .count()
    )
