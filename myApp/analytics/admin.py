from django.contrib import admin

from myApp.analytics.models import AnalyticsEvent, TelemetryEvent
from myApp.lib.admin import ServiceStateAdmin


class _EventAdmin(ServiceStateAdmin):
    """Events are an audit trail: staff read and filter them, nobody edits them."""

    list_select_related = ["user"]
    raw_id_fields = ["user"]
    date_hierarchy = "created_at"


@admin.register(AnalyticsEvent)
class AnalyticsEventAdmin(_EventAdmin):
    list_display = ["event_type", "user", "created_at"]
    list_filter = ["event_type"]
    search_fields = ["event_type", "user__username"]
    readonly_fields = ["user", "event_type", "event_data", "created_at"]


@admin.register(TelemetryEvent)
class TelemetryEventAdmin(_EventAdmin):
    list_display = ["name", "module_code", "user", "created_at"]
    list_filter = ["name", "module_code"]
    search_fields = ["name", "module_code", "user__username"]
    readonly_fields = ["user", "name", "module_code", "properties", "created_at"]
