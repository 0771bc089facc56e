"""Recorded talks: the caller's recordings with their analysis, the transcript they add, the audio, progress.

A recording is uploaded with the milestone attempt or the amphitheatre exercise it belongs to (those endpoints
take ``audio`` in multipart); here it is read, its transcript set, a failed analysis run again, its audio played.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from myApp.curriculum import speech_selectors
from myApp.curriculum.models import SpeechRecording
from myApp.curriculum.services import speech as speech_services
from myApp.curriculum.services.speech import MAX_TRANSCRIPT
from myApp.curriculum.speech import targets
from myApp.curriculum.views.recording_audio import audio_response
from myApp.lib.api import ID_PATH_REGEX, OwnedViewSet, StrictInputSerializer
from myApp.lib.renderers import JSONRenderer


class SpeechRecordingSerializer(serializers.ModelSerializer):
    """A recorded talk. ``acoustic``: what the audio tells (empty until analysed); ``language``: what the
    transcript tells, derived from it whenever read (null without a transcript)."""

    status = serializers.CharField(source="analysis_status", read_only=True, help_text="pending, processing, ...")
    status_label = serializers.CharField(source="get_analysis_status_display", read_only=True)
    may_reanalyse = serializers.SerializerMethodField(
        help_text="True when the analysis failed or stalled: POST .../reanalyse runs it again."
    )
    acoustic = serializers.JSONField(read_only=True)
    language = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = SpeechRecording
        fields = [
            "id",
            "purpose",
            "milestone_attempt",
            "amphitheatre_record",
            "topic",
            "status",
            "status_label",
            "may_reanalyse",
            "duration_seconds",
            "source_format",
            "acoustic",
            "language",
            "transcript",
            "transcript_source",
            "transcription_error",
            "analysis_error",
            "created_at",
            "analysed_at",
            "links",
        ]
        read_only_fields = fields

    def get_may_reanalyse(self, recording: SpeechRecording) -> bool:
        return speech_services.recording_may_reanalyse(recording)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_language(self, recording: SpeechRecording) -> dict | None:
        return speech_selectors.language_measures(recording)

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "self": {"type": "string"},
                "audio": {"type": "string"},
                "page": {"type": "string"},
            },
        }
    )
    def get_links(self, recording: SpeechRecording) -> dict:
        return {
            "self": reverse("recording-detail", args=[recording.pk]),
            "audio": reverse("recording-audio", args=[recording.pk]),
            "page": reverse("curriculum:recording", args=[recording.pk]),
        }


class TranscriptSerializer(StrictInputSerializer):
    transcript = serializers.CharField(
        max_length=MAX_TRANSCRIPT,
        allow_blank=True,
        trim_whitespace=False,
        help_text="What was said, typed or pasted; empty clears it.",
    )


class RecordingProgressPointSerializer(serializers.Serializer):
    recording_id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    purpose = serializers.CharField()
    words_per_minute = serializers.FloatField(allow_null=True)
    pauses_per_minute = serializers.FloatField(allow_null=True)
    longest_pause_seconds = serializers.FloatField(allow_null=True)
    pitch_variability_semitones = serializers.FloatField(allow_null=True)
    fillers_per_minute = serializers.FloatField(allow_null=True)


class TargetBandSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)


class RecordingProgressSerializer(serializers.Serializer):
    series = RecordingProgressPointSerializer(many=True)
    bands = TargetBandSerializer(many=True)


class WavRenderer(renderers.BaseRenderer):
    """Names audio/wav for content negotiation; the audio itself goes out as a file response."""

    media_type = "audio/wav"
    format = "wav"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data, "application/json", renderer_context)


class SpeechRecordingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    """The caller's recorded talks, newest first, with their analysis."""

    serializer_class = SpeechRecordingSerializer
    lookup_value_regex = ID_PATH_REGEX

    def base_queryset(self):
        return speech_selectors.recordings().order_by("-created_at", "-id")

    @extend_schema(
        request=TranscriptSerializer,
        responses={200: SpeechRecordingSerializer},
        description="Set, correct or clear the transcript (the owner's own typing replaces an automatic one).",
    )
    def partial_update(self, request, pk=None):
        recording = self.get_object()
        data = TranscriptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        recording = speech_services.recording_set_transcript(
            user=request.user, recording=recording, transcript=data.validated_data["transcript"]
        )
        return Response(self.get_serializer(recording).data)

    @extend_schema(
        request=None,
        responses={202: SpeechRecordingSerializer, 409: OpenApiResponse(description="The analysis did not fail.")},
        description="Run a failed analysis again (409 unless it failed or was abandoned).",
    )
    @action(detail=True, methods=["post"])
    def reanalyse(self, request, pk=None):
        recording = speech_services.recording_reanalyse(user=request.user, recording=self.get_object())
        return Response(self.get_serializer(recording).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses={(200, "audio/wav"): OpenApiTypes.BINARY, (206, "audio/wav"): OpenApiTypes.BINARY},
        description="The recording as 16 kHz mono WAV (one byte range may be asked with Range).",
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, WavRenderer])
    def audio(self, request, pk=None):
        recording = speech_selectors.recording_for_listener(user=request.user, pk=int(pk))
        return audio_response(request, recording)

    @extend_schema(
        responses=RecordingProgressSerializer,
        description="The caller's latest 500 analysed recordings as a series, oldest first, with the target bands.",
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def progress(self, request):
        bands = [
            {"name": b.name, "label": b.label, "unit": b.unit, "low": b.low, "high": b.high}
            for b in targets.BANDS.values()
        ]
        series = speech_selectors.recording_progress_owned_by(user=request.user)
        return Response(RecordingProgressSerializer({"series": series, "bands": bands}).data)
