"""Shared curriculum admin pieces: read-only learner state, cheap dropdowns, the learner action form."""

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers

from myApp.curriculum import selectors
from myApp.curriculum.models import Lesson, Module
from myApp.lib.admin import BoundedJSONMixin, ServiceStateAdmin

# Dropdowns whose labels read a related row (a module's label names its level) load it in the same query.
CHOICE_QUERYSETS = {Module: selectors.modules, Lesson: selectors.lessons}


class CheapChoicesMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = CHOICE_QUERYSETS.get(db_field.related_model)
        if queryset is not None and "queryset" not in kwargs:
            kwargs["queryset"] = queryset()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ContentAdmin(BoundedJSONMixin, CheapChoicesMixin, admin.ModelAdmin):
    """Staff-managed content: editable, with the audit timestamps shown read-only."""

    readonly_fields = ["created_at", "updated_at"]


class LearnerStateAdmin(CheapChoicesMixin, ServiceStateAdmin):
    """Learner state (progress, entries, attempts, submissions, sessions): written only by the
    curriculum services, inspected here."""


class LearnerActionForm(helpers.ActionForm):
    """The changelist's action bar with a learner to act for (used by "unlock for learner")."""

    learner = forms.CharField(
        required=False,
        label="Learner",
        help_text="Username of the learner the action is for.",
        widget=forms.TextInput(attrs={"placeholder": "learner username", "size": 18}),
    )
