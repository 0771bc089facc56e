"""The amphitheatre: visits with a plan of exercises, recorded with the learner's self-assessment."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from myApp.curriculum import economy, selectors, services
from myApp.curriculum.models import (
    AmphitheatreExerciseRecord,
    AmphitheatreSession,
)
from myApp.curriculum.services.speech import MAX_TOPIC
from myApp.curriculum.throttling import RecordingRateThrottle
from myApp.lib.api import JSONListField, JSONObjectField, OwnedViewSet, StrictInputSerializer, created_status
from myApp.lib.parsers import JSONParser


class AmphitheatreRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = AmphitheatreExerciseRecord
        fields = [
            "id",
            "exercise_key",
            "audio_ref",
            "markers",
            "reflection",
            "scores",
            "xp_delta",
            "coins_delta",
            "tickets_delta",
            "paid",
            "reward_note",
            "recording",
            "created_at",
        ]
        read_only_fields = fields

    reward_note = serializers.SerializerMethodField(help_text="Why this recording paid what it did.")
    recording = serializers.SerializerMethodField(
        help_text="The recorded talk's id (GET /api/v1/recordings/{id}/ for its analysis), or null."
    )

    def get_recording(self, record: AmphitheatreExerciseRecord) -> int | None:
        if hasattr(record, "recording_pk"):  # annotated by selectors.amphitheatre_sessions
            return record.recording_pk
        recording = getattr(record, "recording", None)
        return recording.pk if recording is not None else None

    def get_reward_note(self, record: AmphitheatreExerciseRecord) -> str:
        return economy.amphitheatre_record_note(record)


class AmphitheatreSessionSerializer(serializers.ModelSerializer):
    """A visit. Its ``plan`` lists each exercise with the XP, coins and tickets its first
    recording pays; ``pays_now`` and ``rewards_note`` say whether the visit pays and why."""

    records = AmphitheatreRecordSerializer(many=True, read_only=True)
    pays_now = serializers.SerializerMethodField()
    rewards_note = serializers.SerializerMethodField()

    class Meta:
        model = AmphitheatreSession
        fields = [
            "id",
            "visit_number",
            "plan",
            "paying",
            "pays_now",
            "rewards_note",
            "points",
            "started_at",
            "ended_at",
            "records",
        ]
        read_only_fields = fields

    def get_pays_now(self, session: AmphitheatreSession) -> bool:
        return session.ended_at is None and economy.amphitheatre_visit_pays_now(session)

    def get_rewards_note(self, session: AmphitheatreSession) -> str:
        return economy.amphitheatre_visit_note(session)


class AmphitheatreSubmitSerializer(StrictInputSerializer):
    """One exercise of the visit's plan, with its scores and the learner's reflection, and optionally the recorded
    talk (``audio``, multipart) with the impromptu ``topic`` the learner was given."""

    exercise_key = serializers.CharField(max_length=64)
    scores = JSONObjectField(
        child=serializers.IntegerField(min_value=0, max_value=100),
        help_text='Criterion → 0-100, e.g. {"clarity": 80}: a JSON object, or a JSON string of one in multipart.',
    )
    reflection = serializers.CharField(required=False, default="", allow_blank=True, max_length=4000)
    markers = JSONListField(
        child=serializers.JSONField(),
        required=False,
        default=list,
        max_length=200,
        help_text="Time-stamped markers: a JSON list, or a JSON string of one in multipart.",
    )
    audio_ref = serializers.CharField(required=False, default="", allow_blank=True, max_length=500)
    audio = serializers.FileField(
        required=False, default=None, help_text="The recorded talk: WebM/Opus, OGG, WAV, MP3 or M4A (multipart)."
    )
    topic = serializers.CharField(required=False, default="", allow_blank=True, max_length=MAX_TOPIC)


class AmphitheatreSessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    """Amphitheatre visits, newest first, with their recorded exercises (the history)."""

    serializer_class = AmphitheatreSessionSerializer

    def get_throttles(self):
        if self.action == "submit":  # a recorded talk counts against the learner's budget
            return [*super().get_throttles(), RecordingRateThrottle()]
        return super().get_throttles()

    def base_queryset(self):
        return selectors.amphitheatre_sessions()

    def _render(self, session, *, status_code=status.HTTP_200_OK) -> Response:
        session = selectors.amphitheatre_sessions().get(pk=session.pk)
        return Response(AmphitheatreSessionSerializer(session).data, status=status_code)

    @extend_schema(
        request=None,
        responses={201: AmphitheatreSessionSerializer, 200: AmphitheatreSessionSerializer},
        description="Open the next visit (201), or continue the caller's open visit (200).",
    )
    @action(detail=False, methods=["post"])
    def hub(self, request):
        session, created = services.amphitheatre_hub(user=request.user)
        return self._render(session, status_code=created_status(created))

    @extend_schema(
        request={
            "application/json": AmphitheatreSubmitSerializer,
            "multipart/form-data": AmphitheatreSubmitSerializer,
        },
        responses={201: AmphitheatreRecordSerializer},
        description=(
            "Record an exercise of the visit's plan. The scores are the learner's self-assessment and "
            "decide nothing: the first recording of an exercise in a paying visit pays the plan's "
            "amount; re-recording it, or any recording in a practice visit, pays nothing. With a recorded "
            "talk (multipart, `scores` as a JSON string) the record's `recording` is analysed in the background."
        ),
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser])
    def submit(self, request, pk=None):
        session = self.get_object()
        data = AmphitheatreSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.amphitheatre_submit(user=request.user, session=session, **data.validated_data)
        return Response(AmphitheatreRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AmphitheatreSessionSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        session = services.amphitheatre_end(user=request.user, session=self.get_object())
        return self._render(session)
