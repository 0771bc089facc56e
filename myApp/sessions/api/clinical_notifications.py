"""A clinician's notifications on the API: list (unread first) and mark read. Own rows only: anyone else's
notification is 404 (``risk_selectors``)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from myApp.lib.api import ID_PATH_REGEX, validated_query
from myApp.sessions import risk_selectors
from myApp.sessions.models import ClinicianNotification
from myApp.sessions.services.clinical.notifications import notification_mark_read, notifications_mark_all_read


class NotificationSerializer(serializers.ModelSerializer):
    client = serializers.IntegerField(source="insight.client_id", read_only=True)
    title = serializers.CharField(source="insight.title", read_only=True)
    unread = serializers.SerializerMethodField(help_text="Not opened yet.")
    waiting = serializers.SerializerMethodField(
        help_text="Waits for you: not opened, the insight not yet decided, and the client still on your caseload "
        "(what the pages' badge counts)."
    )

    class Meta:
        model = ClinicianNotification
        fields = ["id", "insight", "client", "title", "unread", "waiting", "created_at", "read_at", "email_sent_at"]
        read_only_fields = fields

    def get_unread(self, notification: ClinicianNotification) -> bool:
        return notification.read_at is None

    def get_waiting(self, notification: ClinicianNotification) -> bool:
        # Annotated by the selectors (``risk_selectors.WAITING``); marking it read ends the wait.
        return notification.read_at is None and bool(getattr(notification, "waiting", False))


class NotificationListQuerySerializer(serializers.Serializer):
    # Absent means both (DRF's BooleanField reads an absent query parameter as False unless given a default).
    unread = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="Not opened yet.")
    waiting = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Waiting for you (not opened, undecided, client on your caseload): the pages' badge.",
    )


@extend_schema(tags=["clinical"])
class ClinicianNotificationViewSet(viewsets.GenericViewSet):
    """The caller's notifications of urgent insights, those waiting for them first (``?waiting=true``: only those,
    the count the pages' badge shows; ``?unread=true``: those not opened)."""

    serializer_class = NotificationSerializer
    lookup_value_regex = ID_PATH_REGEX

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ClinicianNotification.objects.none()
        return risk_selectors.notifications_of(user=self.request.user)

    @extend_schema(parameters=[NotificationListQuerySerializer])
    def list(self, request):
        query = validated_query(NotificationListQuerySerializer, request.query_params)
        notifications = self.get_queryset()
        if query.get("unread") is not None:
            notifications = notifications.filter(read_at__isnull=query["unread"])
        if query.get("waiting") is not None:
            waiting = risk_selectors.WAITING
            notifications = notifications.filter(waiting) if query["waiting"] else notifications.exclude(waiting)
        page = self.paginate_queryset(notifications)
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(NotificationSerializer(self._notification()).data)

    def _notification(self) -> ClinicianNotification:
        return risk_selectors.notification_for(
            viewer=self.request.user, notification_id=int(self.kwargs["pk"]), where=self.request.path
        )

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark the notification read (the first time only)."""
        notification = notification_mark_read(notification=self._notification(), user=request.user)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: {"type": "object", "properties": {"marked": {"type": "integer"}}}})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all the caller's notifications read."""
        return Response({"marked": notifications_mark_all_read(user=request.user)})
