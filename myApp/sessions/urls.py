"""Chat and wellbeing pages, mounted under /chat/."""

from django.urls import path

from myApp.sessions import views

app_name = "chat"

urlpatterns = [
    path("", views.conversation, name="conversation"),
    path("new/", views.conversation_new, name="new"),
    path("history/", views.conversation_history, name="history"),
    path("<int:pk>/", views.conversation_detail, name="detail"),
    path("<int:pk>/end/", views.conversation_end, name="end"),
    path("modules/<slug:slug>/", views.module_page, name="module"),
    path("<int:pk>/modules/<slug:slug>/", views.module_page, name="conversation_module"),
    path("report/", views.report, name="report"),
    path("report/<int:user_id>/", views.report, name="report_user"),
    path("report/completions/<int:pk>/", views.completion_detail, name="completion"),
]
