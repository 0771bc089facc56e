"""Analytics API: clients send telemetry in batches."""

from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from myApp.analytics import dashboard, services
from myApp.lib import access
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


class StaffOrNotFound(BasePermission):
    """Staff operators only; anyone else gets 404, whatever the method (checked before DRF's 405), as for a
    route that does not exist."""

    def has_permission(self, request, view) -> bool:
        if not access.is_staff_operator(request.user):
            raise NotFound()
        return True


@method_decorator(never_cache, name="dispatch")
class AdminDashboardView(APIView):
    """Seed 004's ``GET /api/admin/dashboard``: the staff dashboard's figures (``analytics.dashboard``). Staff
    only; everyone else, signed in or not, gets 404 as for a page that does not exist. Never cached by a browser
    or a proxy: it names the newest users."""

    permission_classes = [StaffOrNotFound]

    @extend_schema(
        tags=["admin"],
        responses={
            200: inline_serializer(
                "AdminDashboard",
                {
                    "status": serializers.CharField(),
                    "timestamp": serializers.DateTimeField(help_text="When the figures were computed (cached 30 s)."),
                    "data": serializers.JSONField(),
                },
            ),
            404: OpenApiResponse(description="Not staff."),
        },
    )
    def get(self, request):
        computed_at, figures = dashboard.dashboard()
        return Response({"status": "success", "timestamp": computed_at.isoformat(), "data": figures})
