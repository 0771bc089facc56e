"""Admin building blocks shared by every app."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_permission_codename
from django.db import models
from django.db.models import Model
from django.http import HttpRequest

from myApp.lib.json_input import JSONFormField


class BoundedJSONMixin:
    """Every admin form (and inline) parses JSON fields with the API's bounds: no RecursionError (a 500) on
    deeply nested input, no NUL or NaN that PostgreSQL would refuse. ``tests/test_admin_json.py`` checks that
    every registered admin and inline uses it.

    The changelist's date drill-down is bounded too: Django computes the next year (or month, day) of the one in
    the address, so ``?date__year=9999`` raised ValueError (year 10000) and a 20-digit year OverflowError, both
    500s; they now get the admin's own answer to a bad filter (back to the list, "?e=1")."""

    formfield_overrides = {models.JSONField: {"form_class": JSONFormField}}

    def get_changelist_instance(self, request: HttpRequest):
        try:
            return super().get_changelist_instance(request)
        except (ValueError, OverflowError) as error:
            field = getattr(self, "date_hierarchy", None)
            if field and any(key.startswith(f"{field}__") for key in request.GET):
                raise IncorrectLookupParameters(str(error)) from error
            raise


class ReadOnlyMixin:
    """Rows only services write: staff may look at them and never add or edit one by hand. Fits a
    ``ModelAdmin`` and an inline alike; deleting keeps its own permission."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ServiceStateAdmin(ReadOnlyMixin, BoundedJSONMixin, admin.ModelAdmin):
    """Rows only services write (learner progress, chats, events): staff inspect them and never add
    or edit them by hand. Admin actions that call a service are declared with
    ``@admin.action(permissions=["operate"])`` and need the model's change permission.

    Deleting stays with the delete permission, so deleting a user (which cascades) keeps working.
    """

    list_per_page = 50
    show_full_result_count = False

    def has_operate_permission(self, request: HttpRequest) -> bool:
        codename = get_permission_codename("change", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")


class ReadOnlyInline(ReadOnlyMixin, BoundedJSONMixin, admin.TabularInline):
    """Rows a service wrote, listed under their parent for inspection, each linking to its own page.
    Subclasses name ``model`` and ``fields``; every field is shown read-only."""

    extra = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return list(self.fields)  # includes audit fields a form could not even contain


class HiddenFieldsMixin:
    """Fields that never leave the server, not even as an answer to an admin filter in the URL: a
    ``?digest__startswith=a`` lookup would tell staff a secret's hash one character at a time."""

    hidden_fields: tuple[str, ...] = ()

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        if any(part in self.hidden_fields for part in lookup.split("__")):
            return False
        return super().lookup_allowed(lookup, value, request)
