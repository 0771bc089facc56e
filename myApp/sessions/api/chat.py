"""Seed 004's session and chat routes under /api/, with authentication added.

``user_id`` (query or body) defaults to the caller; naming anyone else is a staff
operation (``lib.access.acting_for``: 403 for anyone else, recorded in the access
log for staff). A ``session_id`` is looked up among the conversations of that user
only (``conversations_owned_by``), so another person's session answers 404, to
staff too unless they name its owner in ``user_id``.
"""

import uuid
from functools import cache

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from myApp.lib import access
from myApp.lib.api import StrictInputSerializer, validated_query
from myApp.lib.client import client_fields
from myApp.lib.parsers import SmallJSONParser
from myApp.lib.throttling import OneRoundTripThrottling, UserRateThrottle
from myApp.sessions import audio, history_cache, selectors, services
from myApp.sessions.models import Conversation, DeviceType, MessageRole
from myApp.sessions.selectors import HISTORY_LIMIT_MAX
from myApp.sessions.services import ChatResult
from myApp.sessions.services.conversations import MAX_MESSAGE_LENGTH
from myApp.sessions.throttling import ChatRateThrottle

HISTORY_LIMIT_DEFAULT = 20


class UserIdQuerySerializer(serializers.Serializer):
    user_id = serializers.IntegerField(required=False, min_value=1, help_text="Defaults to the caller.")


class SessionCheckSerializer(serializers.Serializer):
    has_session = serializers.BooleanField()
    session_id = serializers.UUIDField(allow_null=True)
    message_count = serializers.IntegerField(allow_null=True)
    last_activity = serializers.DateTimeField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)


class SessionCreateInputSerializer(StrictInputSerializer):
    user_id = serializers.IntegerField(required=False, min_value=1, help_text="Defaults to the caller.")
    ip_address = serializers.IPAddressField(
        required=False,
        allow_null=True,
        help_text="The address the client believes it has: kept as client_reported_ip, unverified. The session's "
        "ip_address is always the one the server observes.",
    )
    user_agent = serializers.CharField(required=False, allow_blank=True, max_length=512)
    device_type = serializers.ChoiceField(choices=DeviceType.choices, required=False, allow_null=True)


class SessionCreatedSerializer(serializers.Serializer):
    session_id = serializers.UUIDField()
    user_id = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    message = serializers.CharField()


class SessionEndInputSerializer(StrictInputSerializer):
    session_id = serializers.UUIDField()
    user_id = serializers.IntegerField(
        required=False, min_value=1, help_text="Whose session: defaults to the caller; someone else's is staff only."
    )


class SessionEndedSerializer(serializers.Serializer):
    session_id = serializers.UUIDField()
    message = serializers.CharField()


class SessionHistoryQuerySerializer(serializers.Serializer):
    session_id = serializers.UUIDField()
    user_id = serializers.IntegerField(
        required=False, min_value=1, help_text="Whose session: defaults to the caller; someone else's is staff only."
    )
    limit = serializers.IntegerField(
        required=False, default=HISTORY_LIMIT_DEFAULT, min_value=1, max_value=HISTORY_LIMIT_MAX
    )


class HistoryMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=MessageRole.choices)
    content = serializers.CharField()
    created_at = serializers.CharField(help_text="ISO 8601 time.")


class SessionHistorySerializer(serializers.Serializer):
    session_id = serializers.UUIDField()
    message_count = serializers.IntegerField()
    messages = HistoryMessageSerializer(many=True, help_text="The last `limit` messages, oldest first.")


@extend_schema_field({"type": "string", "minLength": 1, "maxLength": MAX_MESSAGE_LENGTH, "pattern": r"\S"})
class ChatMessageField(serializers.CharField):
    """A chat message as sent. Emptiness and length are the chat service's rule (``validate_chat_message``,
    with its own messages); the schema states the same rule for clients."""

    def __init__(self, **kwargs):
        super().__init__(trim_whitespace=False, **kwargs)


class ChatInputSerializer(StrictInputSerializer):
    user_id = serializers.IntegerField(required=False, min_value=1, help_text="Defaults to the caller.")
    message = ChatMessageField(help_text=f"1-{MAX_MESSAGE_LENGTH} characters, not only whitespace.")
    language = serializers.CharField(required=False, default="en", max_length=35, help_text="BCP 47 tag, e.g. en-IN.")
    ip_address = serializers.IPAddressField(
        required=False,
        allow_null=True,
        help_text="The address the client believes it has: kept as client_reported_ip, unverified. The session's "
        "ip_address is always the one the server observes.",
    )
    user_agent = serializers.CharField(required=False, allow_blank=True, max_length=512)


class SourceSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    snippet = serializers.CharField()
    rank = serializers.FloatField()


