"""/api/v1/ conversations and messages: read-only, each user's own (staff too; the admin shows everyone's)."""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from myApp.lib.api import OwnedViewSet
from myApp.sessions import expiry, selectors
from myApp.sessions.api.modules import module_status_field
from myApp.sessions.api.report import PsychologyReportSerializer
from myApp.sessions.models import Conversation, Message, ModuleCompletion, WellbeingModule
from myApp.sessions.selectors import completion_summary


class ConversationSerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField(
        source="is_live", read_only=True, help_text="Live: not ended and active within the session timeout."
    )
    expires_at = serializers.SerializerMethodField(help_text="When it times out if nothing happens; null once ended.")
    module_status = serializers.SerializerMethodField()

    class Meta:
        model = Conversation
        fields = [
            "id",
            "session_id",
            "user",
            "is_active",
            "message_count",
            "device_type",
            "current_course",
            "started_at",
            "last_activity_at",
            "expires_at",
            "ended_at",
            "module_status",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_expires_at(self, conversation: Conversation) -> str | None:
        moment = expiry.expires_at(conversation)
        return serializers.DateTimeField().to_representation(moment) if moment else None

    @extend_schema_field(module_status_field())
    def get_module_status(self, conversation: Conversation) -> dict:
        return conversation.module_status


class MessageSerializer(serializers.ModelSerializer):
    session_id = serializers.UUIDField(source="conversation.session_id", read_only=True)
    metadata = serializers.DictField(read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "conversation",
            "session_id",
            "role",
            "content",
            "message_type",
            "metadata",
            "tokens_used",
            "model_used",
            "created_at",
        ]
        read_only_fields = fields


class ModuleCompletionQuerySerializer(serializers.Serializer):
    module_id = serializers.ChoiceField(choices=WellbeingModule.choices, required=False, help_text="One module only.")


class ModuleCompletionSerializer(serializers.ModelSerializer):
    """A completion in the history: its summary, never a doodle's strokes."""

    summary = serializers.SerializerMethodField()

    class Meta:
        model = ModuleCompletion
        fields = ["id", "conversation", "module_id", "completed_at", "summary"]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField())
    def get_summary(self, completion: ModuleCompletion) -> dict:
        return completion_summary(completion)


class ModuleCompletionDetailSerializer(ModuleCompletionSerializer):
    """One completion with all its data (a doodle's strokes included)."""

    completion_data = serializers.DictField(read_only=True)

    class Meta(ModuleCompletionSerializer.Meta):
        fields = [*ModuleCompletionSerializer.Meta.fields, "completion_data"]
        read_only_fields = fields


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
        self.paged_conversation = self.get_object()
        page = self.paginate_queryset(selectors.conversation_messages(self.paged_conversation))
        return self.get_paginated_response(MessageSerializer(page, many=True).data)

    def known_row_count(self) -> int | None:
        """The conversation's own counter counts its messages (``lib.pagination``); conversations are counted."""
        return self.paged_conversation.message_count if self.action == "messages" else None

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

    def known_row_count(self) -> int:
        """The caller's conversations' counters count their messages (``lib.pagination``)."""
        return selectors.chat_message_count(user=self.request.user)


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
