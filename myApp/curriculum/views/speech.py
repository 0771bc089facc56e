"""Speech practice pages: the feedback page of one recording, and the progress page across recordings.

Both are the owner's alone (404 for anyone else). The analysis runs in the background: while it is pending the
feedback page refreshes itself (a meta refresh, so it works without JavaScript) until the result is there.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from myApp.curriculum import speech_selectors
from myApp.curriculum.forms import RecordingTranscriptForm
from myApp.curriculum.models import AnalysisStatus, RecordingPurpose, SpeechRecording
from myApp.curriculum.services import speech as speech_services
from myApp.curriculum.speech import charts, feedback, targets
from myApp.curriculum.views.common import refuse
from myApp.lib.exceptions import ServiceError
from myApp.lib.forms import add_service_errors

REFRESH_SECONDS = 3
UNFINISHED = (AnalysisStatus.PENDING, AnalysisStatus.PROCESSING)


def _recording_or_404(request, pk: int) -> SpeechRecording:
    return get_object_or_404(speech_selectors.recordings_owned_by(user=request.user), pk=pk)


def _context_of(recording: SpeechRecording) -> str:
    """Where the recording was made, for the heading and the way back."""
    if recording.milestone_attempt_id:
        return "Milestone recording"
    return "Amphitheatre recording"


def measures_context(recording: SpeechRecording) -> dict:
    """What templates/curriculum/_speech_measures.html shows of a recording (its timeline and measures), for the
    owner's feedback page and a teacher's review page alike; also the transcript with its marks."""
    language = speech_selectors.language_measures(recording)
    fillers = (language or {}).get("fillers") or []
    completed = recording.analysis_status == AnalysisStatus.COMPLETED
    return {
        "timeline": charts.timeline(recording.acoustic, [f["time"] for f in fillers if f.get("time") is not None])
        if completed
        else None,
        "measures": feedback.measures_for(recording, language),
        "transcript_parts": feedback.marked_transcript(recording.transcript, language),
        "long_pause_seconds": targets.LONG_PAUSE_SECONDS,
    }


def _feedback_page(request, recording: SpeechRecording, form: RecordingTranscriptForm | None = None, status=200):
    completed = recording.analysis_status == AnalysisStatus.COMPLETED
    stalled = speech_services.analysis_stalled(recording)
    context = {
        **measures_context(recording),
        "recording": recording,
        "kind": _context_of(recording),
        "audio_url": reverse("curriculum:recording_audio", args=[recording.pk]),
        "unfinished": recording.analysis_status in UNFINISHED and not stalled,
        "stalled": stalled,
        "may_reanalyse": speech_services.recording_may_reanalyse(recording),
        "refresh_seconds": REFRESH_SECONDS,
        "completed": completed,
        "failed": recording.analysis_status == AnalysisStatus.FAILED,
        "form": form or RecordingTranscriptForm(initial={"transcript": recording.transcript}),
    }
    return render(request, "curriculum/recording_feedback.html", context, status=status)


@login_required
@require_GET
def recording(request, pk: int):
    return _feedback_page(request, _recording_or_404(request, pk))


@login_required
@require_POST
def recording_transcript(request, pk: int):
    recording = _recording_or_404(request, pk)
    form = RecordingTranscriptForm(request.POST)
    if not form.is_valid():
        return _feedback_page(request, recording, form, status=400)
    try:
        speech_services.recording_set_transcript(
            user=request.user, recording=recording, transcript=form.cleaned_data["transcript"]
        )
    except ServiceError as error:
        if error.status_code != 400:
            return refuse(request, error, back_url=reverse("curriculum:recording", args=[pk]), back_label="Back")
        add_service_errors(form, error)
        return _feedback_page(request, recording, form, status=400)
    messages.success(request, "Transcript saved: the pace and filler figures below are from it.")
    return redirect("curriculum:recording", pk=pk)


@login_required
@require_POST
def recording_reanalyse(request, pk: int):
    recording = _recording_or_404(request, pk)
    back = {"back_url": reverse("curriculum:recording", args=[pk]), "back_label": "Back to the recording"}
    try:
        speech_services.recording_reanalyse(user=request.user, recording=recording)
    except ServiceError as error:
        return refuse(request, error, **back)
    messages.info(request, "Analysing the recording again.")
    return redirect("curriculum:recording", pk=pk)


PROGRESS_SHOWN = 100
# Each chart of the progress page: the band it is drawn against and the series' figure it plots.
PROGRESS_CHARTS = (
    (targets.PACE, "words_per_minute"),
    (targets.PAUSES, "pauses_per_minute"),
    (targets.PITCH_VARIETY, "pitch_variability_semitones"),
    (targets.FILLERS, "fillers_per_minute"),
)


@login_required
@require_GET
def speech_progress(request):
    series = speech_selectors.recording_progress_owned_by(user=request.user, limit=PROGRESS_SHOWN)
    purposes = dict(RecordingPurpose.choices)
    unfinished = speech_selectors.recordings_owned_by(user=request.user).filter(analysis_status__in=UNFINISHED).count()
    context = {
        "attempts": [{**row, "purpose_label": purposes.get(row["purpose"], "")} for row in reversed(series)],
        "shown": PROGRESS_SHOWN,
        "unfinished": unfinished,
        "charts": [
            {
                "band": band,
                "svg": charts.progress(
                    band,
                    [charts.ProgressPoint(timezone.localtime(row["created_at"]), row[key]) for row in series],
                    testid=f"progress-{band.name}",
                ),
            }
            for band, key in PROGRESS_CHARTS
        ]
        if series
        else [],
    }
    return render(request, "curriculum/speech_progress.html", context)
