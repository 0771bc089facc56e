"""Clinical API (seed 003): clients, therapy sessions, transcripts, insights, keyword and full-text search.

Every object is fetched through ``myApp.sessions.clinical_selectors``: a clinician's own clients, or, for reads,
staff as a recorded staff operation; anyone else gets 404. Writes are the clinician's alone. Lists hold the
caller's own caseload only (staff name a client by id).
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from myApp.lib.api import ID_PATH_REGEX, StrictInputSerializer, created_status, validated_query
from myApp.lib.exceptions import ServiceError
from myApp.sessions import clinical_selectors as selectors
from myApp.sessions import transcript_search
from myApp.sessions.api.clinical_retention import ClientRetentionMixin
from myApp.sessions.api.clinical_transcripts import SentenceSerializer, TranscriptActionsMixin
from myApp.sessions.api.clinical_trends import ClientTrendsMixin
from myApp.sessions.clinical.terms import MAX_TERM_CHARS
from myApp.sessions.models import Client, SessionStatus, SessionType, TherapySession
from myApp.sessions.services import clinical as services

TAGS = ["clinical"]


class ClientSerializer(serializers.ModelSerializer):
    last_session_date = serializers.DateTimeField(read_only=True, allow_null=True, required=False)
    session_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Client
        fields = [
            "id",
            "display_name",
            "former_names",
            "clinician",
            "user",
            "age",
            "gender",
            "demographics",
            "clinical_notes",
            "risk_factors",
            "treatment_history",
            "discharged_at",
            "last_session_date",
            "session_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ClientInputSerializer(StrictInputSerializer, serializers.ModelSerializer):
    """What a clinician writes about a client (the platform account is linked by staff, in the admin)."""

    class Meta:
        model = Client
        fields = [
            "display_name",
            "age",
            "gender",
            "demographics",
            "clinical_notes",
            "risk_factors",
            "treatment_history",
        ]


CREATION_KEY_HELP = (
    "A key the app draws once per {row} it means to add (a UUID). A repeat of the call with the same key (a retry "
    "after a lost answer) adds nothing and answers 200 with the {row} the first call added."
)


class ClientCreateInputSerializer(ClientInputSerializer):
    creation_key = serializers.UUIDField(required=False, help_text=CREATION_KEY_HELP.format(row="client"))

    class Meta(ClientInputSerializer.Meta):
        fields = [*ClientInputSerializer.Meta.fields, "creation_key"]


class TherapySessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = TherapySession
        fields = [
            "id",
            "client",
            "date",
            "duration_minutes",
            "session_type",
            "status",
            "audio_file_path",
            "transcript_status",
            "analysis_status",
            "analysis_error",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TherapySessionInputSerializer(StrictInputSerializer):
    client = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    date = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60, required=False, allow_null=True)
    session_type = serializers.ChoiceField(choices=SessionType.choices, default=SessionType.INDIVIDUAL)
    audio_file_path = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    creation_key = serializers.UUIDField(required=False, help_text=CREATION_KEY_HELP.format(row="session"))


class SessionStatusInputSerializer(StrictInputSerializer):
    status = serializers.ChoiceField(choices=SessionStatus.choices)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class SessionListQuerySerializer(serializers.Serializer):
    client = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)


class KeywordQuerySerializer(serializers.Serializer):
    term = serializers.CharField(max_length=MAX_TERM_CHARS, required=False, allow_blank=True, default="")


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    limit = serializers.IntegerField(min_value=1, max_value=transcript_search.MAX_RESULTS, required=False)


class KeywordHitSerializer(SentenceSerializer):
    session_date = serializers.DateTimeField(source="session.date", read_only=True)

    class Meta(SentenceSerializer.Meta):
        fields = [*SentenceSerializer.Meta.fields, "session_date"]
        read_only_fields = fields


class SearchHitSerializer(serializers.Serializer):
    sentence = SentenceSerializer()
    session_date = serializers.DateTimeField(source="sentence.session.date")
    rank = serializers.FloatField()
    snippet = serializers.CharField(help_text="The sentence, HTML-escaped, matched words in <mark>.")


def _where(request) -> str:
    return request.path


@extend_schema(tags=TAGS)
class ClientViewSet(ClientRetentionMixin, ClientTrendsMixin, viewsets.GenericViewSet):
    """A clinician's clients: their caseload (with each client's last session), one client, searches, trends
    (``ClientTrendsMixin``)."""

    serializer_class = ClientSerializer
    lookup_value_regex = ID_PATH_REGEX

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Client.objects.none()
        return selectors.clients_with_last_session(clinician=self.request.user)

    def _client(self, *, for_write: bool = False) -> Client:
        return selectors.client_for(
            viewer=self.request.user, client_id=int(self.kwargs["pk"]), where=_where(self.request), for_write=for_write
        )

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ClientSerializer(page, many=True).data)

    @extend_schema(request=ClientCreateInputSerializer, responses={201: ClientSerializer, 200: ClientSerializer})
    def create(self, request):
        data = _validated(ClientCreateInputSerializer, request.data)
        client, created = services.client_create_once(
            clinician=request.user, creation_key=data.pop("creation_key", None), **data
        )
        return Response(ClientSerializer(client).data, status=created_status(created))

    def retrieve(self, request, pk=None):
        return Response(ClientSerializer(self._client()).data)

    @extend_schema(request=ClientInputSerializer, responses=ClientSerializer)
    def partial_update(self, request, pk=None):
        client = self._client(for_write=True)
        data = _validated(ClientInputSerializer, request.data, partial=True)
        return Response(ClientSerializer(services.client_update(client=client, by=request.user, **data)).data)

    @extend_schema(responses=TherapySessionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def sessions(self, request, pk=None):
        """The client's sessions, newest first, a page at a time."""
        page = self.paginate_queryset(selectors.client_sessions(self._client()))
        return self.get_paginated_response(TherapySessionSerializer(page, many=True).data)

    @extend_schema(parameters=[KeywordQuerySerializer], responses=KeywordHitSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="keyword-search")
    def keyword_search(self, request, pk=None):
        """Sentences whose keywords hold ``term`` (JSONB containment on PostgreSQL); none without a term."""
        client = self._client()
        query = validated_query(KeywordQuerySerializer, request.query_params)
        page = self.paginate_queryset(selectors.keyword_sentences(client=client, term=query["term"]))
        return self.get_paginated_response(KeywordHitSerializer(page, many=True).data)

    @extend_schema(parameters=[SearchQuerySerializer], responses=SearchHitSerializer(many=True))
    @action(detail=True, methods=["get"])
    def search(self, request, pk=None):
        """Full-text search of the client's transcripts: best first, with highlighted snippets; none without q."""
        client = self._client()
        query = validated_query(SearchQuerySerializer, request.query_params)
        hits = transcript_search.search_transcripts(
            client=client, text=query["q"], limit=query.get("limit") or transcript_search.MAX_RESULTS
        )
        return Response({"results": SearchHitSerializer(hits, many=True).data})


