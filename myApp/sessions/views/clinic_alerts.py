"""Clinician pages for risk alerts: their notifications (unread first, mark read) and the insight review queue
with each insight's evidence in context. Who sees what is ``risk_selectors`` and ``clinical_selectors``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from myApp.sessions import clinical_selectors, risk_selectors
from myApp.sessions.services.clinical import may_decide_insight
from myApp.sessions.services.clinical.notifications import notification_mark_read, notifications_mark_all_read

SHOWN = 50


def _clinician(request: HttpRequest) -> None:
    if not clinical_selectors.is_clinician(request.user):
        raise Http404("No such page for you.")


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    _clinician(request)
    notifications = list(risk_selectors.notifications_of(user=request.user)[:SHOWN])
    # "Mark all read" only when something waits: once each alert's insight is decided there is nothing to mark.
    context = {"notifications": notifications, "any_waiting": any(n.waiting for n in notifications)}
    return render(request, "clinic/notifications.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = risk_selectors.notification_for(viewer=request.user, notification_id=pk, where=request.path)
    notification_mark_read(notification=notification, user=request.user)
    if request.POST.get("open"):
        return redirect("clinic:insight_review", notification.insight_id)
    return redirect("clinic:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    _clinician(request)
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, f"{count} marked read." if count else "Nothing was unread.")
    return redirect("clinic:notifications")


@login_required
@require_GET
def insight_queue(request: HttpRequest) -> HttpResponse:
    _clinician(request)
    insights = list(risk_selectors.review_queue(clinician=request.user)[:SHOWN])
    risk_selectors.with_evidence_context(insights, viewer=request.user, where=request.path)
    context = {"insights": insights, "may_decide": True, "shown": SHOWN}
    return render(request, "clinic/insight_queue.html", context)


@login_required
@require_GET
def insight_review(request: HttpRequest, pk: int) -> HttpResponse:
    insight = clinical_selectors.insight_for(viewer=request.user, insight_id=pk, where=request.path)
    return insight_page(request, insight)


def insight_page(request: HttpRequest, insight, *, refused: dict | None = None) -> HttpResponse:
    """One insight's page. ``refused``: a decision the service refused (``note`` as typed, ``problems``, ``back``),
    shown on the insight's form with the reason kept (400)."""
    risk_selectors.with_evidence_context([insight], viewer=request.user, where=request.path)
    context = {
        "insight": insight,
        "may_decide": may_decide_insight(insight=insight, user=request.user),
        "decisions": clinical_selectors.insight_decisions(insight),
        "back_url": reverse("clinic:insights"),
        "refused": refused,
    }
    return render(request, "clinic/insight_review.html", context, status=400 if refused else 200)
