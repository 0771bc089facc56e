"""The learner report's endpoints, under /api/v1/."""

from django.urls import path

from myApp.analytics.report_api import LearnerReportView

urlpatterns = [
    path("me/report/", LearnerReportView.as_view(), name="api-me-report"),
    path("learners/<int:user_id>/report/", LearnerReportView.as_view(), name="api-learner-report"),
]
