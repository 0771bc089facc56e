"""Clinical sessions (seed 003): clients, therapy sessions, transcript sentences, insights, client profiles.

Who is a clinician: there is no clinician role. A *psychologist* (``accounts.Role.PSYCHOLOGIST``, active) is
the clinician: they take clients (``Client.clinician``) and see their own caseload only. Staff see a client's
records as a recorded staff operation; everyone else, the client's own platform account included, gets 404
(``myApp.sessions.clinical_selectors``, through ``myApp.lib.access``).

Seed 003's names, fields and indexes are kept; its careless parts are fixed: ids are the project's bigint ids
(its UUIDs would be the only ones in the project), timestamps are datetimes, statuses are choices checked by the
database, times and confidences are bounded by constraints, a sentence's place in its session is unique, a
client has one profile, and an insight has a clinician's review status (draft until approved).

PostgreSQL-only indexes (GIN on ``SessionSentence.keywords``, on ``search_vector`` and on
``ClientProfile.needs_assessment``) are made by migration ``0008_clinical_sessions`` on PostgreSQL alone, as the
curriculum's search indexes are.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q

from myApp.curriculum.search import StoredSearchVector
from myApp.lib.json_input import JSONDocumentValidator
from myApp.lib.models import TimeStampedModel
from myApp.lib.timestamps import session_clock

SENTENCE_TEXT_MAX = 5_000
SPEAKER_MAX = 64
JSON_DOC_BYTES = 64 * 1024


def _json_doc(kind: type = dict) -> list[JSONDocumentValidator]:
    return [JSONDocumentValidator(max_bytes=JSON_DOC_BYTES, kind=kind)]


class SessionType(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    GROUP = "group", "Group"
    FAMILY = "family", "Family"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class ProcessingStatus(models.TextChoices):
    """``transcript_status`` and ``analysis_status``."""

    PENDING = "pending", "Pending"
    PROCESSING = "processing", "Processing"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


class InsightType(models.TextChoices):
    COGNITIVE_DISTORTION = "cognitive_distortion", "Cognitive distortion"
    SCHEMA = "schema", "Schema"
    PROGRESS = "progress", "Progress"
    RISK = "risk", "Risk"
    THEME = "theme", "Theme"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class Severity(models.TextChoices):
    NONE = "", "Not rated"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class InsightSource(models.TextChoices):
    """Where an insight came from: a session's transcript, or (risk alerts only) a linked client's flagged chat
    message or wellbeing self-check, which belong to no therapy session."""

    TRANSCRIPT = "transcript", "Session transcript"
    CHAT = "chat", "Chat message"
    SELF_CHECK = "self_check", "Wellbeing self-check"


class InsightStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Client(TimeStampedModel):
    """A clinician's client; optionally the platform account of that same person (``user``)."""

    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,  # a caseload is handed over in the admin, never dropped with an account
        related_name="clinical_clients",
        help_text="The psychologist whose client this is; only they (and staff, recorded) see the records.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="client_records",
        help_text="The client's own platform account, if they have one (never gives them access to the records).",
    )
    display_name = models.CharField(max_length=120, help_text="How the clinician names the client.")
    former_names = models.JSONField(
        default=list,
        blank=True,
        help_text="The client's names before renames, oldest first (at most 10): a transcript that labels lines "
        "with one of them is still read as the client's speech.",
    )
    # Demographics
    age = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(130)])
    gender = models.CharField(max_length=64, blank=True)
    demographics = models.JSONField(default=dict, blank=True, validators=_json_doc())
    # Clinical information
    clinical_notes = models.TextField(blank=True, max_length=20_000)
    risk_factors = models.JSONField(default=dict, blank=True, validators=_json_doc())
    treatment_history = models.JSONField(default=dict, blank=True, validators=_json_doc())
    # The new-client form's key (``client_create_once``): the same form sent twice (a double click, a resend
    # after a slow answer) adds the client once.
    creation_key = models.UUIDField(null=True, blank=True, editable=False)
    # Set when the clinician discharges the client (empty: an open client). Only a discharged client's sessions
    # are ever deleted by retention, after their clinician's ``ClinicalRetentionPolicy`` (services.clinical.retention).
    discharged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["display_name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(age__lte=130), name="clinical_client_age_lte_130"),
            models.UniqueConstraint(
                fields=["clinician", "creation_key"],
                condition=Q(creation_key__isnull=False),
                name="clinical_client_created_once",
            ),
            models.UniqueConstraint(
                fields=["clinician", "user"], condition=Q(user__isnull=False), name="clinical_client_user_once"
            ),
        ]
        indexes = [models.Index(fields=["clinician", "display_name"], name="clinical_client_caseload")]

    def __str__(self) -> str:
        return self.display_name


