"""A clinician's retention policy and their clients' discharge, as actions of the caseload (``/api/v1/clients``).

``GET/PUT /api/v1/clients/retention-policy``: how many years after discharge the clinician's clients' sessions
and transcripts are kept (``keep_years``: 1-25, or null to keep them, the default). ``POST
/api/v1/clients/{id}/discharge`` and ``/reopen``: close or reopen a client's treatment. Retention only ever
deletes the sessions of a discharged client (``myApp.sessions.services.clinical.retention``).
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from myApp.lib.api import StrictInputSerializer
from myApp.sessions.models.clinical_retention import KEEP_YEARS_MAX, KEEP_YEARS_MIN
from myApp.sessions.services.clinical import retention as services


class RetentionPolicySerializer(StrictInputSerializer):
    keep_years = serializers.IntegerField(
        min_value=KEEP_YEARS_MIN,
        max_value=KEEP_YEARS_MAX,
        allow_null=True,
        help_text="Years after discharge a client's sessions and transcripts are kept; null keeps them.",
    )


class ClientRetentionMixin:
    """For ``ClientViewSet``: the caseload's retention policy, discharge and reopen."""

    @extend_schema(
        request=RetentionPolicySerializer,
        responses={200: RetentionPolicySerializer, 404: OpenApiResponse(description="Not a clinician.")},
    )
    @action(detail=False, methods=["get", "put"], url_path="retention-policy")
    def retention_policy(self, request):
        if request.method == "PUT":
            serializer = RetentionPolicySerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            policy = services.clinical_retention_policy_set(
                clinician=request.user, keep_years=serializer.validated_data["keep_years"]
            )
            return Response({"keep_years": policy.keep_years})
        return Response({"keep_years": services.clinical_retention_policy_of(clinician=request.user)})

    @action(detail=True, methods=["post"])
    def discharge(self, request, pk=None):
        """Close the client's treatment (their sessions become subject to the retention policy)."""
        client = services.client_discharge(client=self._client(for_write=True), by=request.user)
        return Response(self.get_serializer(client).data)

    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Take the client back into treatment (no retention applies to an open client)."""
        client = services.client_reopen(client=self._client(for_write=True), by=request.user)
        return Response(self.get_serializer(client).data)
