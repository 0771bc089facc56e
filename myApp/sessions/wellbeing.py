"""The guided wellbeing modules and the declared schema of each one's ``completion_data``.

Schemas are DRF serializers that validate what is present (seed 000's frontend
sends ``{}`` when it has nothing, and the seed's model makes the data optional):
every declared field is optional, and when present its type, range and choices
are checked (choices case-insensitively, stored in their canonical spelling);
keys a schema does not declare are kept as sent. A failing field is named in
the 400, and validated data renders back to plain JSON (ISO dates, timestamps
in the one API format) for the ``metadata`` document.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from myApp.lib.timestamps import format_timestamp
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


@dataclass(frozen=True)
class AssessmentBand:
    """How to read a self-check's total: by the average score per answered statement, so a skipped statement
    neither lowers nor raises it. ``means`` and ``does_not_mean`` are shown beside every total (the report, its
    PDF): a number about feelings is easy to over-read."""

    key: str
    label: str
    lowest_average: Fraction  # the band holds averages from here up to the next band's
    means: str
    does_not_mean: str


# Highest first. The statements are all positive ("I felt calm..."), so a higher average is a better week.
ASSESSMENT_BANDS = (
    AssessmentBand(
        "mostly_well",
        "Mostly going well",
        Fraction(7, 2),
        "Most statements felt true this week: calm, rest, energy and support were there more often than not.",
        "It does not mean nothing is hard, or that there is no need to talk to someone.",
    ),
    AssessmentBand(
        "mixed",
        "A mixed week",
        Fraction(5, 2),
        "Some statements felt true and some did not: some things went well and some were a strain.",
        "It is not a score to pass or fail, and one week says little about the next.",
    ),
    AssessmentBand(
        "hard",
        "A hard week",
        Fraction(ASSESSMENT_MIN),
        "Most statements did not feel true this week: it may help to talk to someone you trust.",
        "It is not a diagnosis of any condition; only a professional can assess that.",
    ),
)
ASSESSMENT_BAND_NOTE = "A self-check written for this product, not a diagnostic test; it reflects one week."


def assessment_band(*, total: int, answered: int) -> AssessmentBand | None:
    """The band of a self-check with ``total`` points over ``answered`` statements; None with no answer."""
    if answered <= 0:
        return None
    average = Fraction(total, answered)
    return next(band for band in ASSESSMENT_BANDS if average >= band.lowest_average)


class OpenSchema(serializers.Serializer):
    """Declared fields are optional and checked when present; undeclared keys pass through unchanged."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            field.required = False
        return fields

    def _with_undeclared(self, sent: Any, declared: dict) -> dict:
        """``sent``'s keys in their order: declared ones as validated/rendered, the others as sent."""
        return {
            key: declared.get(key, value) for key, value in sent.items() if key in declared or key not in self.fields
        }

    def to_internal_value(self, data: Any) -> dict:
        return self._with_undeclared(data, super().to_internal_value(data))

    def to_representation(self, instance: Any) -> dict:
        return self._with_undeclared(instance, super().to_representation(instance))


class CanonicalChoiceField(serializers.ChoiceField):
    """A choice matched case-insensitively ("anxious") and stored in its canonical spelling ("Anxious")."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            folded = {str(choice).casefold(): choice for choice in self.choices}
            if data.casefold() in folded:
                return folded[data.casefold()]
        return super().to_internal_value(data)


class TextField(serializers.CharField):
    """Text only: DRF's CharField would store a number sent as a note as its digits."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TimestampField(serializers.DateTimeField):
    """A datetime stored as a string in the one API timestamp format."""

    def to_representation(self, value: Any) -> Any:
        return format_timestamp(value) if isinstance(value, datetime) else value


class BreathingTimings(OpenSchema):
    inhale = serializers.IntegerField(min_value=1, max_value=12)
    hold = serializers.IntegerField(min_value=0, max_value=12)
    exhale = serializers.IntegerField(min_value=1, max_value=12)
    hold_after = serializers.IntegerField(min_value=0, max_value=12)


class BreathingCompletion(OpenSchema):
    completed_steps = serializers.ListField(
        child=CanonicalChoiceField(choices=BREATHING_STEPS), allow_empty=False, max_length=len(BREATHING_STEPS)
    )
    emotion = CanonicalChoiceField(choices=EMOTIONS)
    intensity = serializers.IntegerField(min_value=0, max_value=100)
    timestamp = TimestampField()
    timings = BreathingTimings()

    def validate_completed_steps(self, steps: list[str]) -> list[str]:
        if len(set(steps)) != len(steps):
            raise serializers.ValidationError("List each step once.")
        return steps


class EmotionLabelingCompletion(OpenSchema):
    mood = CanonicalChoiceField(choices=MOODS)
    date = serializers.DateField()
    note = TextField(max_length=MAX_NOTE, allow_blank=True)

    def validate_date(self, value: date) -> date:
        # A mood is how someone feels, so not of a day to come; a day's grace covers every time zone.
        if value > timezone.localdate() + timedelta(days=1):
            raise serializers.ValidationError("A mood is for today or a day that has passed.")
        return value


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


class SketchData(OpenSchema):
    """A doodle: the strokes drawn on the canvas (with the canvas size), and whether there is a drawing.

    A drawing is what the strokes show, or what the person says (a doodle on paper): strokes make
    ``has_drawing`` true (said or not), and it cannot deny them. Empty strokes are dropped, and without
    strokes the canvas size describes nothing, so it goes too; a sketch with neither stays as sent
    (seed 000's clients may send ``{}``), which reads as no drawing."""

    has_drawing = serializers.BooleanField()
    strokes = serializers.ListField(max_length=MAX_STROKES, validators=[_validate_strokes])
    width = serializers.IntegerField(min_value=1, max_value=CANVAS_MAX)
    height = serializers.IntegerField(min_value=1, max_value=CANVAS_MAX)

    def validate(self, attrs: dict) -> dict:
        strokes = [stroke for stroke in attrs.get("strokes") or [] if stroke]
        if strokes and attrs.get("has_drawing") is False:
            raise serializers.ValidationError({"has_drawing": ["Strokes were sent, so there is a drawing."]})
        if strokes:
            return {**attrs, "strokes": strokes, "has_drawing": True}
        return {key: value for key, value in attrs.items() if key not in ("strokes", "width", "height")}


class InnerDoodlingCompletion(OpenSchema):
    sketch_data = SketchData()


NO_ANSWER = "Answer at least one statement."


class QuickAssessmentCompletion(OpenSchema):
    answers = serializers.DictField(
        child=serializers.IntegerField(min_value=ASSESSMENT_MIN, max_value=ASSESSMENT_MAX),
        allow_empty=False,
        error_messages={"empty": NO_ANSWER},
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
