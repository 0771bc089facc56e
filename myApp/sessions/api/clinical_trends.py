"""A client's emotion trends, progress metrics and summary on the API (``clinical_trends``): analysed sessions,
the client's own speech, approved insights only. The actions live on ``ClientViewSet`` (reads: the clinician,
or staff as a recorded staff operation; anyone else 404)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from myApp.sessions import clinical_trends as trends
from myApp.sessions.clinical.scales import EMOTIONS

EmotionMeansSerializer = type(
    "EmotionMeansSerializer",
    (serializers.Serializer,),
    {
        "__module__": __name__,
        "__doc__": "Mean score of each emotion, 0 .. 1.",
        **{emotion: serializers.FloatField(allow_null=True) for emotion in EMOTIONS},
    },
)


class TrendPointSerializer(serializers.Serializer):
    session_id = serializers.IntegerField()
    date = serializers.DateTimeField()
    sentences = serializers.IntegerField(help_text="The client's analysed sentences in the session.")
    sentiment = serializers.FloatField(allow_null=True, help_text="Mean VADER compound score, -1 .. 1.")
    emotions = EmotionMeansSerializer()


class EmotionTrendsSerializer(serializers.Serializer):
    trends = TrendPointSerializer(many=True)


class ProgressSessionSerializer(serializers.Serializer):
    session_id = serializers.IntegerField()
    date = serializers.DateTimeField()
    approved_insights = serializers.IntegerField()
    distortions = serializers.IntegerField()
    risk = serializers.IntegerField()
    sentiment = serializers.FloatField(allow_null=True)


class ProgressInsightSerializer(serializers.Serializer):
    session_id = serializers.IntegerField()
    date = serializers.DateTimeField()
    insight = serializers.CharField()
    confidence = serializers.FloatField()
    recommendations = serializers.JSONField()


class ProgressChangeSerializer(serializers.Serializer):
    from_session = serializers.IntegerField()
    to_session = serializers.IntegerField()
    sentiment_change = serializers.FloatField(allow_null=True)
    distortion_change = serializers.IntegerField()


class ProgressMetricsSerializer(serializers.Serializer):
    sessions = ProgressSessionSerializer(many=True)
    progress = ProgressInsightSerializer(many=True)
    change = ProgressChangeSerializer(allow_null=True)


class SessionStatsSerializer(serializers.Serializer):
    total_sessions = serializers.IntegerField()
    avg_duration = serializers.FloatField(allow_null=True)
    last_session = serializers.DateTimeField(allow_null=True)
    completed_sessions = serializers.IntegerField()
    analysed_sessions = serializers.IntegerField()


class KeywordCountSerializer(serializers.Serializer):
    term = serializers.CharField()
    sentences = serializers.IntegerField()


class SentimentSummarySerializer(serializers.Serializer):
    count = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    min = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)
    positive = serializers.IntegerField()
    neutral = serializers.IntegerField()
    negative = serializers.IntegerField()


class EmotionSummarySerializer(serializers.Serializer):
    count = serializers.IntegerField()
    means = EmotionMeansSerializer()
    dominant = serializers.CharField(allow_null=True)


class ApprovedInsightsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_type = serializers.DictField(child=serializers.IntegerField())
    by_priority = serializers.DictField(child=serializers.IntegerField())


class ClientSummarySerializer(serializers.Serializer):
    session_stats = SessionStatsSerializer()
    keyword_frequency = KeywordCountSerializer(many=True)
    sentiment = SentimentSummarySerializer()
    emotions = EmotionSummarySerializer()
    approved_insights = ApprovedInsightsSerializer()


class ClientTrendsMixin:
    """``GET /api/v1/clients/{id}/emotion-trends/``, ``.../progress-metrics/``, ``.../summary/``."""

    @extend_schema(responses=EmotionTrendsSerializer)
    @action(detail=True, methods=["get"], url_path="emotion-trends")
    def emotion_trends(self, request, pk=None):
        """Per analysed session, in date order: the client's mean sentiment and emotion scores."""
        return Response(EmotionTrendsSerializer({"trends": trends.emotion_trends(self._client())}).data)

    @extend_schema(responses=ProgressMetricsSerializer)
    @action(detail=True, methods=["get"], url_path="progress-metrics")
    def progress_metrics(self, request, pk=None):
        """Approved insights per analysed session, approved progress insights, first-to-last change."""
        return Response(ProgressMetricsSerializer(trends.progress_metrics(self._client())).data)

    @extend_schema(responses=ClientSummarySerializer)
    @action(detail=True, methods=["get"])
    def summary(self, request, pk=None):
        """Session stats, keyword frequency, sentiment and emotions of the client's speech, approved insights."""
        return Response(ClientSummarySerializer(trends.client_summary(self._client())).data)
