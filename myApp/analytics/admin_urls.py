"""The staff dashboard page in the admin (``/admin/dashboard/``), each view behind the admin's own log-in."""

from django.contrib import admin
from django.urls import path

from myApp.analytics import admin_views

urlpatterns = [
    path("", admin.site.admin_view(admin_views.dashboard_page), name="admin-dashboard"),
    path("csv/<slug:name>/", admin.site.admin_view(admin_views.dashboard_csv), name="admin-dashboard-csv"),
]
