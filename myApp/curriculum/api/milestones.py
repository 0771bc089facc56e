"""Milestone attempts: a recording (upload or https URL) scored on the level's rubric; teachers' reviews."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from myApp.curriculum import review_selectors, selectors, services
from myApp.curriculum.models import (
    Level,
    MilestoneAttempt,
)
from myApp.curriculum.models.speech import MilestoneReview
from myApp.curriculum.services.milestone_reviews import MAX_COMMENTS
from myApp.curriculum.throttling import RecordingRateThrottle
from myApp.lib.api import JSONObjectField, OwnedViewSet, StrictInputSerializer
from myApp.lib.parsers import JSONParser


class CriterionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    score = serializers.IntegerField(allow_null=True, help_text="0-100; null for a measure that could not be taken.")
    source = serializers.ChoiceField(choices=["self", "teacher", "measured"])
    rule = serializers.CharField()


class EvaluationSerializer(serializers.Serializer):
    """The rubric's evaluation now (myApp.curriculum.speech.rubric): per criterion with its source."""

    criteria = CriterionSerializer(many=True)
    assessed_average = serializers.FloatField(allow_null=True)
    measured_average = serializers.FloatField(allow_null=True)
    score = serializers.IntegerField()
    threshold = serializers.IntegerField()
    passed = serializers.BooleanField(help_text="Whether this evaluation reaches the threshold (see pass_bool).")


class ReviewSerializer(serializers.ModelSerializer):
    reviewer_name = serializers.SerializerMethodField()

    class Meta:
        model = MilestoneReview
        fields = ["id", "attempt", "reviewer", "reviewer_name", "comments", "scores", "created_at"]
        read_only_fields = fields

    def get_reviewer_name(self, review) -> str:
        return review.reviewer.get_username() if review.reviewer_id else "A former teacher"


class AttemptRecordingFields(serializers.Serializer):
    """An attempt's recording id and whether its measures are still awaited (the attempt and queue item both)."""

    recording = serializers.SerializerMethodField(help_text="The recorded talk's id, or null.")
    awaiting_measures = serializers.SerializerMethodField(
        help_text="True while the recording is being analysed: score and pass_bool are settled when it finishes."
    )

    def get_recording(self, attempt) -> int | None:
        recording = services.milestones.attempt_recording(attempt)
        return recording.pk if recording is not None else None

    def get_awaiting_measures(self, attempt) -> bool:
        return services.awaiting_measures(attempt)


class MilestoneAttemptSerializer(AttemptRecordingFields, serializers.ModelSerializer):
    level_number = serializers.IntegerField(source="level.number", read_only=True)
    # Not "format: uri": an uploaded recording has no link, and its audio_url is "".
    audio_url = serializers.CharField(read_only=True, help_text="The linked https recording, or empty for an upload.")
    evaluation = serializers.SerializerMethodField()
    reviews = ReviewSerializer(many=True, read_only=True)

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
            "recording",
            "awaiting_measures",
            "evaluation",
            "review_requested_at",
            "reviews",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(EvaluationSerializer)
    def get_evaluation(self, attempt) -> dict:
        return services.attempt_evaluation(attempt, reviews=list(attempt.reviews.all())).as_dict()


class MilestoneSubmitSerializer(StrictInputSerializer):
    """A milestone attempt: rubric scores and a recording, uploaded as ``audio`` or linked as ``audio_url``."""

    level = serializers.PrimaryKeyRelatedField(queryset=Level.objects.all())
    rubric_scores = JSONObjectField(help_text='Criterion → score 0-100, e.g. {"clarity": 80}.')
    audio = serializers.FileField(
        required=False,
        help_text="WebM/Opus, OGG, WAV, MP3 or M4A (checked by content), measured in the background: the attempt is "
        "awaiting_measures until then.",
    )
    audio_url = serializers.URLField(required=False, default="", allow_blank=True)
    transcript = serializers.CharField(required=False, default="", allow_blank=True, trim_whitespace=False)
    topic = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)


class MilestoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    """Milestone attempts: a recording (upload or https URL) scored on the level's rubric; teachers' reviews."""

    serializer_class = MilestoneAttemptSerializer
    parser_classes = [MultiPartParser, JSONParser]

    def get_throttles(self):
        if self.action == "create":  # a recorded talk counts against the learner's budget
            return [*super().get_throttles(), RecordingRateThrottle()]
        return super().get_throttles()

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

    def _render(self, attempt):
        attempt = selectors.milestone_attempts().get(pk=attempt.pk)
        return Response(MilestoneAttemptSerializer(attempt, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={200: MilestoneAttemptSerializer})
    @action(detail=True, methods=["post"], url_path="request-review")
    def request_review(self, request, pk=None):
        """Share the attempt with your teachers for review (asking again keeps the first request)."""
        return self._render(services.milestone_review_request(user=request.user, attempt=self.get_object()))

    @extend_schema(request=None, responses={200: MilestoneAttemptSerializer})
    @action(detail=True, methods=["post"], url_path="withdraw-review")
    def withdraw_review(self, request, pk=None):
        """Stop sharing the attempt for review; 409 once a teacher has reviewed it."""
        return self._render(services.milestone_review_withdraw(user=request.user, attempt=self.get_object()))


class ReviewQueueItemSerializer(AttemptRecordingFields, serializers.ModelSerializer):
    """A shared attempt in a teacher's queue."""

    learner = serializers.CharField(source="user.get_username", read_only=True)
    level_number = serializers.IntegerField(source="level.number", read_only=True)
    review_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = MilestoneAttempt
        fields = [
            "id",
            "learner",
            "level_number",
            "score",
            "pass_bool",
            "recording",
            "awaiting_measures",
            "review_requested_at",
            "review_count",
            "created_at",
        ]
        read_only_fields = fields


class ReviewCreateSerializer(StrictInputSerializer):
    attempt = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="A shared milestone attempt.")
    comments = serializers.CharField(max_length=MAX_COMMENTS, trim_whitespace=False)
    scores = JSONObjectField(
        required=False, default=dict, help_text='Optional: assessed criterion → 0-100, e.g. {"clarity": 80}.'
    )


class MilestoneReviewViewSet(viewsets.GenericViewSet):
    """A teacher's review queue (the shared attempts of their courses' learners) and their reviews."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ReviewQueueItemSerializer
    pagination_class = None

    def get_queryset(self):  # the schema's model; the list reads through review_selectors
        return MilestoneAttempt.objects.none()

    @extend_schema(responses={200: ReviewQueueItemSerializer(many=True)})
    def list(self, request):
        """The shared attempts you may review, unreviewed and oldest request first (each look is recorded)."""
        queue = review_selectors.milestone_review_queue(viewer=request.user, where="api:milestone-reviews")
        return Response(ReviewQueueItemSerializer(queue.attempts, many=True).data)

    @extend_schema(
        request=ReviewCreateSerializer,
        responses={
            201: ReviewSerializer,
            404: OpenApiResponse(description="No such shared attempt of a learner you teach (or, for staff, at all)."),
        },
    )
    def create(self, request):
        """Review a shared attempt: comments, and optional scores that count instead of the learner's."""
        data = ReviewCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.milestone_review_create(
            reviewer=request.user,
            attempt_id=data.validated_data["attempt"],
            comments=data.validated_data["comments"],
            scores=data.validated_data["scores"],
            where="api:milestone-reviews",
        )
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)
