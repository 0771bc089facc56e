"""Seed 000's guided-module routes, kept at their original root-level addresses.

``{conversation_id}`` is the conversation's integer id. As in the seed, the
module id is checked first (400 "Invalid module_id", even for an unknown
conversation), then the conversation (404 "Conversation not found"). A
conversation is found through ``conversations_owned_by``: another person's id
answers exactly like a missing one, to staff too (they see learners'
conversations in the admin).
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from myApp.lib.api import StrictInputSerializer
from myApp.lib.parsers import SmallJSONParser
from myApp.sessions import selectors, services
from myApp.sessions.models import Conversation, WellbeingModule


class ModuleEntrySerializer(serializers.Serializer):
    """One module's entry in ``metadata.module_status`` (seed 000's document)."""

    recommended_at = serializers.CharField(required=False, help_text="ISO 8601 time the module was suggested.")
    completed_at = serializers.CharField(required=False, help_text="ISO 8601 time of the latest completion.")
    completion_data = serializers.DictField(required=False, help_text="The latest completion's data.")


def module_status_field() -> serializers.DictField:
    """``{module_id: entry}`` for the modules recommended or completed so far."""
    return serializers.DictField(child=ModuleEntrySerializer(), read_only=True)


class ModuleCompleteInputSerializer(StrictInputSerializer):
    completion_data = serializers.DictField(
        required=False,
        allow_null=True,
        default=dict,
        help_text="Module-specific data, optional (absent, null and {} are accepted). Each module declares "
        "fields that are checked when present (e.g. breathing: completed_steps, emotion, intensity 0-100; choices "
        "match case-insensitively and are stored canonically); other keys are kept as sent.",
    )


class ModuleCompleteSerializer(serializers.Serializer):
    status = serializers.CharField(help_text='Always "completed".')
    module_id = serializers.ChoiceField(choices=WellbeingModule.choices)
    completed_at = serializers.CharField()
    module_status = module_status_field()


class ModuleRecommendedSerializer(serializers.Serializer):
    module_id = serializers.ChoiceField(choices=WellbeingModule.choices)
    recommended_at = serializers.CharField()
    module_status = module_status_field()


class ConversationModulesSerializer(serializers.Serializer):
    conversation_id = serializers.IntegerField()
    module_status = module_status_field()


TAGS = ["wellbeing modules"]


CONVERSATION_NOT_FOUND = "Conversation not found"
NOT_FOUND = OpenApiResponse(description=f'"{CONVERSATION_NOT_FOUND}": no such conversation of yours.')
INVALID_MODULE = OpenApiResponse(description='"Invalid module_id": not one of the four guided modules.')


def _conversation(request, conversation_id: int) -> Conversation:
    conversation = selectors.conversations_owned_by(user=request.user).filter(pk=conversation_id).first()
    if conversation is None:
        raise NotFound(CONVERSATION_NOT_FOUND)
    return conversation


class ConversationModulesView(APIView):
    """Every guided module's status in one conversation (seed 000's ``module_status``)."""

    @extend_schema(tags=TAGS, responses={200: ConversationModulesSerializer, 404: NOT_FOUND})
    def get(self, request, conversation_id: int):
        conversation = _conversation(request, conversation_id)
        return Response({"conversation_id": conversation.pk, "module_status": conversation.module_status})


class ModuleCompleteView(APIView):
    """Record a module completion. ``completion_data`` may be absent or ``{}``; the fields its module declares
    are checked when present (choices case-insensitively), other keys are kept as sent; 64 KB at most."""

    parser_classes = [SmallJSONParser]

    @extend_schema(
        tags=TAGS,
        request=ModuleCompleteInputSerializer,
        responses={
            200: ModuleCompleteSerializer,
            400: OpenApiResponse(description='Unknown module ("Invalid module_id") or invalid completion_data.'),
            404: NOT_FOUND,
            413: OpenApiResponse(description="Body over 64 KB."),
        },
    )
    def post(self, request, conversation_id: int, module_id: str):
        services.validate_module_id(module_id)
        conversation = _conversation(request, conversation_id)
        data = ModuleCompleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        completed_at, module_status = services.conversation_module_complete(
            conversation=conversation,
            user=request.user,
            module_id=module_id,
            completion_data=data.validated_data["completion_data"],
        )
        return Response(
            {
                "status": "completed",
                "module_id": module_id,
                "completed_at": completed_at,
                "module_status": module_status,
            }
        )


class ModuleRecommendView(APIView):
    """Suggest a module in this conversation: sets its ``recommended_at``."""

    parser_classes = [SmallJSONParser]

    @extend_schema(
        tags=TAGS, request=None, responses={200: ModuleRecommendedSerializer, 400: INVALID_MODULE, 404: NOT_FOUND}
    )
    def post(self, request, conversation_id: int, module_id: str):
        services.validate_module_id(module_id)
        conversation = _conversation(request, conversation_id)
        module_status = services.conversation_module_recommend(
            conversation=conversation, user=request.user, module_id=module_id
        )
        return Response(
            {
                "module_id": module_id,
                "recommended_at": module_status[module_id]["recommended_at"],
                "module_status": module_status,
            }
        )
