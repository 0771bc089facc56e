"""Admin for therapeutic quests. Everything here is written by services (a quest's graph is validated and
its YAML generated; reviews, ratings, plays and tracks follow rules), so staff look and never edit by
hand; approving or rejecting a review are actions that call the review services as the signed-in staff
member, who must be a psychologist."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from myApp.lib.admin import ReadOnlyInline, ServiceStateAdmin
from myApp.lib.exceptions import ServiceError
from myApp.quests import services
from myApp.quests.builder.svg import graph_svg
from myApp.quests.models import (
    PsychologistReview,
    Quest,
    QuestBuilderSession,
    QuestProgress,
    QuestRating,
    UserQuestLibrary,
    UserTrack,
)


def _graph_html(document) -> str:
    """Nodes and edges as two small tables, so staff read a quest's shape instead of its JSON."""
    if not isinstance(document, dict) or not document.get("nodes"):
        return "—"
    nodes = format_html_join(
        "",
        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (node.get("id"), node.get("type"), node.get("title"), node.get("reveal") or "")
            for node in document.get("nodes", [])
            if isinstance(node, dict)
        ),
    )
    edges = format_html_join(
        "",
        "<tr><td><code>{}</code></td><td><code>{}</code> → <code>{}</code></td><td>{}</td></tr>",
        (
            (edge.get("id"), edge.get("source"), edge.get("target"), edge.get("label") or "")
            for edge in document.get("edges", [])
            if isinstance(edge, dict)
        ),
    )
    return format_html(
        "<table><thead><tr><th>Node</th><th>Type</th><th>Title</th><th>Reveal</th></tr></thead>"
        "<tbody>{}</tbody></table>"
        "<table><thead><tr><th>Edge</th><th>From → to</th><th>Choice</th></tr></thead><tbody>{}</tbody></table>",
        nodes,
        edges,
    )


def _decide_each(model_admin: admin.ModelAdmin, request: HttpRequest, reviews, decide: Callable, verb: str) -> None:
    """Call the review service for each review; refusals (not a psychologist, already decided) are
    reported, never half-applied to one review."""
    done = 0
    refusals: list[str] = []
    for review in reviews:
        if review is None:
            refusals.append("a quest without a submitted review")
            continue
        try:
            decide(review=review, by=request.user)
        except ServiceError as refusal:
            refusals.append(f"{review}: {refusal.detail}")
        else:
            done += 1
    if done:
        model_admin.message_user(request, f"{verb} {done} review(s).", messages.SUCCESS)
    for refusal in refusals:
        model_admin.message_user(request, f"Not {verb.lower()}: {refusal}", messages.ERROR)


class ReviewInline(ReadOnlyInline):
    model = PsychologistReview
    fk_name = "quest"
    fields = (
        "reviewer",
        "reviewed_at",
        "emotional_safety_score",
        "therapeutic_correctness_score",
        "age_appropriateness_score",
        "reveal_timing_score",
        "is_approved",
        "decided_by",
        "decided_at",
    )
    ordering = ("-reviewed_at",)


