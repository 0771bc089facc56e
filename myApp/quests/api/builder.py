"""``/api/builder/sessions``: seed 001's quest builder. A parent starts a session, chats with the builder
(its reply, stage and graph come back), edits the context or graph, and finishes it into a draft quest.
Only the session's owner reaches it; everyone else (staff too) gets 404."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from myApp.lib.api import StrictInputSerializer
from myApp.lib.throttling import UserRateThrottle
from myApp.quests import services
from myApp.quests.api.v1 import BuilderSessionSerializer, QuestSerializer
from myApp.quests.builder.context import LIMITS
from myApp.quests.builder.selectors import builder_sessions_owned_by
from myApp.quests.models import BuilderStage, QuestBuilderSession
from myApp.sessions.services.conversations import MAX_MESSAGE_LENGTH
from myApp.sessions.throttling import ChatRateThrottle

ERROR = OpenApiResponse(description="``{detail, errors: {field: [messages]}}``")
NOT_FOUND = OpenApiResponse(description="No such session of the caller's.")
CONFLICT = OpenApiResponse(description="Not possible at the session's stage (or the session is finished).")


class BuilderSessionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = QuestBuilderSession
        fields = ["id", "current_stage", "quest", "created_at", "updated_at"]
        read_only_fields = fields


class BuilderSessionUpdateSerializer(StrictInputSerializer):
    """Context keys are checked by the service (``quest_context.<key>`` errors), the graph by
    ``graph.validate`` (naming the node or edge)."""

    quest_context = serializers.JSONField(required=False)
    current_graph = serializers.JSONField(required=False)
    current_stage = serializers.ChoiceField(choices=BuilderStage.choices, required=False)


class BuilderChatInputSerializer(StrictInputSerializer):
    message = serializers.CharField(max_length=MAX_MESSAGE_LENGTH, trim_whitespace=True)


class BuilderChatSerializer(serializers.Serializer):
    reply = serializers.CharField()
    safety_flag = serializers.CharField(allow_blank=True)
    current_stage = serializers.ChoiceField(choices=BuilderStage.choices)
    current_graph = serializers.JSONField()
    session = BuilderSessionSerializer()


class BuilderFinishInputSerializer(StrictInputSerializer):
    confirm = serializers.BooleanField()
    title = serializers.CharField(max_length=LIMITS["title"], required=False, allow_blank=True, default="")

    def validate_confirm(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError("Confirm to create the quest.")
        return value


def _own_session(request, pk: int) -> QuestBuilderSession:
    return get_object_or_404(builder_sessions_owned_by(user=request.user), pk=pk)


class BuilderSessionListView(generics.GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = BuilderSessionSummarySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return QuestBuilderSession.objects.none()
        return builder_sessions_owned_by(user=self.request.user)

    @extend_schema(operation_id="builder_sessions_list", responses=BuilderSessionSummarySerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="builder_sessions_create", request=None, responses={201: BuilderSessionSerializer, 400: ERROR}
    )
    def post(self, request):
        StrictInputSerializer(data=request.data or {}).is_valid(raise_exception=True)
        session = services.builder_session_create(user=request.user)
        return Response(BuilderSessionSerializer(session).data, status=status.HTTP_201_CREATED)


class BuilderSessionDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="builder_sessions_read", responses={200: BuilderSessionSerializer, 404: NOT_FOUND})
    def get(self, request, pk: int):
        return Response(BuilderSessionSerializer(_own_session(request, pk)).data)

    @extend_schema(
        operation_id="builder_sessions_update",
        request=BuilderSessionUpdateSerializer,
        responses={200: BuilderSessionSerializer, 400: ERROR, 404: NOT_FOUND, 409: CONFLICT},
    )
    def patch(self, request, pk: int):
        session = _own_session(request, pk)
        data = BuilderSessionUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = services.builder_session_update(session=session, by=request.user, **data.validated_data)
        return Response(BuilderSessionSerializer(session).data)


class BuilderChatView(APIView):
    """A builder turn counts against the chat's rate (``THROTTLE_CHAT_RATE``): it may ask a model too."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [UserRateThrottle, ChatRateThrottle]

    @extend_schema(
        operation_id="builder_sessions_chat",
        request=BuilderChatInputSerializer,
        responses={200: BuilderChatSerializer, 400: ERROR, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk: int):
        session = _own_session(request, pk)
        data = BuilderChatInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session, turn = services.builder_chat(session=session, by=request.user, message=data.validated_data["message"])
        body = {
            "reply": turn.answer,
            "safety_flag": turn.safety_flag,
            "current_stage": session.current_stage,
            "current_graph": session.current_graph,
            "session": BuilderSessionSerializer(session).data,
        }
        return Response(body)


class BuilderFinishView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="builder_sessions_finish",
        request=BuilderFinishInputSerializer,
        responses={201: QuestSerializer, 400: ERROR, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk: int):
        session = _own_session(request, pk)
        data = BuilderFinishInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        quest = services.builder_finish(session=session, by=request.user, title=data.validated_data["title"])
        return Response(QuestSerializer(quest).data, status=status.HTTP_201_CREATED)
