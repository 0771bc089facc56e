"""The project's URLs plus routes that fail on purpose, for the error-handling tests."""

from django.db import connection
from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from myProject.urls import handler404, handler500  # noqa: F401
from myProject.urls import urlpatterns as project_urlpatterns


class Boom(Exception):
    pass


@api_view(["GET"])
@permission_classes([AllowAny])
def api_crash(request):
    raise Boom("a bug")


@api_view(["GET"])
@permission_classes([AllowAny])
def api_database(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return None


def page_crash(request):
    raise Boom("a bug in a page")


urlpatterns = [
    path("api/v1/test-crash/", api_crash),
    path("conversations/test-crash", api_crash),
    path("api/v1/test-database/", api_database),
    path("test-crash/", page_crash),
    *project_urlpatterns,
]