@admin.register(Quest)
class QuestAdmin(ServiceStateAdmin):
    list_display = (
        "title",
        "quest_id",
        "creator",
        "psychological_module",
        "age_range",
        "moderation_status",
        "is_public",
        "psychologist_reviewed",
        "rating",
        "plays_count",
        "created_at",
    )
    list_filter = ("moderation_status", "is_public", "psychologist_reviewed", "psychological_module", "age_range")
    list_select_related = ("creator",)
    search_fields = ("title", "quest_id", "location", "creator__username")
    raw_id_fields = ("creator",)
    date_hierarchy = "created_at"
    inlines = (ReviewInline,)
    fields = (
        "quest_id",
        "title",
        "creator",
        "psychological_module",
        "age_range",
        "location",
        "is_public",
        "moderation_status",
        "psychologist_reviewed",
        "psychologist_review",
        "reviewed_at",
        "rating",
        "plays_count",
        "reveal_count",
        "last_reveal_at",
        "graph",
        "quest_yaml",
        "graph_structure",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    actions = ("approve_current_review", "reject_current_review")

    @admin.display(description="Graph (nodes and edges)")
    def graph(self, obj: Quest) -> str:
        return _graph_html(obj.graph_structure)

    @admin.action(description="Approve the current review of the selected quests", permissions=["operate"])
    def approve_current_review(self, request: HttpRequest, queryset: QuerySet[Quest]) -> None:
        quests = queryset.select_related("psychologist_review")
        _decide_each(
            self, request, [quest.psychologist_review for quest in quests], services.review_approve, "Approved"
        )

    @admin.action(description="Reject the current review of the selected quests", permissions=["operate"])
    def reject_current_review(self, request: HttpRequest, queryset: QuerySet[Quest]) -> None:
        quests = queryset.select_related("psychologist_review")
        _decide_each(self, request, [quest.psychologist_review for quest in quests], services.review_reject, "Rejected")


@admin.register(PsychologistReview)
class PsychologistReviewAdmin(ServiceStateAdmin):
    list_display = (
        "quest",
        "reviewer",
        "emotional_safety_score",
        "therapeutic_correctness_score",
        "age_appropriateness_score",
        "reveal_timing_score",
        "is_approved",
        "reviewed_at",
        "decided_at",
    )
    list_filter = ("is_approved",)
    list_select_related = ("quest", "reviewer")
    search_fields = ("quest__title", "quest__quest_id", "reviewer__username")
    raw_id_fields = ("quest", "reviewer", "decided_by")
    date_hierarchy = "reviewed_at"
    actions = ("approve", "reject")

    @admin.action(description="Approve the selected reviews", permissions=["operate"])
    def approve(self, request: HttpRequest, queryset: QuerySet[PsychologistReview]) -> None:
        _decide_each(self, request, list(queryset), services.review_approve, "Approved")

    @admin.action(description="Reject the selected reviews", permissions=["operate"])
    def reject(self, request: HttpRequest, queryset: QuerySet[PsychologistReview]) -> None:
        _decide_each(self, request, list(queryset), services.review_reject, "Rejected")


@admin.register(UserQuestLibrary)
class UserQuestLibraryAdmin(ServiceStateAdmin):
    list_display = ("user", "quest", "added_at")
    list_select_related = ("user", "quest")
    search_fields = ("user__username", "quest__title", "quest__quest_id")
    raw_id_fields = ("user", "quest")


@admin.register(QuestRating)
class QuestRatingAdmin(ServiceStateAdmin):
    list_display = ("quest", "user", "rating", "created_at", "updated_at")
    list_filter = ("rating",)
    list_select_related = ("user", "quest")
    search_fields = ("user__username", "quest__title", "review_text")
    raw_id_fields = ("user", "quest")


@admin.register(QuestProgress)
class QuestProgressAdmin(ServiceStateAdmin):
    list_display = (
        "user",
        "quest",
        "current_node",
        "current_step",
        "completed",
        "session_count",
        "total_time_minutes",
        "last_played_at",
    )
    list_filter = ("completed",)
    list_select_related = ("user", "quest")
    search_fields = ("user__username", "quest__title", "quest__quest_id")
    raw_id_fields = ("user", "quest")


@admin.register(UserTrack)
class UserTrackAdmin(ServiceStateAdmin):
    list_display = (
        "user",
        "track_type",
        "current_phase",
        "completion_percentage",
        "completed_activities",
        "total_activities",
        "last_activity_at",
    )
    list_filter = ("track_type", "current_phase")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    raw_id_fields = ("user",)


@admin.register(QuestBuilderSession)
class QuestBuilderSessionAdmin(ServiceStateAdmin):
    list_display = ("id", "user", "current_stage", "quest", "created_at", "updated_at")
    list_filter = ("current_stage",)
    list_select_related = ("user", "quest")
    search_fields = ("user__username", "quest__title")
    raw_id_fields = ("user", "quest")
    fields = (
        "user",
        "current_stage",
        "quest",
        "graph_map",
        "graph",
        "current_graph",
        "conversation_history",
        "quest_context",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    @admin.display(description="Graph so far (nodes and edges)")
    def graph(self, obj: QuestBuilderSession) -> str:
        return _graph_html(obj.current_graph)

    @admin.display(description="Map of the graph")
    def graph_map(self, obj: QuestBuilderSession) -> str:
        return graph_svg(obj.current_graph) or "-"