class TherapySession(TimeStampedModel):
    """Seed 003's ``Session``: one meeting with a client, its transcript and its analysis."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    session_type = models.CharField(max_length=16, choices=SessionType.choices, default=SessionType.INDIVIDUAL)
    status = models.CharField(max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    audio_file_path = models.CharField(max_length=500, blank=True)
    transcript_status = models.CharField(
        max_length=16, choices=ProcessingStatus.choices, default=ProcessingStatus.PENDING
    )
    analysis_status = models.CharField(
        max_length=16, choices=ProcessingStatus.choices, default=ProcessingStatus.PENDING
    )
    analysis_error = models.CharField(max_length=500, blank=True, help_text="Why the last analysis failed.")
    # The new-session form's key (``therapy_session_create_once``; the API takes one too): sent twice, one session.
    creation_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "creation_key"],
                condition=Q(creation_key__isnull=False),
                name="clinical_session_created_once",
            ),
            models.CheckConstraint(
                condition=Q(session_type__in=SessionType.values), name="clinical_session_type_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=SessionStatus.values), name="clinical_session_status_valid"),
            models.CheckConstraint(
                condition=Q(transcript_status__in=ProcessingStatus.values), name="clinical_session_transcript_valid"
            ),
            models.CheckConstraint(
                condition=Q(analysis_status__in=ProcessingStatus.values), name="clinical_session_analysis_valid"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0, duration_minutes__lte=24 * 60) | Q(duration_minutes__isnull=True),
                name="clinical_session_duration_range",
            ),
        ]
        indexes = [models.Index(fields=["client", "-date"], name="clinical_session_client_date")]

    def __str__(self) -> str:
        return f"{self.client} · {self.date:%Y-%m-%d %H:%M}"


class StatusField(models.TextChoices):
    TRANSCRIPT = "transcript_status", "Transcript"
    ANALYSIS = "analysis_status", "Analysis"
    STATUS = "status", "Session"


class SessionStatusChange(models.Model):
    """Append-only record of a session's status transitions (transcript, analysis, the session's own)."""

    session = models.ForeignKey(TherapySession, on_delete=models.CASCADE, related_name="status_changes")
    field = models.CharField(max_length=32, choices=StatusField.choices)
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(field__in=StatusField.values), name="clinical_status_change_field"),
        ]
        indexes = [models.Index(fields=["session", "created_at"], name="clinical_status_change_session")]

    def __str__(self) -> str:
        return f"{self.session_id} {self.field}: {self.from_status} → {self.to_status}"


class SentenceManager(models.Manager):
    """Leaves the stored search vector out of ordinary reads; only the full-text search reads it."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().defer("search_vector")