def _validated(serializer_class, data, *, partial: bool = False) -> dict:
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema(tags=TAGS)
class TherapySessionViewSet(TranscriptActionsMixin, viewsets.GenericViewSet):
    """Therapy sessions of the caller's clients; status changes; the transcript (``TranscriptActionsMixin``)."""

    serializer_class = TherapySessionSerializer
    lookup_value_regex = ID_PATH_REGEX

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TherapySession.objects.none()
        return selectors.therapy_sessions_of(clinician=self.request.user)

    def session(self, *, for_write: bool = False) -> TherapySession:
        return selectors.therapy_session_for(
            viewer=self.request.user,
            session_id=int(self.kwargs["pk"]),
            where=_where(self.request),
            for_write=for_write,
        )

    @extend_schema(parameters=[SessionListQuerySerializer])
    def list(self, request):
        query = validated_query(SessionListQuerySerializer, request.query_params)
        sessions = self.get_queryset()
        if "client" in query:
            sessions = sessions.filter(client_id=query["client"])
        page = self.paginate_queryset(sessions)
        return self.get_paginated_response(TherapySessionSerializer(page, many=True).data)

    @extend_schema(
        request=TherapySessionInputSerializer, responses={201: TherapySessionSerializer, 200: TherapySessionSerializer}
    )
    def create(self, request):
        data = _validated(TherapySessionInputSerializer, request.data)
        try:
            client = selectors.client_for(
                viewer=request.user, client_id=data.pop("client"), where=_where(request), for_write=True
            )
        except Http404:  # input naming a row: a field error, the same whether it exists or is someone else's
            raise ServiceError("Invalid input.", errors={"client": ["No such client on your caseload."]}) from None
        session, created = services.therapy_session_create_once(client=client, by=request.user, **data)
        return Response(TherapySessionSerializer(session).data, status=created_status(created))

    def retrieve(self, request, pk=None):
        return Response(TherapySessionSerializer(self.session()).data)

    @extend_schema(request=SessionStatusInputSerializer, responses=TherapySessionSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        """Move the session along scheduled → in progress → completed (or cancelled); 409 otherwise."""
        session = self.session(for_write=True)
        data = _validated(SessionStatusInputSerializer, request.data)
        session = services.therapy_session_status_set(session=session, by=request.user, **data)
        return Response(TherapySessionSerializer(session).data)

    @extend_schema(request=None, responses={202: TherapySessionSerializer})
    @action(detail=True, methods=["post"])
    def analyse(self, request, pk=None):
        """Queue the transcript's analysis (again, after a failure); 409 while one is running or without a
        transcript. Answers 202 with the session as it stands (pending; the worker moves it on)."""
        session = services.analysis_request(session=self.session(for_write=True), by=request.user)
        return Response(TherapySessionSerializer(session).data, status=status.HTTP_202_ACCEPTED)


class ClientSessionsSerializer(serializers.Serializer):
    sessions = TherapySessionSerializer(many=True)


@extend_schema(tags=TAGS)
class ClientSessionsView(APIView):
    """Seed 003's ``GET /api/clients/{client_id}/sessions``: ``{"sessions": [...]}``, newest first (at most
    ``MAX_SESSIONS``; the paginated list is /api/v1/clients/{id}/sessions/)."""

    MAX_SESSIONS = 500

    @extend_schema(
        parameters=[OpenApiParameter("client_id", int, OpenApiParameter.PATH)],
        responses={200: ClientSessionsSerializer},
    )
    def get(self, request, client_id: str):
        client = selectors.client_for(viewer=request.user, client_id=int(client_id), where=_where(request))
        sessions = selectors.client_sessions(client)[: self.MAX_SESSIONS]
        return Response({"sessions": TherapySessionSerializer(sessions, many=True).data})
