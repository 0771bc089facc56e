"""What every page's navigation shows a clinician: how many of their notifications are unread (one COUNT, for
clinicians only; nobody else's pages query anything for it)."""


def clinician_navigation(request) -> dict:
    from myApp.sessions.risk_selectors import unread_count  # settings load this module before the models

    user = getattr(request, "user", None)
    return {"clinician_unread_notifications": unread_count(user=user) if user is not None else 0}
