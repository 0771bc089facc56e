from django import forms
from django.contrib.auth.forms import BaseUserCreationForm

from myApp.accounts.models import PERSONA_FIELDS, SELF_SERVICE_ROLES, Profile, Role, User


class SignupForm(BaseUserCreationForm):
    email = forms.EmailField(required=False, help_text="Optional; used only to recover your account.")
    role = forms.ChoiceField(
        choices=[(role.value, role.label) for role in SELF_SERVICE_ROLES],
        initial=Role.LEARNER,
        label="I am signing up as a",
    )

    class Meta(BaseUserCreationForm.Meta):
        model = User
        fields = ["username", "email"]


class OnboardingForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = [*PERSONA_FIELDS, "mode"]
        labels = {
            "role": "What describes you best?",
            "main_goal": "Your main goal",
            "audience": "Who do you usually speak to?",
            "comfort_one_on_one": "Comfort speaking one-on-one",
            "comfort_small_group": "Comfort speaking to a small group",
            "comfort_large_audience": "Comfort speaking to a large audience",
            "mode": "How would you like to use the app?",
        }
        widgets = {
            name: forms.NumberInput(attrs={"min": 1, "max": 5})
            for name in ("comfort_one_on_one", "comfort_small_group", "comfort_large_audience")
        }
