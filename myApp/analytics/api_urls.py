"""Seed 004's staff dashboard at its original address (under /api/)."""

from django.urls import path

from myApp.analytics.api import AdminDashboardView

urlpatterns = [path("admin/dashboard", AdminDashboardView.as_view(), name="api-admin-dashboard")]
