"""Shared curriculum admin pieces: read-only learner state, cheap dropdowns, the learner action form."""

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from myApp.curriculum import selectors, services
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


def _field_values(form, names) -> dict:
    """The form's cleaned values of the model fields among ``names`` (not the pk, nor an inline's DELETE)."""
    model_fields = {field.name for field in form._meta.model._meta.concrete_fields if not field.primary_key}
    return {name: form.cleaned_data[name] for name in names if name in model_fields and name in form.cleaned_data}


class TeachingContentAdmin(ContentAdmin):
    """Levels, modules, lessons and knowledge blocks, saved and deleted through the content services
    (as the content API does), inline rows included: the same checks, and lesson steps stored the same way."""

    def _create(self, request: HttpRequest, form) -> None:
        created = services.content_create(
            model=form._meta.model, by=request.user, **_field_values(form, form.cleaned_data)
        )
        form.instance.pk = created.pk  # the admin goes on to log and redirect with the form's instance
        form.instance.refresh_from_db()

    def _save_form(self, request: HttpRequest, form) -> None:
        if form.instance.pk is None:
            self._create(request, form)
        else:
            services.content_update(instance=form.instance, by=request.user, **_field_values(form, form.changed_data))

    def save_model(self, request: HttpRequest, obj: Model, form, change: bool) -> None:
        self._save_form(request, form)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        formset.save(commit=False)  # sorts the rows into new, changed and deleted, writing nothing
        for row in formset.deleted_objects:
            services.content_delete(instance=row, by=request.user)
        for row_form in formset.forms:
            if row_form in formset.deleted_forms or not row_form.has_changed():
                continue
            self._save_form(request, row_form)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        services.content_delete(instance=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for row in queryset:
            services.content_delete(instance=row, by=request.user)


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
