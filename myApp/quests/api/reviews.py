"""``/api/quests/{id}/review``: a psychologist submits a review of a quest awaiting one, then approves
or rejects it. Anyone else gets 403 whatever the id, so the answer never tells which quests exist."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from myApp.lib.api import StrictInputSerializer
from myApp.lib.exceptions import Conflict
from myApp.quests import selectors, services
from myApp.quests.models import SCORE_FIELDS, PsychologistReview, Quest

MAX_REVIEW_TEXT = 4000


class ReviewInputSerializer(StrictInputSerializer):
    emotional_safety_score = serializers.IntegerField(min_value=1, max_value=5)
    therapeutic_correctness_score = serializers.IntegerField(min_value=1, max_value=5)
    age_appropriateness_score = serializers.IntegerField(min_value=1, max_value=5)
    reveal_timing_score = serializers.IntegerField(min_value=1, max_value=5)
    strengths = serializers.CharField(max_length=MAX_REVIEW_TEXT, required=False, allow_blank=True, default="")
    concerns = serializers.CharField(max_length=MAX_REVIEW_TEXT, required=False, allow_blank=True, default="")
    recommendations = serializers.CharField(max_length=MAX_REVIEW_TEXT, required=False, allow_blank=True, default="")


class PsychologistReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.CharField(source="reviewer.username", read_only=True, allow_null=True)

    class Meta:
        model = PsychologistReview
        fields = [
            "id",
            "quest",
            "reviewer",
            *SCORE_FIELDS,
            "strengths",
            "concerns",
            "recommendations",
            "is_approved",
            "reviewed_at",
            "decided_at",
        ]
        read_only_fields = fields


class IsPsychologist(BasePermission):
    """Checked before the id is looked up, so anyone else gets 403 for every id."""

    message = "Only psychologists review quests."

    def has_permission(self, request, view) -> bool:
        return services.is_psychologist(request.user)


class PsychologistView(APIView):
    permission_classes = [IsAuthenticated, IsPsychologist]


class QuestUnderReviewSerializer(serializers.ModelSerializer):
    """What a psychologist reads before scoring: the whole quest and its earlier reviews."""

    creator = serializers.CharField(source="creator.username", read_only=True)
    reviews = PsychologistReviewSerializer(many=True, read_only=True)

    class Meta:
        model = Quest
        fields = [
            "id",
            "quest_id",
            "title",
            "creator",
            "psychological_module",
            "age_range",
            "location",
            "graph_structure",
            "quest_yaml",
            "moderation_status",
            "reviews",
            "updated_at",
        ]
        read_only_fields = fields


class ReviewSubmitView(PsychologistView):
    @extend_schema(operation_id="quests_review_read", responses=QuestUnderReviewSerializer)
    def get(self, request, pk: int):
        """The quest awaiting review with its review history (psychologists only)."""
        quests = selectors.quests_awaiting_review().prefetch_related(
            Prefetch("reviews", queryset=PsychologistReview.objects.select_related("reviewer"))
        )
        return Response(QuestUnderReviewSerializer(get_object_or_404(quests, pk=pk)).data)

    @extend_schema(
        operation_id="quests_review_submit",
        request=ReviewInputSerializer,
        responses={201: PsychologistReviewSerializer},
    )
    def post(self, request, pk: int):
        quest = get_object_or_404(selectors.quests_awaiting_review(), pk=pk)
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        scores = {field: values.pop(field) for field in SCORE_FIELDS}
        review = services.review_submit(quest=quest, reviewer=request.user, scores=scores, **values)
        return Response(PsychologistReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class _DecideView(PsychologistView):
    decide = None

    def post(self, request, pk: int):
        quest = get_object_or_404(selectors.quests_awaiting_review(), pk=pk)
        if quest.psychologist_review is None:
            raise Conflict("The quest has no review to decide yet: submit one first.")
        review = type(self).decide(review=quest.psychologist_review, by=request.user)
        return Response(PsychologistReviewSerializer(review).data)


class ReviewApproveView(_DecideView):
    decide = staticmethod(services.review_approve)

    @extend_schema(operation_id="quests_review_approve", request=None, responses=PsychologistReviewSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)


class ReviewRejectView(_DecideView):
    decide = staticmethod(services.review_reject)

    @extend_schema(operation_id="quests_review_reject", request=None, responses=PsychologistReviewSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)