class SessionSentence(models.Model):
    """One transcribed segment, in its session's order (``sequence_number``, from 0).

        ``keywords`` is the analysis' document ``{"term": [terms...], "score": {term: score}}`` (terms lower case), so
        seed 003's containment ``keywords @> '{"term": [...]}'`` finds a term through the GIN index (on PostgreSQL,
    ``idx_keywords`` on ``(session_id, keywords)``, so one client's sessions are looked up in it: migration 0012).
        ``search_vector`` is the text's ``tsvector``, generated by PostgreSQL on every write (NULL elsewhere).
    """

    session = models.ForeignKey(TherapySession, on_delete=models.CASCADE, related_name="sentences", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Temporal data
    start_ms = models.PositiveIntegerField()
    end_ms = models.PositiveIntegerField()
    sequence_number = models.PositiveIntegerField()
    # Content
    text = models.TextField(max_length=SENTENCE_TEXT_MAX)
    speaker = models.CharField(max_length=SPEAKER_MAX, default="unknown")
    confidence = models.FloatField(null=True, blank=True)
    # Analysis results
    keywords = models.JSONField(null=True, blank=True)
    sentiment = models.FloatField(null=True, blank=True)
    emotion_scores = models.JSONField(null=True, blank=True)
    search_vector = models.GeneratedField(
        expression=StoredSearchVector(("text", "")),
        output_field=SearchVectorField(),
        db_persist=True,
        null=True,
    )

    objects = SentenceManager()

    class Meta:
        ordering = ["session_id", "sequence_number"]  # by id: "session" would join sessions for their own order
        constraints = [
            models.UniqueConstraint(fields=["session", "sequence_number"], name="clinical_sentence_sequence_unique"),
            models.CheckConstraint(condition=Q(end_ms__gte=F("start_ms")), name="clinical_sentence_end_after_start"),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__gte=0, confidence__lte=1),
                name="clinical_sentence_confidence_range",
            ),
            models.CheckConstraint(
                condition=Q(sentiment__isnull=True) | Q(sentiment__gte=-1, sentiment__lte=1),
                name="clinical_sentence_sentiment_range",
            ),
        ]
        indexes = [models.Index(fields=["session", "start_ms"], name="idx_session_time")]

    def __str__(self) -> str:
        # Read in the admin (an insight's evidence sentence): "1#4 client: If I mess up the first slide it will be"
        # was a code and a sentence cut mid-word (new-user review).
        text = self.text if len(self.text) <= 60 else self.text[:61].rsplit(" ", 1)[0] + "…"
        return f"Session {self.session_id}, sentence #{self.sequence_number}, {self.speaker}: {text}"

    @property
    def start_clock(self) -> str:
        """Where the sentence starts, as minutes:seconds (hours too past the first)."""
        return session_clock(self.start_ms)


