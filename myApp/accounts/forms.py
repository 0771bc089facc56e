from django import forms
from django.contrib.auth.forms import BaseUserCreationForm

from myApp.accounts.models import PERSONA_FIELDS, SELF_SERVICE_ROLES, Profile, Role, User, time_zone_names
from myApp.accounts.services import USERNAME_UNAVAILABLE


class NewAccountForm(BaseUserCreationForm):
    """A username and a password (typed twice, never altered) for an account sign-up creates.

    Whether a username is free is the service's question, answered after the same password
    hashing a sign-up does, so the form does not check uniqueness itself (Django's model
    form would, quickly and with its own wording).
    """

    class Meta(BaseUserCreationForm.Meta):
        model = User
        fields = ["username"]
        error_messages = {"username": {"invalid": USERNAME_UNAVAILABLE, "max_length": USERNAME_UNAVAILABLE}}

    def validate_unique(self) -> None:
        pass

    def validate_constraints(self) -> None:
        pass  # the case-insensitive username constraint too: the service answers it, the database holds it


class SignupForm(NewAccountForm):
    email = forms.EmailField(required=False, help_text="Optional; used only to recover your account.")
    role = forms.ChoiceField(
        choices=[(role.value, role.label) for role in SELF_SERVICE_ROLES],
        initial=Role.LEARNER,
        label="I am signing up as a",
    )

    class Meta(NewAccountForm.Meta):
        fields = ["username", "email"]


class ChildAccountForm(NewAccountForm):
    """A parent creates their child's account (linked to them at once)."""

    prefix = "child"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's sign-up form focuses its username; on the Family page that scrolled the page past
        # the messages and the pairing-code form above it.
        self.fields["username"].widget.attrs.pop("autofocus", None)


class PairingCodeForm(forms.Form):
    prefix = "pairing"

    code = forms.CharField(
        max_length=32,
        label="Your child's pairing code",
        help_text=(
            "Your child makes it on their Family links page. It looks like ABCDE-FGHJK and works once, for 7 days."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]


class OnboardingForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        label="Your time zone",
        help_text="Your days, daily quests and streak follow it.",
        required=False,  # left out, it stays as it was
    )

    def clean_time_zone(self) -> str:
        return self.cleaned_data.get("time_zone") or self.instance.time_zone

    class Meta:
        model = Profile
        fields = [*PERSONA_FIELDS, "mode", "time_zone"]
        labels = {
            "role": "What describes you best?",
            "main_goal": "Your main goal",
            "audience": "Who do you usually speak to?",
            "comfort_one_on_one": "Comfort speaking one-on-one",
            "comfort_small_group": "Comfort speaking to a small group",
            "comfort_large_audience": "Comfort speaking to a large audience",
            "mode": "How would you like to use the app?",
        }
        # The model's help text speaks of "the learner", on a form that asks "you".
        help_texts = {"audience": "For example classmates, colleagues or clients."}
        widgets = {
            name: forms.NumberInput(attrs={"min": 1, "max": 5})
            for name in ("comfort_one_on_one", "comfort_small_group", "comfort_large_audience")
        }


class EraseAccountForm(forms.Form):
    """The password that confirms a person erases their own account (checked by ``services.account_erase``)."""

    password = forms.CharField(
        label="Your password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
