"""Insights on the API: the caller's clients' insights (drafts and decided), approve and reject (the client's
clinician only). A chat or self-check alert's evidence is the linked client's own words: shown as on the pages,
only while the relationship holds and with each read in the audit log (``risk_selectors.with_evidence_context``),
else ``null``."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from myApp.lib.api import ID_PATH_REGEX, StrictInputSerializer, validated_query
from myApp.sessions import clinical_selectors as selectors
from myApp.sessions import risk_selectors
from myApp.sessions.models import InsightDecision, InsightStatus, SessionInsight
from myApp.sessions.services import clinical as services


class SessionInsightSerializer(serializers.ModelSerializer):
    evidence = serializers.SerializerMethodField(
        help_text="The evidence; null when withheld (a chat or self-check alert whose client's account is no "
        "longer linked to you)."
    )

    class Meta:
        model = SessionInsight
        fields = [
            "id",
            "session",
            "client",
            "source",
            "insight_type",
            "confidence",
            "severity",
            "title",
            "description",
            "evidence",
            "evidence_sentence",
            "recommendations",
            "therapeutic_method",
            "intervention_priority",
            "status",
            "reviewed_by",
            "reviewed_at",
            "decision_note",
            "created_at",
        ]
        read_only_fields = fields

    def get_evidence(self, insight: SessionInsight) -> str | None:
        # Decided by ``with_evidence_context`` (the views call it on every insight they answer with).
        return insight.evidence if getattr(insight, "evidence_visible", False) else None


class InsightDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = InsightDecision
        fields = ["status", "decided_by", "decided_at", "note"]
        read_only_fields = fields


class DecisionInputSerializer(StrictInputSerializer):
    note = serializers.CharField(
        max_length=services.NOTE_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="The reason, kept with the decision; required (10 characters or more) to reject an urgent insight.",
    )


class InsightListQuerySerializer(serializers.Serializer):
    session = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    status = serializers.ChoiceField(choices=InsightStatus.choices, required=False)


@extend_schema(tags=["clinical"])
class SessionInsightViewSet(viewsets.GenericViewSet):
    """Insights of the caller's clients' sessions. Created as drafts (by the analysis); only approved ones count."""

    serializer_class = SessionInsightSerializer
    lookup_value_regex = ID_PATH_REGEX

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SessionInsight.objects.none()
        return selectors.insights_of(clinician=self.request.user)

    def _insight(self, *, for_write: bool = False) -> SessionInsight:
        return selectors.insight_for(
            viewer=self.request.user, insight_id=int(self.kwargs["pk"]), where=self.request.path, for_write=for_write
        )

    def _data(self, insights: list[SessionInsight], *, many: bool = True):
        risk_selectors.with_evidence_context(insights, viewer=self.request.user, where=self.request.path)
        return SessionInsightSerializer(insights if many else insights[0], many=many).data

    @extend_schema(parameters=[InsightListQuerySerializer])
    def list(self, request):
        query = validated_query(InsightListQuerySerializer, request.query_params)
        insights = self.get_queryset()
        if "session" in query:
            insights = insights.filter(session_id=query["session"])
        if "status" in query:
            insights = insights.filter(status=query["status"])
        page = self.paginate_queryset(insights)
        return self.get_paginated_response(self._data(list(page)))

    def retrieve(self, request, pk=None):
        return Response(self._data([self._insight()], many=False))

    def _decide(self, request, decide) -> Response:
        serializer = DecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        insight = decide(insight=self._insight(for_write=True), by=request.user, note=serializer.validated_data["note"])
        return Response(self._data([insight], many=False))

    @extend_schema(request=DecisionInputSerializer, responses=SessionInsightSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the insight (the client's clinician only): it then counts in summaries and progress."""
        return self._decide(request, services.insight_approve)

    @extend_schema(request=DecisionInputSerializer, responses=SessionInsightSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject the insight (the client's clinician only); an urgent one only with a ``note`` saying why."""
        return self._decide(request, services.insight_reject)

    @extend_schema(responses=InsightDecisionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def decisions(self, request, pk=None):
        """Every decision made on the insight, oldest first, each with its reason: the insight holds only the
        current one."""
        decisions = selectors.insight_decisions(self._insight())
        return Response(InsightDecisionSerializer(decisions, many=True).data)
