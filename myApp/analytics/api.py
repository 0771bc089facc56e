"""Analytics API: clients send telemetry in batches."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from myApp.analytics import services
from myApp.lib.api import StrictInputSerializer
from myApp.lib.throttling import UserRateThrottle


class TelemetryRateThrottle(UserRateThrottle):
    """Batches per signed-in user (``THROTTLE_TELEMETRY_RATE``)."""

    scope = "telemetry"


class TelemetryEventInputSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=64, help_text="e.g. screen.view or lesson_player:pause")
    module_code = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    properties = serializers.JSONField(required=False, default=dict, help_text="A small JSON object (2 KB).")


class TelemetryBatchSerializer(StrictInputSerializer):
    events = TelemetryEventInputSerializer(many=True, max_length=services.MAX_TELEMETRY_BATCH)


class TelemetryViewSet(viewsets.GenericViewSet):
    """``POST /api/v1/telemetry/``: a batch of client events, recorded in one statement."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [TelemetryRateThrottle]
    serializer_class = TelemetryBatchSerializer

    @extend_schema(
        request=TelemetryBatchSerializer,
        responses={201: inline_serializer("TelemetryAccepted", {"recorded": serializers.IntegerField()})},
        description=(
            f"Record 1 to {services.MAX_TELEMETRY_BATCH} events at once, all or none: names from the allowed "
            "pattern, properties a JSON object of at most 2 KB and 4 levels."
        ),
    )
    def create(self, request):
        data = TelemetryBatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        recorded = services.telemetry_record_batch(user=request.user, events=data.validated_data["events"])
        return Response({"recorded": recorded}, status=status.HTTP_201_CREATED)
