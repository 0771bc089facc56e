"""Admin for the practice world: districts, venues and task sheets (content), entries and unlocks (state)."""

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from myApp.accounts.models import User
from myApp.accounts.services import profile_adjust_balance
from myApp.curriculum.admin.base import ContentAdmin, LearnerStateAdmin
from myApp.curriculum.admin.forms import VenueTaskSheetAdminForm
from myApp.curriculum.models import District, UserVenueUnlock, Venue, VenueEntry, VenueTaskSheet
from myApp.lib.admin import BoundedJSONMixin

GRANTED_TICKETS = 5


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
        description=f"Grant {GRANTED_TICKETS} tickets to the learners of the selected entries (once per learner)",
        permissions=["operate"],
    )
    def grant_tickets(self, request: HttpRequest, queryset: QuerySet[VenueEntry]) -> None:
        learners = User.objects.filter(pk__in=queryset.values("user_id")).order_by("pk")
        for learner in learners:
            profile_adjust_balance(user=learner, tickets=GRANTED_TICKETS)
        self.message_user(
            request, f"Granted {GRANTED_TICKETS} tickets to {len(learners)} learner(s).", messages.SUCCESS
        )


@admin.register(UserVenueUnlock)
class UserVenueUnlockAdmin(LearnerStateAdmin):
    list_display = ["user", "venue", "unlocked_at"]
    list_select_related = ["user", "venue"]
    list_filter = ["venue__district", "venue"]
    search_fields = ["user__username", "venue__name"]
    raw_id_fields = ["user", "venue"]
    readonly_fields = ["unlocked_at"]
