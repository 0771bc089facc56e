"""/api/v1/ conversations and messages: read-only, each user's own (staff too; the admin shows everyone's)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from myApp.lib.api import OwnedViewSet
from myApp.sessions import selectors
from myApp.sessions.api.serializers import (
    ConversationSerializer,
    MessageSerializer,
    ModuleCompletionDetailSerializer,
    ModuleCompletionQuerySerializer,
    ModuleCompletionSerializer,
    PsychologyReportSerializer,
)

TAGS = ["conversations"]


@extend_schema(tags=TAGS)
class ConversationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    """Chat sessions, most recently active first, with their guided modules' ``module_status``."""

    serializer_class = ConversationSerializer

    def base_queryset(self):
        return selectors.conversations()

    @extend_schema(responses=MessageSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=MessageSerializer)
    def messages(self, request, pk=None):
        """The conversation's messages, oldest first, a page at a time."""
        page = self.paginate_queryset(selectors.conversation_messages(self.get_object()))
        return self.get_paginated_response(MessageSerializer(page, many=True).data)

    @extend_schema(responses=PsychologyReportSerializer)
    @action(detail=True, methods=["get"], serializer_class=PsychologyReportSerializer)
    def report(self, request, pk=None):
        """The psychology report of the conversation's learner: every guided module across all their
        conversations (count, latest, recent trends), as summaries. The learner only; a parent reads a
        consenting child's at ``/api/v1/children/{id}/report/``."""
        conversation = self.get_object()
        return Response(PsychologyReportSerializer(selectors.psychology_report(user=conversation.user)).data)


@extend_schema(tags=TAGS)
class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    """Every chat message of the caller's, oldest first."""

    serializer_class = MessageSerializer

    def base_queryset(self):
        return selectors.chat_messages()


@extend_schema(tags=TAGS)
@extend_schema_view(list=extend_schema(parameters=[ModuleCompletionQuerySerializer]))
class ModuleCompletionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    """Guided-module completions, newest first: the report's full history, a page at a time, as summaries
    (``?module_id=`` narrows it to one module). One completion's own page has all its data, a doodle's strokes
    included."""

    def base_queryset(self):
        if self.action == "retrieve":
            return selectors.module_completions(with_data=True)
        query = ModuleCompletionQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        completions = selectors.module_completions()
        module_id = query.validated_data.get("module_id")
        return completions.filter(module_id=module_id) if module_id else completions

    def get_serializer_class(self):
        return ModuleCompletionDetailSerializer if self.action == "retrieve" else ModuleCompletionSerializer
