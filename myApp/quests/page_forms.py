"""Forms of the therapeutic quest pages: marketplace filters, rating, a step of play, a review, a revision.

They check the shape of the input (so a bad value keeps the person's input and names the field); the
rules (who may rate, which edge leaves the node, who reviews) are the services'.
"""

from typing import Any

from django import forms

from myApp.lib.exceptions import ServiceError
from myApp.quests import graph
from myApp.quests.models import AgeRange, PsychologicalModule, Quest
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
    rating = forms.TypedChoiceField(
        label="Stars",
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose from 1 to 5 stars."},
    )
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
        error_messages={"required": "Choose whether to approve the quest or send it back."},
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        scales = {
            field: forms.TypedChoiceField(
                label=label,
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose a score from 1 to 5."},
            )
            for field, label in SCALE_LABELS.items()
        }
        self.fields = {**scales, **self.fields}

    def scores(self) -> dict[str, int]:
        return {field: self.cleaned_data[field] for field in SCALE_LABELS}


class DecisionForm(forms.Form):
    """The decision on a review already submitted (through the API) and awaiting one."""

    decision = ReviewForm.base_fields["decision"]


class RevisionForm(forms.Form):
    """A creator's quest, the graph written as its YAML. The YAML is read by ``graph.yaml_to_graph`` (every
    mistake a message on the YAML field naming the node or edge); the service validates and screens the rest."""

    title = forms.CharField(label="Title", max_length=200)
    psychological_module = forms.ChoiceField(label="Psychological module", choices=PsychologicalModule.choices)
    age_range = forms.ChoiceField(label="Age range", choices=AgeRange.choices)
    location = forms.CharField(label="Location (optional)", required=False, max_length=120)
    is_public = forms.BooleanField(label="List it in the marketplace once approved", required=False)
    quest_yaml = forms.CharField(
        label="The quest as YAML: nodes (start, scene, choice, ending) and the edges between them",
        max_length=2 * graph.MAX_BYTES,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code"}),
    )

    @classmethod
    def for_quest(cls, quest: Quest, data=None) -> "RevisionForm":
        initial = {field: getattr(quest, field) for field in cls.base_fields}
        return cls(data, initial=initial)

    def clean_quest_yaml(self) -> dict:
        try:
            return graph.yaml_to_graph(self.cleaned_data["quest_yaml"])
        except graph.GraphError as error:
            raise forms.ValidationError([text for texts in error.errors.values() for text in texts]) from None

    def changes(self) -> dict[str, Any]:
        """What the service takes (``services.quest_revise``), from valid input."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "psychological_module": data["psychological_module"],
            "age_range": data["age_range"],
            "location": data["location"],
            "is_public": data["is_public"],
            "graph_structure": data["quest_yaml"],
        }

    def add_service_errors(self, error: ServiceError) -> None:
        """A refusal next to its field; what it says about the graph (``graph_structure.nodes.<id>.text``)
        goes on the YAML field, naming the node or edge."""
        for path, messages in error.errors.items():
            name, _, rest = path.partition(".")
            if name in ("graph_structure", "quest_yaml"):
                field = "quest_yaml"
                where = rest.split(".")
                if len(where) == 3:  # nodes.<id>.<key> or edges.<id>.<key>
                    kind = {"nodes": "node", "edges": "edge"}.get(where[0], where[0])
                    messages = [f"{kind} {where[1]!r}, {where[2]}: {message}" for message in messages]
            else:
                field = name if name in self.fields else None
            for message in messages:
                self.add_error(field, message)
        if not error.errors:
            self.add_error(None, error.detail)
