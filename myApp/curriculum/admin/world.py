"""Admin for the practice world: districts, venues and task sheets (content), and visits (state).

Which venues a learner may enter is derived from module progress (see ``UserProgressAdmin``).
"""

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from myApp.accounts.models import User
from myApp.curriculum import economy, services
from myApp.curriculum.admin.base import ContentAdmin, LearnerStateAdmin
from myApp.curriculum.admin.forms import VenueTaskSheetAdminForm
from myApp.curriculum.models import District, Venue, VenueEntry, VenueTaskSheet
from myApp.lib.admin import BoundedJSONMixin


@admin.register(District)
class DistrictAdmin(ContentAdmin):
    list_display = ["name", "slug", "order", "venue_count"]
    list_filter = ["created_at"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[District]:
        return super().get_queryset(request).annotate(venue_count=Count("venues"))

    @admin.display(description="venues", ordering="venue_count")
    def venue_count(self, district: District) -> int:
        return district.venue_count


class VenueTaskSheetInline(BoundedJSONMixin, admin.StackedInline):
    model = VenueTaskSheet
    form = VenueTaskSheetAdminForm
    fields = ["title", "order", "exercises"]
    extra = 0


@admin.register(Venue)
class VenueAdmin(ContentAdmin):
    list_display = ["name", "district", "module", "order", "ticket_cost", "xp_reward", "coin_reward"]
    list_select_related = ["district", "module__level"]
    list_filter = ["district", "module__level", "module__code"]
    search_fields = ["name", "slug", "description", "district__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [VenueTaskSheetInline]


@admin.register(VenueTaskSheet)
class VenueTaskSheetAdmin(BoundedJSONMixin, admin.ModelAdmin):
    form = VenueTaskSheetAdminForm
    list_display = ["title", "venue", "order", "exercise_count"]
    list_select_related = ["venue"]
    list_filter = ["venue__district"]
    search_fields = ["title", "venue__name"]

    @admin.display(description="exercises")
    def exercise_count(self, sheet: VenueTaskSheet) -> int:
        return len(sheet.exercises) if isinstance(sheet.exercises, list) else 0


@admin.register(VenueEntry)
class VenueEntryAdmin(LearnerStateAdmin):
    list_display = [
        "user",
        "venue",
        "tickets_spent",
        "xp_awarded",
        "coins_awarded",
        "paid_on",
        "started_at",
        "finished_at",
    ]
    list_select_related = ["user", "venue"]
    list_filter = ["venue__district", "venue"]
    search_fields = ["user__username", "venue__name"]
    raw_id_fields = ["user", "venue"]
    readonly_fields = ["tickets_spent", "xp_awarded", "coins_awarded", "started_at", "finished_at"]
    actions = ["grant_tickets"]

    @admin.action(
        description=(
            f"Grant {economy.STAFF_TICKET_GRANT} tickets to the learners of the selected entries (once per learner)"
        ),
        permissions=["operate"],
    )
    def grant_tickets(self, request: HttpRequest, queryset: QuerySet[VenueEntry]) -> None:
        learners = User.objects.filter(pk__in=queryset.values("user_id")).order_by("pk")
        granted = services.tickets_grant(learners=learners, by=request.user)
        self.message_user(
            request, f"Granted {economy.STAFF_TICKET_GRANT} tickets to {granted} learner(s).", messages.SUCCESS
        )
