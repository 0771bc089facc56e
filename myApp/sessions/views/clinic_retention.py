"""Clinician pages for retention: the caseload's policy (on the client list) and discharging or reopening a
client (on the client's page). The rules are ``services.clinical.retention``'s; these only read the forms."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_POST

from myApp.curriculum.views.common import refuse
from myApp.lib.exceptions import ServiceError
from myApp.sessions import clinical_selectors as selectors
from myApp.sessions.models.clinical_retention import KEEP_YEARS_MAX, KEEP_YEARS_MIN
from myApp.sessions.services.clinical import retention as services

KEEP = ""


class RetentionPolicyForm(forms.Form):
    keep_years = forms.TypedChoiceField(
        label="Keep a discharged client's sessions and transcripts",
        choices=[(KEEP, "for good (nothing is deleted)")]
        + [
            (years, f"for {years} year{'s' if years > 1 else ''} after discharge")
            for years in range(KEEP_YEARS_MIN, KEEP_YEARS_MAX + 1)
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )


def policy_form(*, clinician) -> RetentionPolicyForm:
    keep_years = services.clinical_retention_policy_of(clinician=clinician)
    return RetentionPolicyForm(initial={"keep_years": KEEP if keep_years is None else keep_years})


@login_required
@require_POST
def retention_policy(request: HttpRequest) -> HttpResponse:
    back = reverse("clinic:clients")
    services.clinical_retention_policy_of(clinician=request.user)  # 404 for anyone but a clinician
    form = RetentionPolicyForm(request.POST)
    try:
        if not form.is_valid():
            message = f"Choose from {KEEP_YEARS_MIN} to {KEEP_YEARS_MAX} years, or keep the records."
            raise ServiceError(message, errors={"keep_years": [message]})
        policy = services.clinical_retention_policy_set(
            clinician=request.user, keep_years=form.cleaned_data["keep_years"]
        )
    except ServiceError as error:
        return refuse(request, error, back_url=back, back_label="Back to your clients")
    if policy.keep_years is None:
        messages.success(request, "Your discharged clients' sessions and transcripts are kept for good.")
        return redirect(back)
    years = f"{policy.keep_years} year{pluralize(policy.keep_years)}"
    messages.success(
        request,
        f"Your discharged clients' sessions and transcripts are deleted {years} after discharge. Open clients' "
        "records are never deleted.",
    )
    if past := services.clients_past_policy(clinician=request.user, keep_years=policy.keep_years):
        messages.warning(
            request,
            f"{len(past)} discharged client{pluralize(len(past))} discharged more than {years} ago: "
            f"{', '.join(past)}. Their sessions and transcripts are deleted at the next daily clean-up. To keep "
            "them, choose a longer time now, or reopen the client.",
        )
    return redirect(back)


def _client_treatment_change(request: HttpRequest, pk: int, change, done: str) -> HttpResponse:
    """Discharge or reopen (``change``, a service) the client ``pk``, then back to their page saying ``done``."""
    client = selectors.client_for(viewer=request.user, client_id=pk, where=request.path, for_write=True)
    try:
        client = change(client=client, by=request.user)
    except ServiceError as error:
        return refuse(request, error, back_url=reverse("clinic:client", args=[pk]), back_label="Back to the client")
    messages.success(request, f"{client.display_name} {done}")
    return redirect("clinic:client", client.pk)


@login_required
@require_POST
def client_discharge(request: HttpRequest, pk: int) -> HttpResponse:
    return _client_treatment_change(request, pk, services.client_discharge, "is discharged.")


@login_required
@require_POST
def client_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _client_treatment_change(request, pk, services.client_reopen, "is an open client again.")
