"""Background work for the curriculum: the analysis of a recorded talk, runnable on any task worker."""

from django.tasks import task


@task
def analyse_recording(recording_id: int) -> dict[str, object]:
    """Analyse a recorded talk if its analysis is pending (``services.speech.recording_analyse``)."""
    from myApp.curriculum.services.speech import recording_analyse

    outcome = recording_analyse(recording_id=recording_id)
    return {
        "recording_id": outcome.recording_id,
        "result": outcome.result,
        "reason": outcome.reason,
        "transcribed": outcome.transcribed,
    }
