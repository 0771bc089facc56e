"""Admin forms that check the JSON staff type in against the content rules, a message per step."""

from django import forms

from myApp.curriculum.content_rules import lesson_steps_errors, task_sheet_errors
from myApp.curriculum.models import Lesson, VenueTaskSheet


class LessonAdminForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = ["module", "order", "title", "summary", "steps", "xp_reward"]

    def clean_steps(self) -> list:
        steps = self.cleaned_data.get("steps")
        errors = lesson_steps_errors(steps)
        if errors:
            raise forms.ValidationError(errors)
        return steps


class VenueTaskSheetAdminForm(forms.ModelForm):
    class Meta:
        model = VenueTaskSheet
        fields = ["venue", "title", "order", "exercises"]

    def clean_exercises(self) -> list:
        exercises = self.cleaned_data.get("exercises")
        errors = task_sheet_errors(exercises)
        if errors:
            raise forms.ValidationError(errors)
        return exercises
