"""The streak over the API, under /api/v1/ (the daily quests' viewset is in ``myProject.api_router``)."""

from django.urls import path

from myApp.quests.api import daily

urlpatterns = [
    path("streak/", daily.StreakView.as_view(), name="api-streak"),
    path("streak/freeze/", daily.StreakFreezeView.as_view(), name="api-streak-freeze"),
    path("streak/vacation/", daily.VacationView.as_view(), name="api-streak-vacation"),
]
