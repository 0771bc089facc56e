"""Lesson runs (start, answer, finish, abandon) and the high-stakes situations later lessons rehearse."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from myApp.curriculum import selectors, services
from myApp.curriculum.api.content import StepSerializer
from myApp.curriculum.models import (
    Lesson,
    LessonSession,
    LessonStepResponse,
    Module,
    StakesMap,
)
from myApp.lib.api import OwnedViewSet, StrictInputSerializer, created_status


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
        return session.next_step


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
