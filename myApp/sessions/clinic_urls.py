"""Clinician pages (seed 003's clinical sessions), mounted under /clinic/."""

from django.urls import path

from myApp.sessions.views import clinic, clinic_alerts, clinic_forms, clinic_retention

app_name = "clinic"

urlpatterns = [
    path("", clinic.client_list, name="clients"),
    path("clients/new/", clinic_forms.client_new, name="client_new"),
    path("clients/<int:pk>/", clinic.client_detail, name="client"),
    path("clients/<int:pk>/discharge/", clinic_retention.client_discharge, name="client_discharge"),
    path("clients/<int:pk>/reopen/", clinic_retention.client_reopen, name="client_reopen"),
    path("retention/", clinic_retention.retention_policy, name="retention_policy"),
    path("clients/<int:pk>/sessions/new/", clinic_forms.session_new, name="session_new"),
    path("sessions/<int:pk>/", clinic.session_detail, name="session"),
    path("sessions/<int:pk>/analyse/", clinic.session_analyse, name="session_analyse"),
    path("sessions/<int:pk>/status/", clinic_forms.session_status, name="session_status"),
    path("sessions/<int:pk>/transcript/", clinic.transcript_upload, name="transcript_upload"),
    path("insights/<int:pk>/decide/", clinic.insight_decide, name="insight_decide"),
    path("insights/", clinic_alerts.insight_queue, name="insights"),
    path("insights/<int:pk>/", clinic_alerts.insight_review, name="insight_review"),
    path("notifications/", clinic_alerts.notification_list, name="notifications"),
    path("notifications/read/", clinic_alerts.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", clinic_alerts.notification_read, name="notification_read"),
]
