"""Daily quests, streak freezes and vacations: written only by ``services.daily``, inspected here."""

from django.contrib import admin

from myApp.lib.admin import ServiceStateAdmin
from myApp.quests.models import DailyQuest, StreakFreeze, Vacation


@admin.register(DailyQuest)
class DailyQuestAdmin(ServiceStateAdmin):
    list_display = ["user", "date", "quest_type", "progress", "target", "completed_at", "xp_reward", "coins_reward"]
    list_select_related = ["user"]
    list_filter = ["quest_type", "date"]
    search_fields = ["user__username"]
    date_hierarchy = "date"
    raw_id_fields = ["user"]
    ordering = ["-date", "user_id", "quest_type"]


@admin.register(StreakFreeze)
class StreakFreezeAdmin(ServiceStateAdmin):
    list_display = ["user", "bought_on", "bought_at", "coins_paid"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(Vacation)
class VacationAdmin(ServiceStateAdmin):
    list_display = ["user", "starts_on", "ends_on", "created_at"]
    list_select_related = ["user"]
    list_filter = [("ends_on", admin.EmptyFieldListFilter)]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
