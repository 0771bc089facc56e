"""The project's routes plus the bare baselines under ``/bench/`` (see ``bench/bare.py``)."""

from django.urls import path

from bench import bare
from myProject.urls import handler400, handler404, handler500  # noqa: F401
from myProject.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("bench/bare/history", bare.history, name="bench-bare-history"), *project_urlpatterns]
