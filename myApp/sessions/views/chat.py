"""The conversation page (chat with the assistant), past conversations, new and end buttons."""

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from myApp.lib.client import client_fields
from myApp.lib.exceptions import ServiceError
from myApp.sessions import expiry, risk_selectors, selectors, services
from myApp.sessions.forms import ChatForm
from myApp.sessions.history_cache import HISTORY_SIZE
from myApp.sessions.models import Conversation
from myApp.sessions.throttling import chat_page_throttled
from myApp.sessions.views.modules import MODULE_PAGES, PAGE_FOR_MODULE, module_url

HISTORY_PAGE_SIZE = 20


def _timeline(conversation: Conversation, limit: int) -> list[dict[str, Any]]:
    """The last ``limit`` messages, oldest first, each assistant answer with its route and sources."""
    history = selectors.conversation_history(conversation, limit)
    details = selectors.assistant_reply_details(
        conversation=conversation, message_ids=[m["id"] for m in history if m["role"] == "assistant"]
    )
    no_details = {"route": "", "sources": []}
    return [
        {**m, "created_at": datetime.fromisoformat(m["created_at"]), **details.get(m["id"], no_details)}
        for m in history
    ]


def _guided_modules(conversation_pk: int | None = None) -> list[dict[str, str]]:
    return [
        {"title": page.title, "blurb": page.blurb, "url": module_url(page, conversation_pk)}
        for page in MODULE_PAGES.values()
    ]


def _conversation_page(request: HttpRequest, form: ChatForm, status: int = 200) -> HttpResponse:
    active = selectors.active_conversation(user=request.user)
    suggestions = [
        {"page": PAGE_FOR_MODULE[module_id], "url": module_url(PAGE_FOR_MODULE[module_id])}
        for module_id in selectors.suggested_modules(active)
    ]
    context = {
        "conversation": active,
        "timeline": _timeline(active, HISTORY_SIZE) if active else [],
        "suggestions": suggestions,
        "guided_modules": _guided_modules(),
        "form": form,
        "clinicians_told": risk_selectors.clinicians_told_of_risk(user=request.user),
    }
    return render(request, "sessions/conversation.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def conversation(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _conversation_page(request, ChatForm())
    if refused := chat_page_throttled(request):
        return refused
    form = ChatForm(request.POST)
    if form.is_valid():
        try:
            services.chat_send(user=request.user, message=form.cleaned_data["message"], **client_fields(request))
        except ServiceError as error:
            form.add_service_errors(error)
        else:
            return redirect(reverse("chat:conversation") + "#composer")
    return _conversation_page(request, form, status=400)


@login_required
@require_POST
def conversation_new(request: HttpRequest) -> HttpResponse:
    services.conversation_create(user=request.user, **client_fields(request))
    messages.success(request, "A new conversation has started.")
    return redirect("chat:conversation")


@login_required
@require_POST
def conversation_end(request: HttpRequest, pk: int) -> HttpResponse:
    ended = get_object_or_404(selectors.conversations_owned_by(user=request.user), pk=pk)
    services.conversation_end(conversation=ended, by=request.user)
    messages.info(request, "Conversation ended. You can read it again under Past conversations.")
    return redirect("chat:conversation")


def _completed_modules(conversation: Conversation) -> list[str]:
    return [
        page.title
        for module_id, page in PAGE_FOR_MODULE.items()
        if (conversation.module_status.get(module_id) or {}).get("completed_at")
    ]


@login_required
@require_GET
def conversation_history(request: HttpRequest) -> HttpResponse:
    """The user's own conversations, newest activity first (staff too: this page is never anyone else's)."""
    own = selectors.conversations_owned_by(user=request.user)
    page = Paginator(own, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"conversation": c, "completed": _completed_modules(c)} for c in page.object_list]
    return render(request, "sessions/history.html", {"page": page, "rows": rows})


def _parsed(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@login_required
@require_GET
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A conversation read-only: all its messages (up to the history limit) and its guided modules."""
    shown = get_object_or_404(selectors.conversations_owned_by(user=request.user), pk=pk)
    module_rows = []
    for page in MODULE_PAGES.values():
        entry = shown.module_status.get(page.module_id) or {}
        module_rows.append(
            {
                "page": page,
                "recommended_at": _parsed(entry.get("recommended_at")),
                "completed_at": _parsed(entry.get("completed_at")),
                "url": module_url(page, shown.pk),
            }
        )
    context = {
        "conversation": shown,
        "ends_at": expiry.ends_at(shown),
        "timeline": _timeline(shown, selectors.HISTORY_LIMIT_MAX),
        "module_rows": module_rows,
    }
    return render(request, "sessions/conversation_detail.html", context)
