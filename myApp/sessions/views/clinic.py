"""Pages for clinicians: their caseload with each client's last session, a client's sessions, and a session's
transcript with search within and the insights to approve or reject. Who sees what is
``clinical_selectors`` (own clients; staff read, recorded; everyone else 404)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from myApp.curriculum.views.common import refuse
from myApp.lib import access
from myApp.lib.exceptions import ServiceError
from myApp.sessions import clinical_selectors as selectors
from myApp.sessions import clinical_trends, transcript_display, transcript_search, transcripts
from myApp.sessions.clinical.scales import client_speaker_names
from myApp.sessions.models import ProcessingStatus, SessionStatus
from myApp.sessions.services import clinical as services
from myApp.sessions.services.clinical import retention as clinical_retention
from myApp.sessions.trend_chart import trend_chart
from myApp.sessions.views import clinic_alerts, clinic_retention
from myApp.sessions.views.clinic_forms import DecisionForm

SESSIONS_SHOWN = 100


class SearchForm(forms.Form):
    q = forms.CharField(max_length=200, required=False, label="Search the transcript")


class TranscriptFileForm(forms.Form):
    file = forms.FileField(label="Transcript file", help_text="WebVTT, SRT or JSON segments, UTF-8.")
    format = forms.ChoiceField(
        choices=[("", "From the file name"), *((name, name.upper()) for name in transcripts.FORMATS)], required=False
    )
    mode = forms.ChoiceField(
        choices=[(services.REPLACE, "Replace the transcript"), (services.APPEND, "Append to it")],
        initial=services.REPLACE,
    )

    def __init__(self, *args, has_transcript: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if has_transcript:  # replacing drops what is there: the clinician chooses, nothing is chosen for them
            mode = self.fields["mode"]
            mode.choices = [("", "Choose: replace or append"), *mode.choices]
            mode.initial = ""
            mode.help_text = (
                "Replace drops the current transcript and its draft insights; append adds after its last sentence."
            )


@login_required
@require_GET
def client_list(request: HttpRequest) -> HttpResponse:
    if not selectors.is_clinician(request.user):
        raise Http404("Clients are for clinicians.")
    context = {
        "clients": selectors.clients_with_last_session(clinician=request.user),
        "retention_form": clinic_retention.policy_form(clinician=request.user),
    }
    return render(request, "clinic/client_list.html", context)


@login_required
@require_GET
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_for(viewer=request.user, client_id=pk, where=request.path)
    sessions = selectors.client_sessions(client)[:SESSIONS_SHOWN]
    points = clinical_trends.emotion_trends(client)
    context = {
        "client": client,
        "sessions": sessions,
        "chart": trend_chart(points),
        "summary": clinical_trends.client_summary(client),
        "may_add_session": services.is_clinician_of(client, user=request.user),
        # The link is offered exactly when the report would open (``lib.access``: in treatment, account active).
        "sees_learner_report": client.user_id is not None
        and access.relationship_between(viewer=request.user, subject_id=client.user_id, what=access.LEARNER_REPORT)
        is not None,
        "sessions_deleted_after": clinical_retention.sessions_deleted_after(
            client=client, keep_years=clinical_retention.keep_years_of_clinician(client.clinician_id)
        ),
    }
    return render(request, "clinic/client_detail.html", context)


@login_required
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.therapy_session_for(viewer=request.user, session_id=pk, where=request.path)
    return _session_page(request, session)


def _session_page(request: HttpRequest, session, *, upload_form=None, status: int = 200) -> HttpResponse:
    """The session's page; ``upload_form``: a refused upload, shown open with its messages (400)."""
    form = SearchForm(request.GET or None)
    hits = []
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        hits = transcript_search.search_transcripts(client=session.client, session=session, text=form.cleaned_data["q"])
    insights = list(selectors.session_insights(session))
    risk_numbers = transcript_display.risk_sentence_numbers(insights)
    sentences = list(selectors.session_transcript(session))
    transcript_display.with_evidence_lines(insights, sentences)
    context = {
        "session": session,
        "client": session.client,
        "turns": transcript_display.turns(sentences, risk_numbers=risk_numbers),
        "client_sentences": selectors.client_sentence_count(session),
        "client_labels": client_speaker_names(session.client.display_name, session.client.former_names),
        "form": form,
        "hits": hits,
        "insights": insights,
        "may_decide": services.may_decide(session=session, user=request.user),
        "upload_form": upload_form or TranscriptFileForm(has_transcript=bool(sentences)),
        "upload_refused": upload_form is not None,
        "next_statuses": [(status, SessionStatus(status).label) for status in services.session_next_statuses(session)],
        "processing": ProcessingStatus.PROCESSING,
    }
    return render(request, "clinic/session_detail.html", context, status=status)


