"""/api/v1/ conversations and messages: read-only, each user's own (staff too; the admin shows everyone's)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from myApp.lib.api import OwnedViewSet
from myApp.sessions import selectors
from myApp.sessions.api.serializers import ConversationSerializer, MessageSerializer, PsychologyReportSerializer

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
        conversations (latest, history, and trends). The learner only; a parent reads a consenting
        child's at ``/api/v1/children/{id}/report/``."""
        conversation = self.get_object()
        return Response(PsychologyReportSerializer(selectors.psychology_report(user=conversation.user)).data)


@extend_schema(tags=TAGS)
class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    """Every chat message of the caller's, oldest first."""

    serializer_class = MessageSerializer

    def base_queryset(self):
        return selectors.chat_messages()
