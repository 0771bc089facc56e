from django import forms


class VacationForm(forms.Form):
    on = forms.ChoiceField(choices=[("on", "Start a vacation"), ("off", "End the vacation")])
