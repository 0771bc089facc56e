"""Page forms for the curriculum: they shape and check input; the services hold the rules."""

from typing import Any

from django import forms

from myApp.curriculum.models import CourseLevel
from myApp.curriculum.services.amphitheatre import MAX_REFLECTION
from myApp.curriculum.services.lessons import MAX_TEXT_ANSWER
from myApp.curriculum.services.milestone_reviews import MAX_COMMENTS as MAX_REVIEW_COMMENTS
from myApp.curriculum.services.milestones import MAX_TRANSCRIPT, RUBRIC_CRITERIA
from myApp.curriculum.services.speech import MAX_TOPIC
from myApp.curriculum.services.stakes import MAX_SCENARIO_LENGTH, MAX_SCENARIOS
from myApp.curriculum.services.world import MAX_ATTEMPT_NOTES

SCALE_CHOICES = [(n, str(n)) for n in range(1, 6)]


def _score_field(criterion: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=criterion.replace("_", " ").capitalize(),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"}),
    )


class StepAnswerForm(forms.Form):
    """The answer to one lesson step; the field follows the step's kind (text, choice, scale)."""

    step = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, step: dict[str, Any], index: int, **kwargs: Any):
        super().__init__(*args, initial={"step": index}, **kwargs)
        prompt = step.get("prompt", "Your answer")
        kind = step.get("kind", "text")
        if kind == "choice":
            choices = [(choice, choice) for choice in step.get("choices", [])]
            self.fields["value"] = forms.ChoiceField(label=prompt, choices=choices, widget=forms.RadioSelect)
        elif kind == "scale":
            self.fields["value"] = forms.TypedChoiceField(
                label=prompt,
                choices=SCALE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text="1 = not at all, 5 = completely.",
            )
        else:
            self.fields["value"] = forms.CharField(
                label=prompt, max_length=MAX_TEXT_ANSWER, widget=forms.Textarea(attrs={"rows": 5})
            )


class MilestoneForm(forms.Form):
    """A milestone recording (a file or an https URL), its transcript, and a 0-100 score per criterion."""

    audio = forms.FileField(
        label="Recording (audio file)",
        required=False,
        widget=forms.FileInput(attrs={"accept": "audio/*"}),
        help_text="WebM, OGG, WAV, MP3 or M4A. It is measured for pace, pauses, pitch variety and filler words. "
        "Or give a link below (a link cannot be measured).",
    )
    audio_url = forms.URLField(
        label="Or a link to the recording", required=False, assume_scheme="https", help_text="An https:// address."
    )
    transcript = forms.CharField(
        label="Transcript", required=False, max_length=MAX_TRANSCRIPT, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for criterion in RUBRIC_CRITERIA:
            self.fields[criterion] = _score_field(criterion)

    def score_fields(self) -> list[forms.BoundField]:
        return [self[criterion] for criterion in RUBRIC_CRITERIA]

    def recording_fields(self) -> list[forms.BoundField]:
        return [self["audio"], self["audio_url"], self["transcript"]]

    def rubric_scores(self) -> dict[str, int]:
        return {criterion: self.cleaned_data[criterion] for criterion in RUBRIC_CRITERIA}


class MilestoneReviewForm(forms.Form):
    """A teacher's review: comments for the learner and, optionally, their own 0-100 score per criterion."""

    comments = forms.CharField(
        label="Comments for the learner", max_length=MAX_REVIEW_COMMENTS, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for criterion in RUBRIC_CRITERIA:
            field = _score_field(criterion)
            field.required = False
            field.help_text = "Optional: counts instead of the learner's own score."
            self.fields[criterion] = field

    def score_fields(self) -> list[forms.BoundField]:
        return [self[criterion] for criterion in RUBRIC_CRITERIA]

    def scores(self) -> dict[str, int]:
        return {
            criterion: self.cleaned_data[criterion]
            for criterion in RUBRIC_CRITERIA
            if self.cleaned_data.get(criterion) is not None
        }


class AmphitheatreSubmitForm(forms.Form):
    """Scores for one exercise of the visit's plan, with an optional reflection."""

    exercise_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reflection = forms.CharField(
        label="Reflection", required=False, max_length=MAX_REFLECTION, widget=forms.Textarea(attrs={"rows": 3})
    )
    # The recorded talk (checked by its content and converted by the speech services, not here).
    audio = forms.FileField(
        label="Your recording",
        required=False,
        help_text="Optional: WebM, OGG, WAV, MP3 or M4A. It is analysed for pace, pauses, pitch variety and fillers.",
        widget=forms.ClearableFileInput(attrs={"accept": "audio/*"}),
    )
    # The impromptu topic the page drew (posted back with the recording).
    topic = forms.CharField(required=False, max_length=MAX_TOPIC, widget=forms.HiddenInput)

    def __init__(self, *args: Any, exercise_key: str, **kwargs: Any):
        # Several of these forms share a page: ids carry the exercise key so labels stay unique.
        kwargs.setdefault("auto_id", f"id_{exercise_key}_%s")
        super().__init__(*args, initial={"exercise_key": exercise_key}, **kwargs)
        for criterion in RUBRIC_CRITERIA:
            self.fields[criterion] = _score_field(criterion)
        self.fields["reflection"] = self.fields.pop("reflection")  # after the scores

    def scores(self) -> dict[str, int]:
        return {criterion: self.cleaned_data[criterion] for criterion in RUBRIC_CRITERIA}


class VenueAttemptForm(forms.Form):
    """A scored attempt at one task-sheet exercise during a venue visit."""

    exercise_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    score = forms.IntegerField(
        label="Your score (0-100)",
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label="Notes", required=False, max_length=MAX_ATTEMPT_NOTES, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, exercise_key: str, **kwargs: Any):
        kwargs.setdefault("auto_id", f"id_attempt_{exercise_key}_%s")
        super().__init__(*args, initial={"exercise_key": exercise_key}, **kwargs)


class StakesMapForm(forms.Form):
    """The learner's high-stakes speaking situations, one per line."""

    scenarios = forms.CharField(
        label="Situations that matter to you",
        required=False,
        max_length=MAX_SCENARIOS * (MAX_SCENARIO_LENGTH + 2),
        widget=forms.Textarea(attrs={"rows": MAX_SCENARIOS}),
        help_text=f"One per line, up to {MAX_SCENARIOS}: a thesis defence, the Monday stand-up, a toast at a wedding.",
    )

    def scenario_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["scenarios"].splitlines() if line.strip()]


class CourseFilterForm(forms.Form):
    country = forms.ChoiceField(label="Country", required=False)
    level = forms.ChoiceField(label="Level", required=False, choices=[("", "Any level"), *CourseLevel.choices])

    def __init__(self, *args: Any, countries: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "Any country"), *((country, country) for country in countries)]


class RecordingTranscriptForm(forms.Form):
    """The learner's transcript of a recording, typed or pasted (pace and filler words are measured from it)."""

    transcript = forms.CharField(
        label="Transcript",
        required=False,
        max_length=20_000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you said, as you said it: keep the ums and the repeats, they are what is measured.",
    )
