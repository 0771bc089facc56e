"""Page forms for chat and the guided modules.

They shape browser input into the services' arguments; the declared schemas in
``wellbeing.py`` (run by ``conversation_module_complete``) decide what is valid,
and their field errors (``completion_data.<field>``) land on the matching field here.
"""

from typing import Any

from django import forms
from django.utils import timezone

from myApp.lib import json_input
from myApp.lib.exceptions import ServiceError
from myApp.lib.forms import add_service_errors, field_for_error
from myApp.lib.timestamps import now_timestamp
from myApp.sessions import wellbeing
from myApp.sessions.services.conversations import MAX_MESSAGE_LENGTH

STEP_LABELS = {
    "breathing": "Slow breathing",
    "emotion_naming": "Naming the emotion",
    "body_scan": "Body scan",
    "grounding": "Grounding (feet on the floor, look around)",
}
TIMING_LABELS = {
    "inhale": "Breathe in (seconds)",
    "hold": "Hold (seconds)",
    "exhale": "Breathe out (seconds)",
    "hold_after": "Hold after breathing out (seconds)",
}
DEFAULT_SECONDS = 4
SCALE = [(n, str(n)) for n in range(wellbeing.ASSESSMENT_MIN, wellbeing.ASSESSMENT_MAX + 1)]


class RangeInput(forms.NumberInput):
    input_type = "range"


class ServiceErrorsMixin:
    """Put a service's ``completion_data.<path>`` errors on the field that produced them; a form overrides
    ``field_for_error`` where its fields are shaped differently from the data."""

    def field_for_error(self, path: str) -> str | None:
        return field_for_error(self, path)

    def add_service_errors(self, error: ServiceError) -> None:
        add_service_errors(self, error, prefix="completion_data.")


class ChatForm(ServiceErrorsMixin, forms.Form):
    # The length limit is the service's; the attribute only helps the browser.
    message = forms.CharField(
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_MESSAGE_LENGTH}),
        error_messages={"required": "Write a message."},
    )


def _timing_field(name: str) -> forms.IntegerField:
    schema_field = wellbeing.BreathingTimings().fields[name]
    return forms.IntegerField(
        label=TIMING_LABELS[name],
        initial=DEFAULT_SECONDS,
        widget=forms.NumberInput(
            attrs={
                "min": schema_field.min_value,
                "max": schema_field.max_value,
                "step": 1,
                "inputmode": "numeric",
                "data-timing": name,
            }
        ),
    )


class BreathingForm(ServiceErrorsMixin, forms.Form):
    inhale = _timing_field("inhale")
    hold = _timing_field("hold")
    exhale = _timing_field("exhale")
    hold_after = _timing_field("hold_after")
    completed_steps = forms.MultipleChoiceField(
        label="What did you do?",
        choices=[
            (step, STEP_LABELS.get(step, step.replace("_", " ").capitalize())) for step in wellbeing.BREATHING_STEPS
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one step you did."},
    )
    emotion = forms.ChoiceField(
        label="Which feeling is strongest now?",
        choices=[("", "Choose a feeling")] + [(e, e) for e in wellbeing.EMOTIONS],
        error_messages={"required": "Choose the feeling closest to how you are now."},
    )
    intensity = forms.IntegerField(
        label="How strong is it? (0 = barely, 100 = overwhelming)",
        initial=50,
        widget=RangeInput(attrs={"min": 0, "max": 100, "step": 1}),
    )

    def completion_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "completed_steps": data["completed_steps"],
            "emotion": data["emotion"],
            "intensity": data["intensity"],
            "timestamp": now_timestamp(),
            "timings": {name: data[name] for name in TIMING_LABELS},
        }


class MoodForm(ServiceErrorsMixin, forms.Form):
    mood = forms.ChoiceField(
        label="How do you feel?",
        choices=[(m, m) for m in wellbeing.MOODS],
        widget=forms.RadioSelect,
        error_messages={"required": "Pick the mood closest to how you feel."},
    )
    date = forms.DateField(label="Date", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label="A note (optional)",
        required=False,
        help_text=f"Up to {wellbeing.MAX_NOTE} characters: what happened, what might help.",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": wellbeing.MAX_NOTE}),
    )

    def completion_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"mood": data["mood"], "date": data["date"].isoformat(), "note": data["note"]}


class DoodleForm(ServiceErrorsMixin, forms.Form):
    strokes = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-doodle-strokes": ""}))
    width = forms.IntegerField(required=False, widget=forms.HiddenInput(attrs={"data-doodle-width": ""}))
    height = forms.IntegerField(required=False, widget=forms.HiddenInput(attrs={"data-doodle-height": ""}))
    on_paper = forms.BooleanField(label="I drew on paper", required=False)

    def field_for_error(self, path: str) -> str | None:
        return super().field_for_error(path.removeprefix("sketch_data.")) or "strokes"

    def clean_strokes(self) -> list:
        raw = self.cleaned_data["strokes"].strip()
        if not raw:
            return []
        try:
            strokes = json_input.loads(raw)
        except ValueError:
            strokes = None
        if not isinstance(strokes, list):
            raise forms.ValidationError("The drawing could not be read. Clear it and draw again.")
        return strokes

    def completion_data(self) -> dict[str, Any]:
        """What the page has; whether that is a drawing is the module's rule (``wellbeing.SketchData``)."""
        data = self.cleaned_data
        sketch: dict[str, Any] = {"strokes": data["strokes"]}
        sketch.update({side: data[side] for side in ("width", "height") if data[side] is not None})
        if data["on_paper"]:
            sketch["has_drawing"] = True
        return {"sketch_data": sketch}


class CheckInForm(ServiceErrorsMixin, forms.Form):
    """One 1-5 rating per statement of ``wellbeing.ASSESSMENT_QUESTIONS``; fields q0..q9. The module's schema
    asks for at least one answer, and its refusal shows above the statements."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for index, question in enumerate(wellbeing.ASSESSMENT_QUESTIONS):
            self.fields[f"q{index}"] = forms.TypedChoiceField(
                label=question, choices=SCALE, coerce=int, required=False, widget=forms.RadioSelect
            )

    def field_for_error(self, path: str) -> str | None:
        parts = path.split(".")
        if parts[0] == "answers" and len(parts) > 1 and f"q{parts[1]}" in self.fields:
            return f"q{parts[1]}"
        return None

    def answers(self) -> dict[str, int]:
        return {
            name.removeprefix("q"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("q") and value not in (None, "")
        }

    def completion_data(self) -> dict[str, Any]:
        return {"answers": self.answers(), "total_questions": len(wellbeing.ASSESSMENT_QUESTIONS)}
