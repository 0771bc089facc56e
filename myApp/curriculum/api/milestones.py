"""Milestone attempts: a recording (upload or https URL) scored on the level's rubric."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from myApp.curriculum import selectors, services
from myApp.curriculum.models import (
    Level,
    MilestoneAttempt,
)
from myApp.lib import json_input
from myApp.lib.api import OwnedViewSet, StrictInputSerializer
from myApp.lib.parsers import JSONParser


@extend_schema_field(OpenApiTypes.OBJECT)
class JSONObjectField(serializers.Field):
    """A JSON object, sent as an object (JSON bodies) or as a JSON string (multipart forms)."""

    default_error_messages = {"invalid": "Send a JSON object."}

    def to_internal_value(self, data):
        if isinstance(data, bytes | str):
            try:
                data = json_input.loads(data)
            except ValueError:
                self.fail("invalid")
        if not isinstance(data, dict):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class MilestoneAttemptSerializer(serializers.ModelSerializer):
    level_number = serializers.IntegerField(source="level.number", read_only=True)
    # Not "format: uri": an uploaded recording has no link, and its audio_url is "".
    audio_url = serializers.CharField(read_only=True, help_text="The linked https recording, or empty for an upload.")

    class Meta:
        model = MilestoneAttempt
        fields = [
            "id",
            "level",
            "level_number",
            "audio",
            "audio_url",
            "transcript",
            "rubric_scores",
            "score",
            "pass_bool",
            "rewarded",
            "created_at",
        ]
        read_only_fields = fields


class MilestoneSubmitSerializer(StrictInputSerializer):
    """A milestone attempt: rubric scores and a recording, uploaded as ``audio`` or linked as ``audio_url``."""

    level = serializers.PrimaryKeyRelatedField(queryset=Level.objects.all())
    rubric_scores = JSONObjectField(help_text='Criterion → score 0-100, e.g. {"clarity": 80}.')
    audio = serializers.FileField(required=False, help_text="WAV, MP3, OGG, WebM or M4A, at most 10 MB.")
    audio_url = serializers.URLField(required=False, default="", allow_blank=True)
    transcript = serializers.CharField(required=False, default="", allow_blank=True, trim_whitespace=False)


class MilestoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    """Milestone attempts: a recording (upload or https URL) scored on the level's rubric."""

    serializer_class = MilestoneAttemptSerializer
    parser_classes = [MultiPartParser, JSONParser]

    def base_queryset(self):
        return selectors.milestone_attempts()

    @extend_schema(
        request={"multipart/form-data": MilestoneSubmitSerializer, "application/json": MilestoneSubmitSerializer},
        responses={201: MilestoneAttemptSerializer},
        description=(
            "Submit a milestone attempt. In multipart forms `rubric_scores` is a JSON string. "
            "XP and coins are paid on the level's first passing attempt only."
        ),
    )
    def create(self, request):
        data = MilestoneSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attempt = services.milestone_submit(user=request.user, **data.validated_data)
        attempt = selectors.milestone_attempts().get(pk=attempt.pk)
        return Response(
            MilestoneAttemptSerializer(attempt, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
