"""A learner's own journey: module progress, lesson runs, milestone attempts."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from myApp.curriculum import selectors, services
from myApp.curriculum.api.content import StepSerializer
from myApp.curriculum.models import (
    Lesson,
    LessonSession,
    LessonStepResponse,
    Level,
    MilestoneAttempt,
    Module,
    StakesMap,
    UserProgress,
)
from myApp.curriculum.selectors import LOCKED
from myApp.lib import json_input
from myApp.lib.api import OwnedViewSet, StrictInputSerializer, created_status
from myApp.lib.parsers import JSONParser

MODULE_STATUSES = (LOCKED, "unlocked", "in_progress", "completed")


# --- Progress and lesson runs ---------------------------------------------------------


class ProgressSerializer(serializers.ModelSerializer):
    """A progress row; ``status`` is derived from it and the learner's submissions (context ``statuses``)."""

    module_code = serializers.CharField(source="module.code", read_only=True)
    module_title = serializers.CharField(source="module.title", read_only=True)
    level_number = serializers.IntegerField(source="module.level.number", read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = UserProgress
        fields = [
            "id",
            "module",
            "module_code",
            "module_title",
            "level_number",
            "status",
            "current_lesson",
            "unlocked_at",
            "completed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=MODULE_STATUSES))
    def get_status(self, progress: UserProgress) -> str:
        return self.context["statuses"].get(progress.module_id, LOCKED)


class ModuleStatusSerializer(serializers.Serializer):
    module = serializers.IntegerField(source="module.pk")
    level_number = serializers.IntegerField(source="module.level.number")
    code = serializers.CharField(source="module.code")
    title = serializers.CharField(source="module.title")
    status = serializers.ChoiceField(choices=MODULE_STATUSES)


class LevelProgressSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="level.number")
    title = serializers.CharField(source="level.title")
    milestone_passed = serializers.BooleanField()
    modules = ModuleStatusSerializer(many=True)


class LearningProgressSerializer(serializers.Serializer):
    """A learner's path (each level's modules and their status) and what they have completed."""

    levels = LevelProgressSerializer(many=True)
    modules_completed = serializers.IntegerField()
    lessons_completed = serializers.IntegerField()
    milestones_passed = serializers.IntegerField()


class StepResponseSerializer(serializers.ModelSerializer):
    value = serializers.JSONField()

    class Meta:
        model = LessonStepResponse
        fields = ["step_index", "value", "created_at"]
        read_only_fields = fields


class LessonSessionSerializer(serializers.ModelSerializer):
    lesson_title = serializers.CharField(source="lesson.title", read_only=True)
    module = serializers.IntegerField(source="lesson.module_id", read_only=True)
    step_count = serializers.SerializerMethodField()
    next_step = serializers.SerializerMethodField()
    scenario = serializers.SerializerMethodField(
        help_text="The learner's own high-stakes situation this module's lessons rehearse now, or null."
    )
    responses = StepResponseSerializer(many=True, read_only=True)

    class Meta:
        model = LessonSession
        fields = [
            "id",
            "lesson",
            "lesson_title",
            "module",
            "state",
            "current_step",
            "step_count",
            "next_step",
            "scenario",
            "responses",
            "rewarded",
            "started_at",
            "updated_at",
            "completed_at",
        ]
        read_only_fields = fields

    def get_step_count(self, session: LessonSession) -> int:
        return len(session.lesson.steps)

    def get_scenario(self, session: LessonSession) -> str | None:
        return getattr(session, "scenario", None)  # annotated by selectors.lesson_sessions

    @extend_schema_field(StepSerializer(allow_null=True))
    def get_next_step(self, session: LessonSession) -> dict | None:
        """The step to answer now; null once every step is answered or the run is over."""
        steps = session.lesson.steps
        if not session.is_active or session.current_step >= len(steps):
            return None
        return steps[session.current_step]


class LessonSessionStartSerializer(StrictInputSerializer):
    """The lesson to start (or resume) a run of."""

    lesson = serializers.PrimaryKeyRelatedField(queryset=Lesson.objects.all())


class LessonAnswerSerializer(StrictInputSerializer):
    """The answer to the session's current step."""

    value = serializers.JSONField(help_text="Text, one of the step's choices, or a 1-5 scale value.")
    duration_ms = serializers.IntegerField(min_value=0, default=0)
    step = serializers.IntegerField(
        min_value=0,
        max_value=10_000,
        required=False,
        help_text="The index of the step answered (``current_step`` when the client read it); a step "
        "already answered is refused with 409, so a retried request is never stored as the next answer.",
    )


class StakesMapSerializer(serializers.ModelSerializer):
    class Meta:
        model = StakesMap
        fields = ["id", "module", "scenarios", "updated_at"]
        read_only_fields = fields


class StakesMapInputSerializer(StrictInputSerializer):
    """The learner's high-stakes situations, captured in the first module (module A)."""

    module = serializers.PrimaryKeyRelatedField(queryset=Module.objects.all())
    scenarios = serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=5, help_text="Up to 5 situations."
    )


