"""Speech practice: a learner's recorded talk, its measures, and a teacher's review of a milestone attempt.

The recording is kept as 16 kHz mono WAV (converted by ffmpeg from what the browser or phone sent) in the
``recordings`` storage, which no URL serves: it is played through a view that checks who may listen
(``myApp.curriculum.speech_selectors``). What the audio alone tells (speaking time, pauses, pitch variety,
loudness) is measured once by a background task and stored, since it needs the audio; what the transcript tells
(pace, filler words, repeats, hedges) is derived from the transcript and those measures whenever it is shown, so
adding or correcting a transcript never leaves stale figures.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now


def _recordings_storage():
    from django.core.files.storage import storages

    return storages["recordings"]


def recording_upload_to(instance: "SpeechRecording", filename: str) -> str:
    return f"{instance.user_id}/{filename}"


class RecordingPurpose(models.TextChoices):
    MILESTONE = "milestone", "Milestone"
    AMPHITHEATRE = "amphitheatre", "Amphitheatre exercise"


class AnalysisStatus(models.TextChoices):
    """Where the background analysis is: a worker's claim cannot be derived, so it is stored."""

    PENDING = "pending", "Waiting to be analysed"
    PROCESSING = "processing", "Being analysed"
    COMPLETED = "completed", "Analysed"
    FAILED = "failed", "Could not be analysed"


class TranscriptSource(models.TextChoices):
    NONE = "", "No transcript"
    LEARNER = "learner", "Typed by the learner"
    BACKEND = "backend", "Transcribed automatically"


class SpeechRecording(models.Model):
    """One recorded talk: a milestone attempt's or an amphitheatre exercise's (exactly one of the two)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="speech_recordings")
    purpose = models.CharField(max_length=16, choices=RecordingPurpose.choices)
    milestone_attempt = models.OneToOneField(
        "curriculum.MilestoneAttempt", on_delete=models.CASCADE, null=True, blank=True, related_name="recording"
    )
    amphitheatre_record = models.OneToOneField(
        "curriculum.AmphitheatreExerciseRecord",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="recording",
    )
    topic = models.CharField(max_length=200, blank=True, help_text="The impromptu topic the learner was given.")
    audio = models.FileField(storage=_recordings_storage, upload_to=recording_upload_to, max_length=200)
    source_format = models.CharField(max_length=16, help_text="What was uploaded: webm, ogg, wav, mp3 or m4a.")
    source_bytes = models.PositiveIntegerField()
    duration_seconds = models.FloatField()
    transcript = models.TextField(blank=True)
    transcript_source = models.CharField(max_length=8, choices=TranscriptSource.choices, blank=True, default="")
    # Word timings from the transcription backend when it gives them: [{"word", "start", "end"}, ...] in seconds.
    transcript_words = models.JSONField(default=list, blank=True)
    transcription_error = models.CharField(max_length=300, blank=True)
    # What the audio alone tells (``myApp.curriculum.speech.acoustics.measure``); empty until analysed.
    acoustic = models.JSONField(default=dict, blank=True)
    analysis_status = models.CharField(
        max_length=12, choices=AnalysisStatus.choices, default=AnalysisStatus.PENDING, db_default=AnalysisStatus.PENDING
    )
    analysis_error = models.CharField(max_length=300, blank=True)
    analysis_claimed_at = models.DateTimeField(null=True, blank=True)
    # When the owner last asked for the analysis again; the first request is the recording's creation.
    analysis_requeued_at = models.DateTimeField(null=True, blank=True)
    analysed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(purpose__in=RecordingPurpose.values), name="curriculum_rec_purpose"),
            models.CheckConstraint(
                condition=Q(analysis_status__in=AnalysisStatus.values), name="curriculum_rec_analysis_status"
            ),
            models.CheckConstraint(
                condition=Q(purpose=RecordingPurpose.MILESTONE, amphitheatre_record__isnull=True)
                | Q(purpose=RecordingPurpose.AMPHITHEATRE, milestone_attempt__isnull=True),
                name="curriculum_rec_one_place",
            ),
            models.CheckConstraint(condition=Q(duration_seconds__gte=0), name="curriculum_rec_duration_gte_0"),
            models.CheckConstraint(
                condition=Q(transcript_source__in=TranscriptSource.values), name="curriculum_rec_transcript_source"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="curriculum_rec_user_time"),
            models.Index(
                fields=["analysis_status"],
                condition=Q(analysis_status__in=["pending", "processing"]),
                name="curriculum_rec_unfinished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.purpose} recording {self.pk}"


class MilestoneReview(models.Model):
    """A teacher's review of a milestone attempt the learner asked them to review: comments and, optionally,
    their own scores on the rubric's assessed criteria (which then count instead of the learner's)."""

    attempt = models.ForeignKey("curriculum.MilestoneAttempt", on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="milestone_reviews"
    )
    comments = models.TextField(max_length=4000)
    scores = models.JSONField(default=dict, blank=True, help_text="Criterion → 0-100, the rubric's assessed ones.")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["attempt", "-created_at"], name="curriculum_review_attempt")]

    def __str__(self) -> str:
        return f"Review of {self.attempt_id} by {self.reviewer_id}"


__all__ = [
    "AnalysisStatus",
    "MilestoneReview",
    "RecordingPurpose",
    "SpeechRecording",
    "TranscriptSource",
]