class ChatReplySerializer(serializers.Serializer):
    answer = serializers.CharField()
    session_id = serializers.UUIDField()
    user_id = serializers.IntegerField()
    route = serializers.CharField(
        help_text="Which path answered: crisis (the safety layer's crisis response), wellbeing, course_query, "
        "smalltalk, memory, off_topic, or fallback (nothing in the lessons, or the model server failed)."
    )
    confidence = serializers.FloatField()
    sources = SourceSerializer(many=True)


class AudioMetadataSerializer(serializers.Serializer):
    language = serializers.CharField()
    engine = serializers.CharField()
    format = serializers.CharField()
    size_bytes = serializers.IntegerField(help_text="Size of the WAV file (decoded audio_data).")
    duration_seconds = serializers.FloatField(help_text="Length of the audio.")
    spoken_characters = serializers.IntegerField(
        help_text="How many characters from the start of the answer were given to the speech engine."
    )
    truncated = serializers.BooleanField(
        help_text="True when only the opening of the answer is spoken (the text answer is always complete)."
    )


class ChatAudioReplySerializer(ChatReplySerializer):
    audio_data = serializers.CharField(help_text="The spoken answer: a WAV file, base64-encoded.")
    metadata = AudioMetadataSerializer()


class AudioUnavailableSerializer(serializers.Serializer):
    """503: the answer was saved, but could not be spoken."""

    detail = serializers.CharField()
    errors = serializers.DictField()
    answer = serializers.CharField()
    session_id = serializers.UUIDField()


SESSION_TAGS = ["chat sessions"]
CHAT_TAGS = ["chat"]
# user_id: naming someone else is staff-only (403); staff naming nobody get 404 (lib.access.acting_for).
ACTING_FOR = {
    403: OpenApiResponse(description="user_id names someone else (staff only)."),
    404: OpenApiResponse(description="Staff only: user_id names no user."),
}
NOT_YOURS = OpenApiResponse(description="No such session of yours (or, for staff, of the user named in user_id).")


def _validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _acting_for(request, data: dict):
    return access.acting_for(
        actor=request.user, user_id=data.get("user_id"), what=access.CHAT_SESSIONS, where=request.path
    )


def _session_of(request, data: dict):
    """The named session among the conversations of the user the request acts for."""
    return get_object_or_404(
        selectors.conversations_owned_by(user=_acting_for(request, data)), session_id=data["session_id"]
    )


def _client(request, data: dict) -> dict:
    """The client as the server saw it (``client_fields``; the body may state the user agent), and the address
    the body claims, kept apart and unverified."""
    return {
        **client_fields(request, user_agent=data.get("user_agent")),
        "client_reported_ip": data.get("ip_address") or None,
    }


# --- Sessions ----------------------------------------------------------------------------


class SessionCheckView(APIView):
    """Whether the user has an active (unexpired) session; when not, the other fields are null."""

    @extend_schema(
        tags=SESSION_TAGS, parameters=[UserIdQuerySerializer], responses={200: SessionCheckSerializer, **ACTING_FOR}
    )
    def get(self, request):
        query = validated_query(UserIdQuerySerializer, request.query_params)
        user = _acting_for(request, query)
        conversation = selectors.active_conversation(user=user)
        if conversation is None:
            body = dict.fromkeys(SessionCheckSerializer().fields, None) | {"has_session": False}
        else:
            body = {
                "has_session": True,
                "session_id": conversation.session_id,
                "message_count": conversation.message_count,
                "last_activity": conversation.last_activity_at,
                "started_at": conversation.started_at,
            }
        return Response(SessionCheckSerializer(body).data)


class SessionCreateView(APIView):
    """Start a new session (the user's previous active one ends)."""

    parser_classes = [SmallJSONParser]

    @extend_schema(
        tags=SESSION_TAGS,
        request=SessionCreateInputSerializer,
        responses={201: SessionCreatedSerializer, **ACTING_FOR},
    )
    def post(self, request):
        data = _validated(SessionCreateInputSerializer, request.data)
        user = _acting_for(request, data)
        conversation = services.conversation_create(
            user=user, device_type=data.get("device_type"), **_client(request, data)
        )
        body = {
            "session_id": conversation.session_id,
            "user_id": user.pk,
            "started_at": conversation.started_at,
            "message": "Session created successfully",
        }
        return Response(SessionCreatedSerializer(body).data, status=status.HTTP_201_CREATED)


class SessionEndView(APIView):
    parser_classes = [SmallJSONParser]

    @extend_schema(
        tags=SESSION_TAGS,
        request=SessionEndInputSerializer,
        responses={200: SessionEndedSerializer, **ACTING_FOR, 404: NOT_YOURS},
    )
    def post(self, request):
        data = _validated(SessionEndInputSerializer, request.data)
        conversation = _session_of(request, data)
        services.conversation_end(conversation=conversation, by=request.user)
        return Response({"session_id": str(conversation.session_id), "message": "Session ended successfully"})


# The conversation's fields the authentication statement reads for a history read (``history_probe``).
PROBED = frozenset({"id", "session_id", "user_id", "message_count"})


