"""Admin for clinical sessions: staff operations on clients (hand a caseload over, link a platform account),
and inspection of sessions, transcripts, insights and status changes.

Transcripts, insights and status changes are written by the clinical services only, so they are read-only here;
approving or rejecting an insight is the client's clinician's decision, never staff's. Nothing searches
transcript text (it is clinical data): rows are found by client name, clinician or id.
"""

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from myApp.lib.admin import BoundedJSONMixin, ReadOnlyInline, ServiceStateAdmin
from myApp.lib.exceptions import ServiceError
from myApp.sessions import risk_selectors
from myApp.sessions.models import (
    Client,
    ClientProfile,
    ClinicalRetentionPolicy,
    ClinicianNotification,
    InsightDecision,
    SessionInsight,
    SessionSentence,
    SessionStatusChange,
    TherapySession,
)
from myApp.sessions.services.clinical import client_staff_update, require_may_take_clients


class NoClinicalTextLookups:
    """The docstring's promise held for the address bar too: Django lets a changelist filter on any field of its
    model from the URL (``?text__icontains=...``), which searched transcripts, a client's notes and a chat alert's
    evidence. Such a lookup is refused (400), like any lookup the admin does not allow."""

    clinical_text_fields: tuple[str, ...] = ()

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        if lookup.split("__")[0] in self.clinical_text_fields:
            return False
        return super().lookup_allowed(lookup, value, request)


class ClientProfileInline(BoundedJSONMixin, admin.StackedInline):
    model = ClientProfile
    can_delete = False
    extra = 0


class ClientAdminForm(forms.ModelForm):
    """A caseload is handed over only to an active psychologist, the rule ``client_create`` applies
    (``require_may_take_clients``): handing it to staff, a learner or the deactivated clinician left its alerts
    reaching nobody while the admin said "changed successfully". A client whose clinician is gone is saved only
    once handed over."""

    def clean_clinician(self):
        clinician = self.cleaned_data["clinician"]
        try:
            require_may_take_clients(clinician)
        except ServiceError as error:
            raise forms.ValidationError(error.detail) from None
        return clinician


