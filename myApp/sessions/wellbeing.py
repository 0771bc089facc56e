"""The guided wellbeing modules and the declared schema of each one's ``completion_data``.

Schemas are DRF serializers: they name the failing field in a 400 and render
validated data back to plain JSON (ISO dates) for the ``metadata`` document.
"""

from rest_framework import serializers

from myApp.sessions.models import WellbeingModule

BREATHING_STEPS = ("breathing", "emotion_naming", "body_scan", "grounding")
EMOTIONS = (
    "Anxious",
    "Stressed",
    "Overwhelmed",
    "Sad",
    "Angry",
    "Tired",
    "Neutral",
    "Calm",
    "Hopeful",
    "Happy",
)
MOODS = ("Happy", "Calm", "Content", "Neutral", "Tired", "Anxious", "Sad", "Angry", "Frustrated", "Excited")
MAX_NOTE = 1000
MAX_STROKES = 300
MAX_POINTS = 20_000
CANVAS_MAX = 4096

# A short self-check written for this product (not a diagnostic instrument):
# each statement is rated 1 (not at all) to 5 (very much) for the past week.
ASSESSMENT_QUESTIONS = (
    "I felt calm when I had to speak up.",
    "I slept well enough to feel rested.",
    "I could concentrate on what I was doing.",
    "I felt connected to people around me.",
    "I managed worries when they came up.",
    "I had energy for things I care about.",
    "I was kind to myself when something went wrong.",
    "I felt able to ask for help if I needed it.",
    "I enjoyed at least one moment each day.",
    "I felt hopeful about the coming week.",
)
ASSESSMENT_MIN, ASSESSMENT_MAX = 1, 5


class BreathingTimings(serializers.Serializer):
    inhale = serializers.IntegerField(min_value=1, max_value=12)
    hold = serializers.IntegerField(min_value=0, max_value=12)
    exhale = serializers.IntegerField(min_value=1, max_value=12)
    hold_after = serializers.IntegerField(min_value=0, max_value=12)


class BreathingCompletion(serializers.Serializer):
    completed_steps = serializers.ListField(
        child=serializers.ChoiceField(choices=BREATHING_STEPS), allow_empty=False, max_length=len(BREATHING_STEPS)
    )
    emotion = serializers.ChoiceField(choices=EMOTIONS)
    intensity = serializers.IntegerField(min_value=0, max_value=100)
    timestamp = serializers.DateTimeField(required=False)
    timings = BreathingTimings(required=False)


class EmotionLabelingCompletion(serializers.Serializer):
    mood = serializers.ChoiceField(choices=MOODS)
    date = serializers.DateField(required=False)
    note = serializers.CharField(max_length=MAX_NOTE, required=False, allow_blank=True)


def _validate_strokes(strokes: list) -> list:
    total = 0
    for index, stroke in enumerate(strokes):
        if not isinstance(stroke, list):
            raise serializers.ValidationError(f"Stroke {index} must be a list of [x, y] points.")
        for point in stroke:
            if (
                not isinstance(point, list | tuple)
                or len(point) != 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in point)
                or not all(0 <= v <= CANVAS_MAX for v in point)
            ):
                raise serializers.ValidationError(f"Stroke {index} has a point that is not [x, y] within the canvas.")
        total += len(stroke)
    if total > MAX_POINTS:
        raise serializers.ValidationError(f"At most {MAX_POINTS} points in all.")
    return strokes


class SketchData(serializers.Serializer):
    has_drawing = serializers.BooleanField()
    strokes = serializers.ListField(required=False, max_length=MAX_STROKES, validators=[_validate_strokes])
    width = serializers.IntegerField(required=False, min_value=1, max_value=CANVAS_MAX)
    height = serializers.IntegerField(required=False, min_value=1, max_value=CANVAS_MAX)


class InnerDoodlingCompletion(serializers.Serializer):
    sketch_data = SketchData()


class QuickAssessmentCompletion(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.IntegerField(min_value=ASSESSMENT_MIN, max_value=ASSESSMENT_MAX), allow_empty=False
    )
    total_questions = serializers.IntegerField(min_value=len(ASSESSMENT_QUESTIONS), max_value=len(ASSESSMENT_QUESTIONS))

    def validate_answers(self, answers: dict) -> dict:
        valid = {str(index) for index in range(len(ASSESSMENT_QUESTIONS))}
        unknown = sorted(set(map(str, answers)) - valid, key=str)
        if unknown:
            raise serializers.ValidationError(f"Unknown question index: {', '.join(unknown)} (use 0-{len(valid) - 1}).")
        return {str(key): value for key, value in answers.items()}


SCHEMAS: dict[str, type[serializers.Serializer]] = {
    WellbeingModule.BREATHING: BreathingCompletion,
    WellbeingModule.EMOTION_LABELING: EmotionLabelingCompletion,
    WellbeingModule.INNER_DOODLING: InnerDoodlingCompletion,
    WellbeingModule.QUICK_ASSESSMENT: QuickAssessmentCompletion,
}