@login_required
@require_POST
def insight_decide(request: HttpRequest, pk: int) -> HttpResponse:
    insight = selectors.insight_for(viewer=request.user, insight_id=pk, where=request.path, for_write=True)
    # Decided in the review queue: back to the queue, to decide the next one. On the insight's own page: back to
    # it, its Decisions list updated. From a session's page: back to that session, at the insight. An alert from
    # chat or a self-check has no session: its own page.
    came_from = _decided_from(request)
    if came_from == "queue":
        back = reverse("clinic:insights")
    elif came_from == "session" and insight.session_id:
        back = f"{reverse('clinic:session', args=[insight.session_id])}#insight-{insight.pk}"
    else:
        back = reverse("clinic:insight_review", args=[insight.pk])
    form = DecisionForm(request.POST)
    if not form.is_valid():  # a reason over 1,000 characters or with a NUL: said, not "Choose approve or reject."
        problems = [f"{form.fields[name].label}: {text}" for name, texts in form.errors.items() for text in texts]
        return _decision_refused(request, insight, problems)
    try:
        decide = services.insight_approve if form.cleaned_data["decision"] == "approve" else services.insight_reject
        decide(insight=insight, by=request.user, note=form.cleaned_data["note"])
    except ServiceError as error:
        return _decision_refused(
            request, insight, [t for texts in error.errors.values() for t in texts] or [error.detail]
        )
    messages.success(request, f"“{insight.title}” is {insight.status}.")
    return redirect(back)


def _decided_from(request: HttpRequest) -> str:
    """Where a decision was sent from (the form's ``back``): the queue, the insight's page, or a session's page."""
    back = request.POST.get("back")
    return back if back in ("queue", "insight") else "session"


def _decision_refused(request: HttpRequest, insight, problems: list[str]) -> HttpResponse:
    """A refused decision, back on the insight's own page with the reason as typed and the problems beside it
    (400); it went to a bare error page and the typed reason was lost."""
    back = _decided_from(request) if _decided_from(request) != "session" else None
    refused = {"note": request.POST.get("note", "")[:1000], "problems": problems, "back": back}
    return clinic_alerts.insight_page(request, insight, refused=refused)


@login_required
@require_POST
def session_analyse(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the session's analysis (again, after a failure); refused while one is running."""
    session = selectors.therapy_session_for(viewer=request.user, session_id=pk, where=request.path, for_write=True)
    back = reverse("clinic:session", args=[session.pk])
    try:
        services.analysis_request(session=session, by=request.user)
    except ServiceError as error:
        return refuse(request, error, back_url=back, back_label="Back to the session")
    messages.success(request, "The analysis is queued; this page shows its status.")
    return redirect(back)


@login_required
@require_POST
def transcript_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Save an uploaded transcript file (the client's clinician only). A refused file comes back on the session's
    page, the upload open, each problem in words beside the field it concerns, the chosen mode kept."""
    session = selectors.therapy_session_for(viewer=request.user, session_id=pk, where=request.path, for_write=True)
    form = TranscriptFileForm(request.POST, request.FILES, has_transcript=session.sentences.exists())
    if form.is_valid():
        try:
            segments = transcripts.segments_from_upload(
                form.cleaned_data["file"], declared=form.cleaned_data["format"] or None
            )
            saved = services.transcript_save(
                session=session, by=request.user, segments=segments, mode=form.cleaned_data["mode"]
            )
        except (transcripts.TranscriptError, ServiceError) as error:
            _upload_refused_on(form, error)
        else:
            messages.success(
                request, f"Saved {saved.added} sentences ({saved.total} in the transcript). The analysis is queued."
            )
            return redirect("clinic:session", session.pk)
    return _session_page(request, session, upload_form=form, status=400)


UPLOAD_PROBLEMS_SHOWN = 10


def _upload_refused_on(form: TranscriptFileForm, error) -> None:
    """``error``'s messages on the upload form: a segment's as "Segment 4, start: ...", the file's on the file
    field, at most ``UPLOAD_PROBLEMS_SHOWN`` (with how many more)."""
    detail = error.detail if isinstance(error, ServiceError) else error.message
    problems = [(name, text) for name, texts in error.errors.items() for text in texts]
    for name, text in problems[:UPLOAD_PROBLEMS_SHOWN]:
        parts = name.split(".")
        if parts[0] == "segments" and len(parts) > 1 and parts[1].isdigit():
            where = f"Segment {int(parts[1]) + 1}" + (f", {' '.join(parts[2:]).replace('_', ' ')}" if parts[2:] else "")
            form.add_error(None, f"{where}: {text}")
        else:
            form.add_error(name if name in form.fields else "file", text)
    if len(problems) > UPLOAD_PROBLEMS_SHOWN:
        form.add_error(None, f"... and {len(problems) - UPLOAD_PROBLEMS_SHOWN} more problems.")
    if not problems:
        form.add_error("file", detail)
