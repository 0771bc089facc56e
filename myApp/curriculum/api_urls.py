"""Seed 004's catalogue route, kept at its original address (outside /api/v1/)."""

from django.urls import path

from myApp.curriculum.api import CourseCatalogueView

urlpatterns = [
    path("courses", CourseCatalogueView.as_view(), name="api-courses"),
]