# --- Milestones -----------------------------------------------------------------------


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


# --- Viewsets -------------------------------------------------------------------------


class ProgressViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    """The caller's progress rows, with each module's status derived from their submissions.

    ``start/`` opens the first module for a new learner; ``modules/`` lists every module, locked
    ones included.
    """

    serializer_class = ProgressSerializer

    def base_queryset(self):
        return selectors.progress_rows()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["statuses"] = selectors.module_statuses(user=self.request.user)
        return context

    @extend_schema(
        request=None,
        responses=ProgressSerializer(many=True),
        description="Open the first module (and its venues) if the caller has no progress yet; idempotent.",
    )
    @action(detail=False, methods=["post"], pagination_class=None)
    def start(self, request):
        services.curriculum_start(user=request.user)
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    @extend_schema(responses=ModuleStatusSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def modules(self, request):
        statuses = selectors.module_statuses(user=request.user)
        rows = [
            {"module": module, "status": statuses.get(module.pk, selectors.LOCKED)} for module in selectors.modules()
        ]
        return Response(ModuleStatusSerializer(rows, many=True).data)


class LessonSessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    """Guided lesson runs: start (or resume) one, answer its steps in order, finish or abandon it."""

    serializer_class = LessonSessionSerializer

    def base_queryset(self):
        return selectors.lesson_sessions()

    def _render(self, session, *, status_code=status.HTTP_200_OK) -> Response:
        session = selectors.lesson_sessions().get(pk=session.pk)  # with its lesson, responses and scenario
        return Response(LessonSessionSerializer(session).data, status=status_code)

    @extend_schema(
        request=LessonSessionStartSerializer,
        responses={201: LessonSessionSerializer, 200: LessonSessionSerializer},
        description="Start a run of the lesson (201), or resume the caller's active run of it (200).",
    )
    def create(self, request):
        data = LessonSessionStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session, created = services.lesson_session_start(user=request.user, lesson=data.validated_data["lesson"])
        return self._render(session, status_code=created_status(created))

    @extend_schema(request=LessonAnswerSerializer, responses=LessonSessionSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        session = self.get_object()
        data = LessonAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = services.lesson_session_answer(session=session, user=request.user, **data.validated_data)
        return self._render(session)

    @extend_schema(request=None, responses=LessonSessionSerializer)
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        finish = services.lesson_session_finish(session=self.get_object(), user=request.user)
        return self._render(finish.session)

    @extend_schema(request=None, responses=LessonSessionSerializer)
    @action(detail=True, methods=["post"])
    def abandon(self, request, pk=None):
        session = services.lesson_session_abandon(session=self.get_object(), user=request.user)
        return self._render(session)


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


class StakesMapViewSet(mixins.ListModelMixin, OwnedViewSet):
    """The caller's high-stakes situations. Module A (the first module) captures them with
    ``POST`` (which replaces the list); the lessons of later modules rehearse them (a run's
    ``scenario``)."""

    serializer_class = StakesMapSerializer

    def base_queryset(self):
        return selectors.stakes_maps()

    @extend_schema(request=StakesMapInputSerializer, responses={200: StakesMapSerializer})
    def create(self, request):
        data = StakesMapInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        stakes = services.stakes_map_set(user=request.user, **data.validated_data)
        return Response(StakesMapSerializer(stakes).data)
