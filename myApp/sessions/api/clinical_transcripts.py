"""A therapy session's transcript on the API: read it in order; save segments (JSON) or a file (WebVTT, SRT,
JSON) by replacing or appending, as the clinician chooses. The actions live on ``TherapySessionViewSet``."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from myApp.lib.api import StrictInputSerializer
from myApp.lib.exceptions import ServiceError
from myApp.sessions import clinical_selectors as selectors
from myApp.sessions import transcripts
from myApp.sessions.models import SessionSentence
from myApp.sessions.services import clinical as services


class SentenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = SessionSentence
        fields = [
            "id",
            "session",
            "sequence_number",
            "start_ms",
            "end_ms",
            "speaker",
            "text",
            "confidence",
            "keywords",
            "sentiment",
            "emotion_scores",
        ]
        read_only_fields = fields


class TranscriptSerializer(serializers.Serializer):
    session = serializers.IntegerField(source="session.pk")
    transcript_status = serializers.CharField(source="session.transcript_status")
    analysis_status = serializers.CharField(source="session.analysis_status")
    sentences = SentenceSerializer(many=True)


class TranscriptSavedSerializer(serializers.Serializer):
    session = serializers.IntegerField(source="session.pk")
    mode = serializers.CharField()
    added = serializers.IntegerField()
    total = serializers.IntegerField()
    transcript_status = serializers.CharField(source="session.transcript_status")
    analysis_status = serializers.CharField(source="session.analysis_status")


class TranscriptInputSerializer(StrictInputSerializer):
    mode = serializers.ChoiceField(choices=services.MODES, help_text="replace the transcript, or append to it.")
    segments = serializers.JSONField(
        help_text="[{start, end (seconds), text, speaker?, confidence? (0-1)}], in order; at most "
        f"{transcripts.MAX_SEGMENTS} sentences in a transcript."
    )


class TranscriptFileInputSerializer(StrictInputSerializer):
    mode = serializers.ChoiceField(choices=services.MODES)
    file = serializers.FileField(
        help_text=f"WebVTT, SRT or JSON segments, UTF-8, at most {transcripts.MAX_FILE_BYTES // (1024 * 1024)} MB."
    )
    format = serializers.ChoiceField(choices=transcripts.FORMATS, required=False, help_text="Else from the file name.")


def _file_segments(upload, declared: str | None) -> list:
    try:
        return transcripts.segments_from_upload(upload, declared=declared)
    except transcripts.TranscriptError as error:
        raise ServiceError(error.message, errors=error.errors) from None


class TranscriptActionsMixin:
    """``GET``/``POST /api/v1/therapy-sessions/{id}/transcript/`` and ``POST .../transcript-file/``."""

    def _transcript_response(self, session):
        sentences = list(selectors.session_transcript(session))
        return Response(TranscriptSerializer({"session": session, "sentences": sentences}).data)

    @extend_schema(methods=["GET"], responses=TranscriptSerializer)
    @extend_schema(methods=["POST"], request=TranscriptInputSerializer, responses=TranscriptSavedSerializer)
    @action(detail=True, methods=["get", "post"])
    def transcript(self, request, pk=None):
        """The transcript in order (GET); save segments (POST, the clinician only)."""
        if request.method == "GET":
            return self._transcript_response(self.session())
        session = self.session(for_write=True)
        serializer = TranscriptInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = services.transcript_save(session=session, by=request.user, **serializer.validated_data)
        return Response(TranscriptSavedSerializer(saved).data)

    @extend_schema(request={"multipart/form-data": TranscriptFileInputSerializer}, responses=TranscriptSavedSerializer)
    @action(detail=True, methods=["post"], url_path="transcript-file", parser_classes=[MultiPartParser])
    def transcript_file(self, request, pk=None):
        """Save a transcript file: WebVTT (voice spans ``<v Name>``), SRT (``NAME: text``) or JSON segments."""
        session = self.session(for_write=True)
        serializer = TranscriptFileInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        segments = _file_segments(data["file"], data.get("format"))
        saved = services.transcript_save(session=session, by=request.user, segments=segments, mode=data["mode"])
        return Response(TranscriptSavedSerializer(saved).data)
