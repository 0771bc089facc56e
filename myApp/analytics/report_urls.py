"""The learner report's pages, mounted at /report/."""

from django.urls import path

from myApp.analytics import report_views

app_name = "reports"

urlpatterns = [
    path("", report_views.report_page, name="mine"),
    path("report.pdf", report_views.report_pdf, name="mine_pdf"),
    path("<int:user_id>/", report_views.report_page, name="learner"),
    path("<int:user_id>/report.pdf", report_views.report_pdf, name="learner_pdf"),
]
