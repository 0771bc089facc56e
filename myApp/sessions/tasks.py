"""Background work for chat: the retention sweep, runnable on any task worker."""

from dataclasses import asdict

from django.tasks import task

from myApp.sessions.services import conversations_apply_retention


@task
def apply_chat_retention() -> dict[str, int | bool]:
    """End idle conversations and delete expired ones, with the configured timeout and retention."""
    return asdict(conversations_apply_retention())


@task
def send_notification_email(notification_id: int) -> bool:
    """Email a clinician their urgent-insight notification, at most once however often it runs."""
    from myApp.sessions.services.clinical.notifications import notification_email_send

    return notification_email_send(notification_id=notification_id)


@task
def analyse_therapy_session(*, session_id: int) -> dict[str, object]:
    """Analyse a therapy session's transcript if its analysis is pending (``services.clinical.analysis``)."""
    from myApp.sessions.services.clinical.analysis import therapy_session_analyse

    outcome = therapy_session_analyse(session_id=session_id)
    return {
        "session_id": outcome.session_id,
        "result": outcome.result,
        "sentences": outcome.sentences,
        "insights": len(outcome.insights),
        "reason": outcome.reason,
    }