class SessionInsight(models.Model):
    """A finding about a session (rules of the analysis, or a clinician's). Always created as a draft; only
    the client's clinician approves or rejects it, and only approved insights count in summaries."""

    session = models.ForeignKey(
        TherapySession, on_delete=models.CASCADE, related_name="insights", db_index=False, null=True, blank=True
    )
    # Whose insight it is (the session's client for a transcript's; the linked client for a chat or self-check
    # alert, which has no session): ownership and access go through ``client__clinician``.
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="insights")
    source = models.CharField(max_length=16, choices=InsightSource.choices, default=InsightSource.TRANSCRIPT)
    # What raised an alert outside a session ("message:12", "completion:3"): one alert per thing, however often
    # it is raised (unique with ``source``); blank for a transcript's insights.
    source_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Insight metadata
    insight_type = models.CharField(max_length=32, choices=InsightType.choices)
    confidence = models.FloatField()
    severity = models.CharField(max_length=16, choices=Severity.choices, default=Severity.NONE, blank=True)
    # Insight data
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5_000)
    evidence = models.TextField(blank=True, max_length=SENTENCE_TEXT_MAX)
    evidence_sentence = models.ForeignKey(
        SessionSentence, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recommendations = models.JSONField(default=dict, blank=True, validators=_json_doc())
    # Therapeutic context
    therapeutic_method = models.CharField(
        max_length=120, help_text="CBT, Schema, DBT, ... (the analysis names the technique too)"
    )
    intervention_priority = models.CharField(max_length=16, choices=Priority.choices, default=Priority.MEDIUM)
    # The clinician's review
    status = models.CharField(max_length=16, choices=InsightStatus.choices, default=InsightStatus.DRAFT)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(
        max_length=1000, blank=True, help_text="The clinician's reason, required to reject an urgent insight."
    )

    class Meta:
        ordering = ["session_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(insight_type__in=InsightType.values), name="clinical_insight_type"),
            models.CheckConstraint(
                condition=Q(confidence__gte=0, confidence__lte=1), name="clinical_insight_confidence_range"
            ),
            models.CheckConstraint(condition=Q(severity__in=Severity.values), name="clinical_insight_severity"),
            models.CheckConstraint(
                condition=Q(intervention_priority__in=Priority.values), name="clinical_insight_priority"
            ),
            models.CheckConstraint(condition=Q(status__in=InsightStatus.values), name="clinical_insight_status"),
            models.CheckConstraint(condition=Q(source__in=InsightSource.values), name="clinical_insight_source"),
            # A transcript's insight has its session; an alert from chat or a self-check has none, and says what
            # raised it.
            models.CheckConstraint(
                condition=Q(source=InsightSource.TRANSCRIPT, session__isnull=False)
                | (~Q(source=InsightSource.TRANSCRIPT) & Q(session__isnull=True) & ~Q(source_key="")),
                name="clinical_insight_source_shape",
            ),
            models.UniqueConstraint(
                fields=["client", "source", "source_key"],
                condition=~Q(source_key=""),
                name="clinical_insight_source_once",
            ),
            # A decided insight says when it was decided; a draft has not been.
            models.CheckConstraint(
                condition=Q(status=InsightStatus.DRAFT, reviewed_at__isnull=True)
                | (~Q(status=InsightStatus.DRAFT) & Q(reviewed_at__isnull=False)),
                name="clinical_insight_reviewed_when_decided",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "insight_type"], name="idx_session_insight"),
            models.Index(fields=["therapeutic_method"], name="idx_therapeutic_method"),
            models.Index(fields=["session", "status"], name="clinical_insight_status_idx"),
            models.Index(fields=["client", "status", "intervention_priority"], name="clinical_insight_client_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"


class InsightDecision(models.Model):
    """Each decision a clinician made on an insight, in order: deciding again (a rejected alert approved later)
    keeps the earlier decision and its reason here, while the insight holds the current one."""

    insight = models.ForeignKey(SessionInsight, on_delete=models.CASCADE, related_name="decisions")
    status = models.CharField(max_length=16, choices=InsightStatus.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField()
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["insight_id", "decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[InsightStatus.APPROVED, InsightStatus.REJECTED]),
                name="clinical_insight_decision_status",
            ),
        ]

    def __str__(self) -> str:
        return f"Insight {self.insight_id} {self.get_status_display().lower()} on {self.decided_at:%Y-%m-%d %H:%M}"


class ClientProfile(TimeStampedModel):
    """A client's assessment and planning documents (one per client)."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="profile")
    # Profile data
    needs_assessment = models.JSONField(default=dict, blank=True, validators=_json_doc())
    trajectory_analysis = models.JSONField(default=dict, blank=True, validators=_json_doc())
    progress_metrics = models.JSONField(default=dict, blank=True, validators=_json_doc())
    # Risk assessment
    risk_factors = models.JSONField(default=dict, blank=True, validators=_json_doc())
    protective_factors = models.JSONField(default=dict, blank=True, validators=_json_doc())
    # Treatment planning
    treatment_goals = models.JSONField(default=dict, blank=True, validators=_json_doc())
    intervention_history = models.JSONField(default=dict, blank=True, validators=_json_doc())

    class Meta:
        ordering = ["client_id"]

    def __str__(self) -> str:
        return f"Profile of {self.client}"
