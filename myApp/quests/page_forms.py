"""Forms of the therapeutic quest pages: marketplace filters, rating, a step of play, a review.

They check the shape of the input (so a bad value keeps the person's input and names the field); the
rules (who may rate, which edge leaves the node, who reviews) are the services'.
"""

from typing import Any

from django import forms

from myApp.quests.models import AgeRange, PsychologicalModule
from myApp.quests.selectors import MARKETPLACE_SORTS, MAX_SEARCH_LENGTH, MarketplaceFilters
from myApp.quests.services.play import MAX_REVIEW_TEXT

SORT_LABELS = {"rating": "Best rated", "plays": "Most played", "newest": "Newest"}
MIN_RATING_CHOICES = [("", "Any rating"), *((str(value), f"{value} stars or more") for value in (2, 3, 4, 5))]
STARS = [(value, f"{value} star{'s' if value > 1 else ''}") for value in range(1, 6)]
SCALE = [(1, "1: serious concerns"), (2, "2: weak"), (3, "3: acceptable"), (4, "4: good"), (5, "5: excellent")]
SCALE_LABELS = {
    "emotional_safety_score": "Emotional safety",
    "therapeutic_correctness_score": "Therapeutic correctness",
    "age_appropriateness_score": "Age appropriateness",
    "reveal_timing_score": "Reveal timing",
}
MAX_REVIEW_FIELD = 4000


class MarketplaceFilterForm(forms.Form):
    search = forms.CharField(label="Search", required=False, max_length=MAX_SEARCH_LENGTH)
    psychological_module = forms.ChoiceField(
        label="Module", required=False, choices=[("", "Any module"), *PsychologicalModule.choices]
    )
    age_range = forms.ChoiceField(label="Age range", required=False, choices=[("", "Any age"), *AgeRange.choices])
    location = forms.CharField(label="Location", required=False, max_length=120)
    min_rating = forms.TypedChoiceField(
        label="Minimum rating", required=False, choices=MIN_RATING_CHOICES, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(
        label="Sort by", required=False, choices=[(key, SORT_LABELS[key]) for key in MARKETPLACE_SORTS]
    )

    def filters(self) -> MarketplaceFilters:
        """The selector's filters from valid input (``is_valid`` first)."""
        data = self.cleaned_data
        return MarketplaceFilters(
            psychological_module=data.get("psychological_module") or None,
            age_range=data.get("age_range") or None,
            location=(data.get("location") or "").strip() or None,
            min_rating=data.get("min_rating"),
            search=(data.get("search") or "").strip() or None,
            sort=data.get("sort") or "rating",
        )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label="Your rating", choices=STARS, coerce=int, widget=forms.RadioSelect)
    review_text = forms.CharField(
        label="What did you think? (optional)",
        required=False,
        max_length=MAX_REVIEW_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AdvanceForm(forms.Form):
    edge_id = forms.CharField(max_length=64, widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    """The four 1-5 scales, the written review and the decision."""

    strengths = forms.CharField(
        label="Strengths", required=False, max_length=MAX_REVIEW_FIELD, widget=forms.Textarea(attrs={"rows": 3})
    )
    concerns = forms.CharField(
        label="Concerns", required=False, max_length=MAX_REVIEW_FIELD, widget=forms.Textarea(attrs={"rows": 3})
    )
    recommendations = forms.CharField(
        label="Recommendations",
        required=False,
        max_length=MAX_REVIEW_FIELD,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve: list the quest"), ("reject", "Reject: send it back to the author")],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        scales = {
            field: forms.TypedChoiceField(label=label, choices=SCALE, coerce=int, widget=forms.RadioSelect)
            for field, label in SCALE_LABELS.items()
        }
        self.fields = {**scales, **self.fields}

    def scores(self) -> dict[str, int]:
        return {field: self.cleaned_data[field] for field in SCALE_LABELS}


class DecisionForm(forms.Form):
    """The decision on a review already submitted (through the API) and awaiting one."""

    decision = ReviewForm.base_fields["decision"]
