"""Recorded talks in the admin: inspected, never edited (the speech services write them)."""

from django.contrib import admin

from myApp.curriculum.admin.base import LearnerStateAdmin
from myApp.curriculum.models import SpeechRecording
from myApp.curriculum.services import speech


@admin.register(SpeechRecording)
class SpeechRecordingAdmin(LearnerStateAdmin):
    list_display = ["created_at", "user", "purpose", "duration_seconds", "analysis_status", "transcript_source"]
    list_select_related = ["user"]
    list_filter = ["analysis_status", "purpose", "transcript_source", "source_format"]
    search_fields = ["user__username", "topic"]
    raw_id_fields = ["user", "milestone_attempt", "amphitheatre_record"]
    # The transcript is the learner's words: shown on the row, not searched across learners.
    readonly_fields = [
        "audio",
        "source_format",
        "source_bytes",
        "duration_seconds",
        "acoustic",
        "analysis_status",
        "analysis_error",
        "analysis_claimed_at",
        "analysed_at",
        "transcription_error",
        "created_at",
    ]
    date_hierarchy = "created_at"

    def delete_model(self, request, obj: SpeechRecording) -> None:
        speech.recordings_delete(SpeechRecording.objects.filter(pk=obj.pk))  # the audio file goes too

    def delete_queryset(self, request, queryset) -> None:
        speech.recordings_delete(queryset)