@cache
def _probed_order() -> tuple[str, ...]:
    """``PROBED`` in the model's field order, the order ``from_db`` takes values in (computed once)."""
    return tuple(field.attname for field in Conversation._meta.concrete_fields if field.attname in PROBED)


class SessionHistoryView(OneRoundTripThrottling, APIView):
    """The last ``limit`` (1-200, default 20) messages of a session, oldest first; served from the cache when
    it holds them.

    Read from the cache, it costs one SQL statement and one Redis round trip: the token's lookup carries the
    caller's conversation with that session id and its message count (``authentication_extras``), and the
    throttles' round trip reads its cache entry (``prefetch_cache_keys``). The entry is served only when its
    count is the database's, as ever. Signed in with a session, or naming another user (staff), the
    conversation is a query of its own and the entry a round trip of its own."""

    def authentication_extras(self, request) -> dict:
        try:
            self.probed_session_id = uuid.UUID(hex=request.query_params.get("session_id", ""))
        except (TypeError, ValueError):
            return {}
        return selectors.history_probe(session_id=self.probed_session_id)

    def prefetch_cache_keys(self, request) -> list[str]:
        conversation_id = getattr(request.auth, "history_conversation_id", None)
        return history_cache.keys_to_prefetch(conversation_id)

    def _conversation(self, request, query: dict) -> Conversation:
        user = _acting_for(request, query)
        probed = user == request.user and hasattr(request.auth, "history_conversation_id")
        if not probed or getattr(self, "probed_session_id", None) != query["session_id"]:
            return get_object_or_404(selectors.conversation_for_history(user=user, session_id=query["session_id"]))
        if request.auth.history_conversation_id is None:
            raise Http404("No such session of yours.")
        # As ``.only(*PROBED)`` would read it (``from_db``: no field defaults computed, as a read computes none).
        values = {
            "id": request.auth.history_conversation_id,
            "session_id": query["session_id"],
            "user_id": user.pk,
            "message_count": request.auth.history_message_count,
        }
        names = _probed_order()
        return Conversation.from_db(None, names, [values[name] for name in names])

    @extend_schema(
        tags=SESSION_TAGS,
        parameters=[SessionHistoryQuerySerializer],
        responses={200: SessionHistorySerializer, **ACTING_FOR, 404: NOT_YOURS},
    )
    def get(self, request):
        query = validated_query(SessionHistoryQuerySerializer, request.query_params)
        conversation = self._conversation(request, query)
        key = history_cache.key(conversation.pk)
        entry = self.prefetched.get(key) if key in self.prefetched_keys else history_cache.UNREAD
        return Response(selectors.history_answer(conversation, query["limit"], entry=entry))


# --- Chat --------------------------------------------------------------------------------


class _ChatView(OneRoundTripThrottling, APIView):
    parser_classes = [SmallJSONParser]
    throttle_classes = [UserRateThrottle, ChatRateThrottle]

    def send(self, request) -> tuple[ChatResult, dict, dict]:
        data = _validated(ChatInputSerializer, request.data)
        user = _acting_for(request, data)
        result = services.chat_send(
            user=user, message=data["message"], language=data["language"], **_client(request, data)
        )
        body = {
            "answer": result.reply.answer,
            "session_id": str(result.conversation.session_id),
            "user_id": user.pk,
            "route": result.reply.route,
            "confidence": result.reply.confidence,
            "sources": result.reply.sources,
        }
        return result, body, data


class ChatView(_ChatView):
    """One chat turn (seed 004's seven steps): the active session or a new one, the assistant's answer, both
    messages saved."""

    @extend_schema(
        tags=CHAT_TAGS,
        request=ChatInputSerializer,
        responses={200: ChatReplySerializer, **ACTING_FOR, 429: OpenApiResponse(description="Too many messages.")},
    )
    def post(self, request):
        _result, body, _data = self.send(request)
        return Response(body)


class ChatWithAudioView(_ChatView):
    """A chat turn whose answer is also spoken (espeak-ng, WAV). The text answer is always complete; only its
    opening is spoken (about 500 characters, cut at a sentence end, at most 45 s of audio), and ``metadata`` says
    how much. When speech is unavailable the answer is still saved and returned with 503."""

    @extend_schema(
        tags=CHAT_TAGS,
        request=ChatInputSerializer,
        responses={
            200: ChatAudioReplySerializer,
            **ACTING_FOR,
            429: OpenApiResponse(description="Too many messages."),
            503: AudioUnavailableSerializer,
        },
    )
    def post(self, request):
        result, body, data = self.send(request)
        try:
            speech = audio.synthesize(result.reply.answer, data["language"])
        except audio.AudioUnavailable as unavailable:
            return Response(
                {
                    "detail": unavailable.detail,
                    "errors": unavailable.errors,
                    "answer": body["answer"],
                    "session_id": body["session_id"],
                },
                status=unavailable.status_code,
            )
        return Response({**body, "audio_data": speech.base64, "metadata": speech.metadata})