@admin.register(Client)
class ClientAdmin(NoClinicalTextLookups, BoundedJSONMixin, admin.ModelAdmin):
    form = ClientAdminForm
    clinical_text_fields = ("clinical_notes", "risk_factors", "treatment_history", "demographics")
    list_display = ["display_name", "clinician", "user", "age", "created_at", "discharged_at"]
    list_select_related = ["clinician", "user"]
    search_fields = ["display_name", "clinician__username", "user__username"]
    list_filter = ["created_at"]
    raw_id_fields = ["clinician", "user"]
    readonly_fields = ["former_names", "created_at", "updated_at", "discharged_at"]
    inlines = [ClientProfileInline]
    fieldsets = [
        (None, {"fields": ["display_name", "age", "gender", "clinician", "user"]}),
        ("Clinical record", {"fields": ["clinical_notes", "risk_factors", "treatment_history", "demographics"]}),
        ("History", {"fields": ["former_names", "created_at", "updated_at", "discharged_at"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # The clinician renames a client (clients.client_update keeps the old name as a label of their speech);
        # staff hand a client over (clinician) and link their account (user).
        return [*self.readonly_fields, "display_name"] if obj is not None else list(self.readonly_fields)

    list_per_page = 50
    show_full_result_count = False

    def save_model(self, request: HttpRequest, obj: Client, form, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        client_staff_update(client=obj, changed=[name for name in form.changed_data if name in form.fields])


@admin.register(ClientProfile)
class ClientProfileAdmin(BoundedJSONMixin, admin.ModelAdmin):
    list_display = ["client", "updated_at"]
    list_select_related = ["client"]
    search_fields = ["client__display_name"]
    raw_id_fields = ["client"]
    readonly_fields = ["created_at", "updated_at"]


class StatusChangeInline(ReadOnlyInline):
    model = SessionStatusChange
    fields = ["created_at", "field", "from_status", "to_status", "by", "reason"]
    ordering = ["created_at", "id"]


class DecisionInline(ReadOnlyInline):
    model = InsightDecision
    fields = ["decided_at", "status", "decided_by", "note"]
    ordering = ["id"]  # the order they took effect (``clinical_selectors.insight_decisions``)


@admin.register(TherapySession)
class TherapySessionAdmin(BoundedJSONMixin, admin.ModelAdmin):
    """Scheduling details may be corrected; transcript and analysis statuses are the services' alone."""

    list_display = ["client", "date", "session_type", "status", "transcript_status", "analysis_status"]
    list_select_related = ["client"]
    list_filter = ["status", "session_type", "transcript_status", "analysis_status"]
    search_fields = ["client__display_name", "client__clinician__username"]
    raw_id_fields = ["client"]
    date_hierarchy = "date"
    readonly_fields = ["status", "transcript_status", "analysis_status", "analysis_error", "created_at", "updated_at"]
    inlines = [StatusChangeInline]
    list_per_page = 50
    show_full_result_count = False


@admin.register(SessionSentence)
class SessionSentenceAdmin(NoClinicalTextLookups, ServiceStateAdmin):
    clinical_text_fields = ("text", "search_vector", "keywords")
    list_display = ["session", "sequence_number", "start_ms", "end_ms", "speaker", "short_text", "sentiment"]
    list_select_related = ["session__client"]
    search_fields = ["=session__id", "session__client__display_name"]
    raw_id_fields = ["session"]
    ordering = ["-session_id", "sequence_number"]

    @admin.display(description="text")
    def short_text(self, sentence: SessionSentence) -> str:
        return sentence.text[:80]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return [field.name for field in self.model._meta.fields if field.name != "search_vector"]

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return self.get_readonly_fields(request, obj)


class SeenByNoClinician(admin.SimpleListFilter):
    """Undecided urgent insights no clinician sees (``risk_selectors.urgent_insights_seen_by_no_clinician``): the
    admin index links here while there are any, so the caseload is handed over."""

    title = "seen by no clinician"
    parameter_name = "unseen_urgent"

    def lookups(self, request, model_admin):
        return [("1", "Urgent, undecided, clinician inactive")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(pk__in=risk_selectors.urgent_insights_seen_by_no_clinician().values("pk"))
        return queryset


@admin.register(SessionInsight)
class SessionInsightAdmin(NoClinicalTextLookups, ServiceStateAdmin):
    clinical_text_fields = ("evidence", "description", "decision_note")
    inlines = [DecisionInline]
    list_display = [
        "title",
        "client",
        "session",
        "source",
        "insight_type",
        "intervention_priority",
        "status",
        "created_at",
    ]
    list_select_related = ["client", "session"]
    list_filter = [SeenByNoClinician, "status", "source", "insight_type", "intervention_priority", "therapeutic_method"]
    search_fields = ["title", "client__display_name"]
    raw_id_fields = ["client", "session", "evidence_sentence", "reviewed_by"]
    readonly_fields = [
        "client",
        "session",
        "source",
        "source_key",
        "created_at",
        "insight_type",
        "confidence",
        "severity",
        "title",
        "description",
        "evidence",
        "evidence_sentence",
        "recommendation_list",
        "therapeutic_method",
        "intervention_priority",
        "status",
        "reviewed_by",
        "reviewed_at",
        "decision_note",
    ]
    exclude = ["recommendations"]  # shown as a list (``recommendation_list``), not as JSON

    @admin.display(description="Recommendations")
    def recommendation_list(self, insight: SessionInsight):
        items = insight.recommendations if isinstance(insight.recommendations, list) else []
        if not items:
            return "—"
        return format_html_join(mark_safe("<br>"), "• {}", ((str(item),) for item in items))


@admin.register(SessionStatusChange)
class SessionStatusChangeAdmin(ServiceStateAdmin):
    list_display = ["session", "field", "from_status", "to_status", "by", "created_at"]
    list_select_related = ["session__client", "by"]
    list_filter = ["field", "to_status"]
    search_fields = ["=session__id", "session__client__display_name"]
    readonly_fields = ["session", "field", "from_status", "to_status", "by", "reason", "created_at"]


@admin.register(ClinicianNotification)
class ClinicianNotificationAdmin(ServiceStateAdmin):
    """Read only: notifications are made by the risk path and read by their clinician."""

    list_display = ["recipient", "insight", "created_at", "read_at", "email_sent_at"]
    list_select_related = ["recipient", "insight"]
    list_filter = ["read_at", "email_sent_at"]
    search_fields = ["recipient__username", "=insight__id"]
    readonly_fields = ["recipient", "insight", "created_at", "read_at", "email_sent_at"]


@admin.register(ClinicalRetentionPolicy)
class ClinicalRetentionPolicyAdmin(ServiceStateAdmin):
    """Read only: each clinician sets their own on their client list (``services.clinical.retention``)."""

    list_display = ["clinician", "keep_years", "updated_at"]
    list_select_related = ["clinician"]
    list_filter = ["keep_years"]
    search_fields = ["clinician__username"]
    readonly_fields = ["clinician", "keep_years", "updated_at"]
