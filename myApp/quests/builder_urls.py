"""The quest builder's pages, mounted under /quests/builder/."""

from django.urls import path

from myApp.quests.views import builder

app_name = "quest_builder"

urlpatterns = [
    path("", builder.session_list, name="list"),
    path("<int:pk>/", builder.session_detail, name="session"),
    path("<int:pk>/finish/", builder.session_finish, name="finish"),
]
