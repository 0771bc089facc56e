"""Pages of daily quests and streaks, under /quests/daily/."""

from django.urls import path

from myApp.quests.views import daily

app_name = "daily_quests"

urlpatterns = [
    path("", daily.streak, name="streak"),
    path("freeze/", daily.freeze_buy, name="freeze_buy"),
    path("vacation/", daily.vacation, name="vacation"),
]
