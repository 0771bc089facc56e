"""Chat API serializers: inputs validate, outputs render. No rule lives here."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from myApp.lib.api import StrictInputSerializer
from myApp.sessions import expiry
from myApp.sessions.models import Conversation, DeviceType, Message, MessageRole, ModuleCompletion, WellbeingModule
from myApp.sessions.selectors import HISTORY_LIMIT_MAX, completion_summary
from myApp.sessions.services.conversations import MAX_MESSAGE_LENGTH

HISTORY_LIMIT_DEFAULT = 20

# --- Guided modules (seed 000) ---------------------------------------------------------


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


# --- Sessions (seed 004) ---------------------------------------------------------------


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


# --- Chat (seed 004) -------------------------------------------------------------------


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


# --- /api/v1/ conversations and messages -----------------------------------------------


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


class CompletionSummarySerializer(serializers.Serializer):
    """One completion as the report shows it: the module's summary fields, never a doodle's strokes."""

    id = serializers.IntegerField()
    conversation_id = serializers.IntegerField()
    completed_at = serializers.DateTimeField()
    summary = serializers.DictField(
        help_text="Breathing: emotion, intensity, completed_steps. Mood: mood, date, note. Doodle: has_drawing, "
        "width, height (the strokes are on the completion's own endpoint). Self-check: answers, total, answered, "
        "possible, scores (per statement, null where skipped)."
    )


class ModuleReportSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Completions of this module, all time.")
    latest = CompletionSummarySerializer(allow_null=True)


class BreathingPointSerializer(serializers.Serializer):
    completed_at = serializers.DateTimeField()
    emotion = serializers.CharField(allow_null=True)
    intensity = serializers.IntegerField(allow_null=True)


class BreathingReportSerializer(ModuleReportSerializer):
    trend = BreathingPointSerializer(many=True, help_text="The most recent completions (trend_points), oldest first.")
    average_intensity = serializers.FloatField(allow_null=True, help_text="Over the trend's points.")


class MoodPointSerializer(serializers.Serializer):
    date = serializers.CharField()
    mood = serializers.CharField(allow_null=True)


class EmotionReportSerializer(ModuleReportSerializer):
    moods = MoodPointSerializer(many=True, help_text="The most recent check-ins (trend_points), oldest first.")


class DoodlingReportSerializer(ModuleReportSerializer):
    drawings = serializers.IntegerField(help_text="Doodles with a drawing, all time.")


class AssessmentTotalSerializer(serializers.Serializer):
    completed_at = serializers.DateTimeField()
    total = serializers.IntegerField()
    answered = serializers.IntegerField()
    possible = serializers.IntegerField()
    answers = serializers.DictField(child=serializers.IntegerField())
    scores = serializers.ListField(child=serializers.IntegerField(allow_null=True))


class AssessmentReportSerializer(ModuleReportSerializer):
    questions = serializers.ListField(child=serializers.CharField(), help_text="The statements, in scores' order.")
    totals = AssessmentTotalSerializer(many=True, help_text="The most recent self-checks (trend_points), oldest first.")


class PsychologyReportSerializer(serializers.Serializer):
    """Per guided module: the all-time count, the latest completion and a trend of the most recent ones, as
    summaries. The full history is /api/v1/module-completions/ (paginated); a doodle's strokes are on
    /api/v1/module-completions/{id}/."""

    total_completions = serializers.IntegerField()
    trend_points = serializers.IntegerField(help_text="How many recent completions each trend holds at most.")
    breathing_exercise = BreathingReportSerializer()
    emotion_labeling = EmotionReportSerializer()
    inner_doodling = DoodlingReportSerializer()
    quick_assessment = AssessmentReportSerializer()


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
