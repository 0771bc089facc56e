"""A learner's module progress, and a level-by-level summary of it (their own, or a consenting child's)."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from myApp.curriculum import selectors, services
from myApp.curriculum.models import (
    UserProgress,
)
from myApp.curriculum.selectors import LOCKED
from myApp.lib.api import OwnedViewSet

MODULE_STATUSES = (LOCKED, "unlocked", "in_progress", "completed")


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
