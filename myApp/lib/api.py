"""Base classes every app's API builds on: permissions, owner filtering, strict input."""

from django.db.models import QuerySet
from rest_framework import permissions, serializers, status, viewsets

from myApp.lib.selectors import owned_by


class IsStaffOrReadOnly(permissions.BasePermission):
    """Content (courses, levels, ...) is readable by every user and managed by staff."""

    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or bool(request.user and request.user.is_staff)


class OwnedViewSet(viewsets.GenericViewSet):
    """A viewset over rows that belong to users.

    ``owner_fields`` names the user foreign keys that make a row someone's own
    (any of them matches). Non-staff users only ever see their own rows, so an
    outsider asking for another user's row gets 404, never the row. Subclasses
    provide ``base_queryset()`` (normally an app selector) instead of
    ``queryset``.
    """

    owner_fields: tuple[str, ...] = ("user",)
    permission_classes = [permissions.IsAuthenticated]

    def base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return self.base_queryset().none()
        return owned_by(self.base_queryset(), user=self.request.user, owner_fields=self.owner_fields)


class StrictInputSerializer(serializers.Serializer):
    """An input serializer that answers 400 for fields it does not accept.

    DRF silently drops unknown keys; for writes that would hide a client's
    mistake (e.g. trying to set ``coins``), so they are named in the error.
    """

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError({name: ["This field cannot be set here."] for name in unknown})
        return super().to_internal_value(data)


def created_status(created: bool) -> int:
    """201 when the call made the row, 200 when an idempotent call found it already there."""
    return status.HTTP_201_CREATED if created else status.HTTP_200_OK
