"""Base classes every app's API builds on: permissions, owner filtering, strict input."""

import functools
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.datastructures import MultiValueDict
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.fields import empty

from myApp.lib import access, json_input
from myApp.lib.exceptions import NotAllowed

# A row id in a URL a view turns into an int itself (``lookup_value_regex``): at most 19 digits, as many as
# the largest bigint has. Unbounded, ``int()`` of a 5000-digit id raises ValueError (a 500, not a 404).
ID_PATH_REGEX = r"[0-9]{1,19}"


class IsStaffOrReadOnly(permissions.BasePermission):
    """Content (courses, levels, ...) is readable by every user and managed by staff."""

    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or bool(request.user and request.user.is_staff)


class OwnedViewSet(viewsets.GenericViewSet):
    """A viewset over rows that belong to users: every caller sees their own rows only.

    ``owner_fields`` names the user foreign keys that make a row someone's own
    (any of them matches). The filter is ``lib.access.owned_by``: staff get no
    bypass here (they see other people's rows in the admin), so anyone asking
    for another user's row gets 404, never the row. Subclasses provide
    ``base_queryset()`` (normally an app selector) instead of ``queryset``.
    """

    owner_fields: tuple[str, ...] = ("user",)
    permission_classes = [permissions.IsAuthenticated]

    def base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return self.base_queryset().none()
        return access.owned_by(self.base_queryset(), user=self.request.user, owner_fields=self.owner_fields)


class UserReferenceField(serializers.IntegerField):
    """Input that names a user by id, resolved only once the caller may name that user.

    ``others_allowed(actor)`` says whether the caller may name anyone but themselves. It is asked
    before the id is looked up, so a caller who may not gets 403 for every id, existing or not
    (a 400 "no such user" next to a 403 would tell them which ids exist). Needs the request in the
    serializer's context.
    """

    default_error_messages = {"does_not_exist": "No user with id {pk_value}."}

    def __init__(self, *, others_allowed: Callable[..., bool], **kwargs):
        self.others_allowed = others_allowed
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        user_id = super().to_internal_value(data)
        actor = self.context["request"].user
        if not access.may_name_user(actor=actor, user_id=user_id, others_allowed=self.others_allowed(actor)):
            raise NotAllowed(
                "You may not name another user here.", errors={self.field_name: ["You can only name yourself."]}
            )
        user = get_user_model().objects.filter(pk=user_id).first()
        if user is None:
            self.fail("does_not_exist", pk_value=user_id)
        return user

    def to_representation(self, value):
        return value.pk


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


class JSONObjectField(serializers.DictField):
    """A JSON object: sent as an object in JSON bodies, as a JSON string of one in multipart forms.

    DRF's DictField reads a form body as ``<name>.<key>`` fields (``parse_html_dict``), so a JSON string sent as
    the field itself would be ignored (an empty object); this field reads the form's one value and parses it.
    ``child`` validates the values, as for a DictField."""

    default_error_messages = {"invalid": "Send a JSON object."}

    def get_value(self, dictionary):
        return serializers.Field.get_value(self, dictionary)

    def to_internal_value(self, data):
        return super().to_internal_value(_json_text(self, data, dict))


class JSONListField(serializers.ListField):
    """A JSON list: sent as a list in JSON bodies, as a JSON string of one in multipart forms (DRF's ListField
    would take a form's value as a list of one string, or read ``<name>[0]`` fields)."""

    default_error_messages = {"invalid": "Send a JSON list."}

    def get_value(self, dictionary):
        return serializers.Field.get_value(self, dictionary)

    def to_internal_value(self, data):
        return super().to_internal_value(_json_text(self, data, list))


def _json_text(field: serializers.Field, data, kind: type):
    """``data`` parsed when it is JSON text (a multipart form's value); refused unless it is a ``kind``."""
    if isinstance(data, bytes | str):
        try:
            data = json_input.loads(data)
        except json_input.JSONInputError as error:  # well-formed JSON past a limit: say which, and where
            where = f" (at {error.path})" if error.path else ""
            raise serializers.ValidationError(f"{error.message}{where}") from None
        except ValueError:
            field.fail("invalid")
    if not isinstance(data, kind):
        field.fail("invalid")
    return data


def created_status(created: bool) -> int:
    """201 when the call made the row, 200 when an idempotent call found it already there."""
    return status.HTTP_201_CREATED if created else status.HTTP_200_OK


# --- Query strings ------------------------------------------------------------------------------------------
#
# Validating a query string through a DRF serializer deep-copies its declared fields every time: on the cached
# history read that was about a seventh of the request's CPU (measured in process: 1.14 -> 1.00 ms). A query
# serializer whose fields are scalars without a callable default is a pure function of the query string (a
# default like ``now`` is evaluated per request, a list could be changed by its caller: such serializers are
# validated every time), so its answer for a query string seen before is taken from a bounded memo. Invalid
# input is never remembered: it raises afresh every time.

QUERY_MEMO_SIZE = 1024


def validated_query(serializer_class: type[serializers.Serializer], query_params) -> dict:
    """``serializer_class(data=query_params)``'s validated data (ValidationError, a 400, when invalid)."""
    if not _pure(serializer_class):
        return _validate(serializer_class, query_params)
    return dict(
        _remembered(serializer_class, tuple(sorted((key, tuple(values)) for key, values in query_params.lists())))
    )


def _validate(serializer_class: type[serializers.Serializer], data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# Fields whose validated values are immutable, so a remembered answer cannot be changed by its callers.
_SCALAR_FIELDS = (
    serializers.BooleanField,
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.DecimalField,
    serializers.FloatField,
    serializers.IntegerField,
    serializers.UUIDField,
)


@functools.cache
def _pure(serializer_class: type[serializers.Serializer]) -> bool:
    fields = serializer_class().fields.values()
    return all(isinstance(field, _SCALAR_FIELDS) and not _callable_default(field) for field in fields)


def _callable_default(field: serializers.Field) -> bool:
    return field.default is not empty and callable(field.default)  # ``empty`` (no default) is a class


@functools.lru_cache(maxsize=QUERY_MEMO_SIZE)
def _remembered(serializer_class: type[serializers.Serializer], lists: tuple) -> dict:
    return _validate(serializer_class, MultiValueDict({key: list(values) for key, values in lists}))
