"""Admin for teachers' reviews of milestone attempts: read-mostly (reviews are written by the review service, which
also decides the attempt again; a hand edit would skip that)."""

from django.contrib import admin

from myApp.curriculum.admin.base import LearnerStateAdmin
from myApp.curriculum.models.speech import MilestoneReview


@admin.register(MilestoneReview)
class MilestoneReviewAdmin(LearnerStateAdmin):
    list_display = ["created_at", "attempt", "learner", "reviewer", "scores"]
    list_select_related = ["attempt__user", "attempt__level", "reviewer"]
    list_filter = ["attempt__level"]
    search_fields = ["attempt__user__username", "reviewer__username", "comments"]
    raw_id_fields = ["attempt", "reviewer"]
    readonly_fields = ["attempt", "reviewer", "comments", "scores", "created_at"]
    date_hierarchy = "created_at"

    @admin.display(description="Learner", ordering="attempt__user__username")
    def learner(self, review: MilestoneReview) -> str:
        return review.attempt.user.get_username()
