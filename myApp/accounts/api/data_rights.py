"""Data rights API: ``GET /api/v1/me/export`` (the user's whole data, streamed) and ``POST /api/v1/me/erase``.

Both act on the caller only (``me``): there is no user id to name, so nobody can export or erase another
person here; staff erase accounts through the admin.
"""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from myApp.accounts import services
from myApp.accounts.throttling import ExportRateThrottle, LoginRateThrottle
from myApp.lib.api import StrictInputSerializer


def export_response(user) -> StreamingHttpResponse:
    """The streamed export as a download (the page and the API answer the same)."""
    response = StreamingHttpResponse(services.export_stream(user=user), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{services.export_filename(user=user)}"'
    response["Cache-Control"] = "no-store"
    return response


class ExportView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [ExportRateThrottle]

    @extend_schema(responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Every row of the caller's data.")})
    def get(self, request):
        return export_response(request.user)


class EraseSerializer(StrictInputSerializer):
    password = serializers.CharField(
        write_only=True, style={"input_type": "password"}, max_length=128, trim_whitespace=False
    )


class EraseView(APIView):
    permission_classes = [IsAuthenticated]
    # A password check: limited like logins, so it cannot be used to guess the password.
    throttle_classes = [LoginRateThrottle]

    @extend_schema(request=EraseSerializer, responses={204: None})
    def post(self, request):
        data = EraseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.account_erase(user=request.user, by=request.user, password=data.validated_data["password"])
        return Response(status=204)
