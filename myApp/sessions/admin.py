"""Admin for chat: conversations (with their messages inline), messages and module completions.

Chat content is personal data written only by the services, so staff read it here and never add
or edit it. The writes are an action that ends conversations (``conversation_end``) and deleting
a conversation, which goes through ``conversations_delete`` so its cached history goes too.
Messages and completions are deleted with their conversation (or their user), never one by one:
a lone deleted message would leave the conversation's counters and cached history wrong.
Nothing searches message text; conversations are found by session id or username.
"""

import json
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from myApp.lib.admin import ReadOnlyInline, ServiceStateAdmin
from myApp.sessions import expiry, services
from myApp.sessions.models import Conversation, Message, ModuleCompletion, WellbeingModule

MODULE_LABELS = dict(WellbeingModule.choices)


def pretty_json(data: Any) -> SafeString:
    return format_html("<pre>{}</pre>", json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))


def _status_row(module_id: str, entry: Any) -> tuple:
    entry = entry if isinstance(entry, dict) else {}
    return (
        MODULE_LABELS.get(module_id, module_id),
        entry.get("recommended_at") or "—",
        entry.get("completed_at") or "—",
        pretty_json(entry["completion_data"]) if "completion_data" in entry else "—",
    )


class ChatAdmin(ServiceStateAdmin):
    """Chats are personal data written by the chat services: read-only here."""


class DeletedWithConversationAdmin(ChatAdmin):
    """Rows that go only with their conversation: the delete permission stays (so deleting a user or a
    conversation can cascade to them), but there is no way to delete one on its own."""

    actions = None  # not even the site-wide "delete selected"

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None):
        raise PermissionDenied("Delete the conversation instead.")

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None):
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "show_delete": False})


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ["created_at", "role", "message_type", "content", "safety_flag", "model_used", "tokens_used"]
    ordering = ["created_at", "id"]


class LiveFilter(admin.SimpleListFilter):
    """Live or over, as ``expiry.live`` decides (nothing stored says it)."""

    title = "live"
    parameter_name = "live"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Live"), ("no", "Ended or timed out")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Conversation]) -> QuerySet[Conversation]:
        if self.value() == "yes":
            return queryset.filter(expiry.live())
        if self.value() == "no":
            return queryset.exclude(expiry.live())
        return queryset


@admin.register(Conversation)
class ConversationAdmin(ChatAdmin):
    list_display = [
        "session_id",
        "user",
        "live",
        "device_type",
        "message_count",
        "modules_completed",
        "started_at",
        "last_activity_at",
    ]
    list_select_related = ["user"]
    list_filter = [LiveFilter, "device_type"]
    search_fields = ["session_id", "user__username"]
    raw_id_fields = ["user", "current_course"]
    fieldsets = [
        ("Session", {"fields": ["session_id", "user", "live", "current_course"]}),
        ("Client", {"fields": ["device_type", "ip_address", "client_reported_ip", "user_agent"]}),
        (
            "Activity",
            {"fields": ["message_count", "started_at", "last_activity_at", "expires", "ended_at", "updated_at"]},
        ),
        ("Guided modules", {"fields": ["module_status_table"]}),
    ]
    readonly_fields = [name for _, section in fieldsets for name in section["fields"]]
    inlines = [MessageInline]
    actions = ["end_conversations"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Conversation]:
        return expiry.with_liveness(super().get_queryset(request))

    @admin.display(description="live", boolean=True)
    def live(self, conversation: Conversation) -> bool:
        return conversation.is_live

    @admin.display(description="times out at")
    def expires(self, conversation: Conversation) -> Any:
        return expiry.expires_at(conversation) or "—"

    @admin.display(description="modules done")
    def modules_completed(self, conversation: Conversation) -> str:
        done = sum(
            1 for entry in conversation.module_status.values() if isinstance(entry, dict) and entry.get("completed_at")
        )
        return f"{done}/{len(MODULE_LABELS)}"

    @admin.display(description="module status")
    def module_status_table(self, conversation: Conversation) -> SafeString | str:
        """``metadata.module_status`` as a table: one row per module, its dates and latest completion data."""
        status = conversation.module_status
        if not status:
            return "No guided module recommended or completed yet."
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            (_status_row(module_id, entry) for module_id, entry in sorted(status.items())),
        )
        return format_html(
            "<table><thead><tr><th>Module</th><th>Recommended at</th><th>Completed at</th>"
            "<th>Latest completion data</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.action(description="End selected conversations", permissions=["operate"])
    def end_conversations(self, request: HttpRequest, queryset: QuerySet[Conversation]) -> None:
        selected = list(queryset)
        active = [conversation for conversation in selected if conversation.ended_at is None]
        for conversation in active:
            services.conversation_end(conversation=conversation, by=request.user)
        already = len(selected) - len(active)
        note = f" {already} were already ended." if already else ""
        self.message_user(request, f"Ended {len(active)} conversation(s).{note}", messages.SUCCESS)

    def delete_model(self, request: HttpRequest, obj: Conversation) -> None:
        services.conversations_delete(conversation_ids=[obj.pk])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Conversation]) -> None:
        services.conversations_delete(conversation_ids=list(queryset.values_list("pk", flat=True)))


@admin.register(Message)
class MessageAdmin(DeletedWithConversationAdmin):
    list_display = ["created_at", "user", "session", "role", "safety_flag", "message_type", "model_used", "tokens_used"]
    list_select_related = ["user", "conversation"]
    # Staff review what the safety layer flagged (self-harm, abuse, harm to others) with this filter.
    list_filter = ["safety_flag", "role", "message_type", "model_used"]
    search_fields = ["conversation__session_id", "user__username"]  # never the content: it is personal
    raw_id_fields = ["user", "conversation", "course", "module"]
    fields = [
        "user",
        "conversation",
        "role",
        "message_type",
        "content",
        "safety_flag",
        "transcript",
        "audio_url",
        "course",
        "module",
        "metadata_pretty",
        "tokens_used",
        "model_used",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description="session", ordering="conversation__session_id")
    def session(self, message: Message) -> str:
        return str(message.conversation.session_id)

    @admin.display(description="metadata")
    def metadata_pretty(self, message: Message) -> SafeString:
        return pretty_json(message.metadata)


@admin.register(ModuleCompletion)
class ModuleCompletionAdmin(DeletedWithConversationAdmin):
    list_display = ["completed_at", "user", "module_id", "session"]
    list_select_related = ["user", "conversation"]
    list_filter = ["module_id"]
    search_fields = ["user__username", "conversation__session_id"]
    raw_id_fields = ["user", "conversation"]
    date_hierarchy = "completed_at"
    fields = ["user", "conversation", "module_id", "completed_at", "completion_data_pretty"]
    readonly_fields = fields

    @admin.display(description="session", ordering="conversation__session_id")
    def session(self, completion: ModuleCompletion) -> str:
        return str(completion.conversation.session_id)

    @admin.display(description="completion data")
    def completion_data_pretty(self, completion: ModuleCompletion) -> SafeString:
        return pretty_json(completion.completion_data)


from myApp.sessions import clinical_admin  # noqa: E402, F401  (registers the clinical admins)
