"""Clinician pages that add to the caseload: a new client, and a new session of a client (which the session's
page then takes a transcript for). The rules are the services' (``client_create``: only psychologists take
clients; ``therapy_session_create``: only the client's clinician); the forms check the shapes and the model's
own bounds, and a refusal comes back on the form, with what was typed kept."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from myApp.curriculum.views.common import refuse
from myApp.lib.create_once import CreationKeyForm
from myApp.lib.exceptions import ServiceError
from myApp.lib.forms import add_service_errors
from myApp.sessions import clinical_selectors as selectors
from myApp.sessions.models import Client, SessionStatus, SessionType
from myApp.sessions.services import clinical as services


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")], label="Decision")
    note = forms.CharField(max_length=services.NOTE_MAX, required=False, label="Reason")


class ClientForm(CreationKeyForm, forms.ModelForm):
    """Sent twice, it adds one client (``services.client_create_once``)."""

    class Meta:
        model = Client
        fields = ["display_name", "age", "gender", "clinical_notes"]
        labels = {"display_name": "Name", "clinical_notes": "Clinical notes"}
        help_texts = {
            "display_name": "How you refer to the client. Transcripts may label their lines with it.",
            "age": "Optional.",
            "gender": "Optional, in the client's words.",
            "clinical_notes": "Optional. Only you (and staff, recorded) can read them.",
        }


class SessionForm(CreationKeyForm):
    """Sent twice, it adds one session (``services.therapy_session_create_once``)."""

    date = forms.DateTimeField(
        label="Date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=f"In {settings.TIME_ZONE} time.",
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes", min_value=1, max_value=24 * 60, required=False, help_text="Optional."
    )
    session_type = forms.ChoiceField(label="Type", choices=SessionType.choices, initial=SessionType.INDIVIDUAL)


# Not never_cache: Back must bring the form back with the key it was drawn with, so sending it again finds the row
# it added; a form brought back and filled in for someone else is told apart by ``is_resend`` (``lib.create_once``).
@login_required
@require_http_methods(["GET", "POST"])
def client_new(request: HttpRequest) -> HttpResponse:
    if not selectors.is_clinician(request.user):
        raise Http404("Clients are for clinicians.")
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client, added = services.client_create_once(clinician=request.user, **form.cleaned_data)
        except ServiceError as error:
            add_service_errors(form, error)
        else:
            if added:
                messages.success(request, f"{client.display_name} is on your caseload. Add their first session below.")
                if selectors.namesakes_of(client):
                    messages.info(
                        request,
                        f"You have another client called {client.display_name}: your client list shows each one's "
                        "age and when they were added, to tell them apart.",
                    )
            else:
                messages.info(request, f"{client.display_name} was already added from this form: this is their page.")
            return redirect("clinic:client", client.pk)
    return render(request, "clinic/client_form.html", {"form": form}, status=400 if form.errors else 200)


# Not never_cache: Back must bring the form back with the key it was drawn with, so sending it again finds the row
# it added; a form brought back and filled in for someone else is told apart by ``is_resend`` (``lib.create_once``).
@login_required
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_for(viewer=request.user, client_id=pk, where=request.path, for_write=True)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session, added = services.therapy_session_create_once(client=client, by=request.user, **form.cleaned_data)
        except ServiceError as error:
            add_service_errors(form, error)
        else:
            if added:
                messages.success(request, "The session is added. Upload its transcript below.")
            else:
                messages.info(request, "This session was already added from this form: this is its page.")
            return redirect("clinic:session", session.pk)
    context = {"form": form, "client": client}
    return render(request, "clinic/session_form.html", context, status=400 if form.errors else 200)


class SessionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=SessionStatus.choices)


@login_required
@require_POST
def session_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the session along its statuses (scheduled, in progress, completed, cancelled) as the service allows."""
    session = selectors.therapy_session_for(viewer=request.user, session_id=pk, where=request.path, for_write=True)
    form = SessionStatusForm(request.POST)
    back = reverse("clinic:session", args=[session.pk])
    try:
        if not form.is_valid():
            raise ServiceError("Choose a status.", errors={"status": ["Choose one of the session's statuses."]})
        session = services.therapy_session_status_set(
            session=session, by=request.user, status=form.cleaned_data["status"]
        )
    except ServiceError as error:
        return refuse(request, error, back_url=back, back_label="Back to the session")
    messages.success(request, f"The session is {session.get_status_display().lower()}.")
    return redirect(back)
