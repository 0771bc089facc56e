"""Content and catalogue endpoints: levels, modules, lessons, knowledge blocks, courses, enrollments."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from myApp.curriculum import selectors, services
from myApp.curriculum.content_rules import STEP_KINDS
from myApp.curriculum.models import (
    Course,
    CourseLevel,
    Enrollment,
    KnowledgeBlock,
    Lesson,
    Level,
    Module,
    Purchase,
)
from myApp.curriculum.services.courses import COURSE_EDITABLE_FIELDS, may_assign_teachers
from myApp.lib.api import IsStaffOrReadOnly, OwnedViewSet, StrictInputSerializer, UserReferenceField, created_status

# --- Content (staff-managed) ----------------------------------------------------------


class ModuleBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Module
        fields = ["id", "code", "title", "order"]
        read_only_fields = fields


class LevelSerializer(serializers.ModelSerializer):
    modules = ModuleBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Level
        fields = [
            "id",
            "number",
            "title",
            "description",
            "milestone_threshold",
            "milestone_xp_reward",
            "milestone_coin_reward",
            "modules",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "modules", "created_at", "updated_at"]


class ModuleSerializer(serializers.ModelSerializer):
    level_number = serializers.IntegerField(source="level.number", read_only=True)

    class Meta:
        model = Module
        fields = [
            "id",
            "level",
            "level_number",
            "code",
            "title",
            "description",
            "order",
            "lesson_video_url",
            "xp_reward",
            "coin_reward",
            "ticket_reward",
        ]
        read_only_fields = ["id", "level_number"]


class StepSerializer(serializers.Serializer):
    """One step of a lesson, as documented in the schema (checked by the content rules)."""

    prompt = serializers.CharField()
    kind = serializers.ChoiceField(choices=STEP_KINDS)
    choices = serializers.ListField(child=serializers.CharField(), required=False)


@extend_schema_field(StepSerializer(many=True))
class StepsField(serializers.JSONField):
    """A lesson's steps as plain JSON; the content service checks them by the content rules (as for the admin)
    and writes out each step's default kind."""


class LessonSerializer(serializers.ModelSerializer):
    steps = StepsField(required=False, help_text="Required when a lesson is created: at least one step.")

    class Meta:
        model = Lesson
        fields = ["id", "module", "order", "title", "summary", "steps", "xp_reward"]
        read_only_fields = ["id"]


def _model_validators(name: str) -> list:
    """The knowledge block field's own validators (its size bound), which a declared field would skip."""
    return KnowledgeBlock._meta.get_field(name).validators


class KnowledgeBlockSerializer(serializers.ModelSerializer):
    tags = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, validators=_model_validators("tags")
    )
    exercise_seeds = serializers.ListField(
        child=serializers.JSONField(), required=False, validators=_model_validators("exercise_seeds")
    )
    citations = serializers.ListField(
        child=serializers.JSONField(), required=False, validators=_model_validators("citations")
    )

    class Meta:
        model = KnowledgeBlock
        fields = ["id", "module", "order", "title", "summary", "body", "tags", "exercise_seeds", "citations"]
        read_only_fields = ["id"]


# --- The course catalogue -------------------------------------------------------------


class CourseSerializer(serializers.ModelSerializer):
    teacher_username = serializers.CharField(source="teacher.username", read_only=True, allow_null=True)
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="The creator's username."
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "description",
            "level",
            "teacher",
            "teacher_username",
            "course_order",
            "course_number",
            "country",
            "file_metadata",
            "price",
            "currency",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CourseInputSerializer(StrictInputSerializer, serializers.ModelSerializer):
    """A course's content; ``teacher`` is the caller for teachers, any teacher for staff.

    Naming another user as ``teacher`` is refused (403) before the id is looked up, so the answer
    never tells a learner or a teacher which user ids exist.
    """

    teacher = UserReferenceField(others_allowed=may_assign_teachers, required=False, allow_null=True)

    class Meta:
        model = Course
        fields = [*COURSE_EDITABLE_FIELDS, "teacher"]


