"""The wellbeing report as the API renders it: per guided module, summaries and recent trends."""

from rest_framework import serializers


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