class CourseCatalogueSerializer(serializers.ModelSerializer):
    """Seed 004's ``GET /api/courses`` row: every column, with the creator's username."""

    teacher_id = serializers.IntegerField(read_only=True, allow_null=True)
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="The creator's username."
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "description",
            "level",
            "teacher_id",
            "course_order",
            "course_number",
            "country",
            "file_metadata",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EnrollmentSerializer(serializers.ModelSerializer):
    course_title = serializers.CharField(source="course.title", read_only=True)

    class Meta:
        model = Enrollment
        fields = ["id", "course", "course_title", "is_paid", "enrolled_at"]
        read_only_fields = fields


class PurchaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Purchase
        fields = ["id", "course", "amount", "currency", "created_at"]
        read_only_fields = fields


# --- Viewsets -------------------------------------------------------------------------


class ContentViewSet(viewsets.ModelViewSet):
    """Teaching content: every signed-in user reads it, staff manage it.

    The serializer validates and renders; writes go through the content services, the admin's too.
    """

    permission_classes = [IsAuthenticated, IsStaffOrReadOnly]
    selector = None  # the selector returning this content's queryset, joins applied

    def get_queryset(self):
        return type(self).selector()

    def perform_create(self, serializer) -> None:
        serializer.instance = services.content_create(
            model=serializer.Meta.model, by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = services.content_update(
            instance=serializer.instance, by=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance) -> None:
        services.content_delete(instance=instance, by=self.request.user)


class LevelViewSet(ContentViewSet):
    serializer_class = LevelSerializer
    selector = selectors.levels_with_modules


class ModuleViewSet(ContentViewSet):
    serializer_class = ModuleSerializer
    selector = selectors.modules


class LessonViewSet(ContentViewSet):
    serializer_class = LessonSerializer
    selector = selectors.lessons


class KnowledgeBlockViewSet(ContentViewSet):
    serializer_class = KnowledgeBlockSerializer
    selector = selectors.knowledge_blocks


COURSE_FILTERS = [
    OpenApiParameter("country", str, description="Only courses in this country (case-insensitive)."),
    OpenApiParameter("level", str, enum=CourseLevel.values, description="Only courses at this level."),
]


@extend_schema_view(list=extend_schema(parameters=COURSE_FILTERS))
class CourseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The course catalogue. Teachers create and change their own courses; staff any course."""

    serializer_class = CourseSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if self.action == "list":
            return selectors.courses(
                country=self.request.query_params.get("country"), level=self.request.query_params.get("level")
            )
        return selectors.courses()

    @extend_schema(request=CourseInputSerializer, responses={201: CourseSerializer})
    def create(self, request):
        services.course_manage_check(by=request.user)
        data = CourseInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        course = services.course_create(by=request.user, **data.validated_data)
        return Response(CourseSerializer(course).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CourseInputSerializer, responses=CourseSerializer)
    def update(self, request, pk=None, partial=False):
        course = self.get_object()
        services.course_manage_check(by=request.user, course=course)
        data = CourseInputSerializer(
            instance=course, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        course = services.course_update(by=request.user, course=course, **data.validated_data)
        return Response(CourseSerializer(course).data)

    @extend_schema(request=CourseInputSerializer, responses=CourseSerializer)
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    @extend_schema(request=None, responses={201: EnrollmentSerializer, 200: EnrollmentSerializer})
    @action(detail=True, methods=["post"])
    def enroll(self, request, pk=None):
        enrollment, created = services.course_enroll(user=request.user, course=self.get_object())
        return Response(EnrollmentSerializer(enrollment).data, status=created_status(created))

    @extend_schema(request=None, responses={201: PurchaseSerializer, 200: PurchaseSerializer})
    @action(detail=True, methods=["post"])
    def purchase(self, request, pk=None):
        purchase, created = services.course_purchase(user=request.user, course=self.get_object())
        return Response(PurchaseSerializer(purchase).data, status=created_status(created))


class EnrollmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    """The caller's own enrollments."""

    serializer_class = EnrollmentSerializer

    def base_queryset(self):
        return selectors.enrollments()


class CourseCatalogueView(APIView):
    """Seed 004's ``GET /api/courses``: every course with every column, unpaginated."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="courses_catalogue",
        summary="Every course with every column (seed 004's contract)",
        responses=CourseCatalogueSerializer(many=True),
    )
    def get(self, request):
        return Response(CourseCatalogueSerializer(selectors.courses(), many=True).data)
