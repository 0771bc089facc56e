"""The quest builder's pages: one's sessions, and a session's conversation with the live preview of its
graph (server-rendered SVG, so it works without JavaScript). Thin: the services decide everything."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from myApp.lib.exceptions import NotAllowed, ServiceError
from myApp.lib.throttling import throttled_page
from myApp.quests import services
from myApp.quests.builder.selectors import builder_sessions_owned_by
from myApp.quests.builder.svg import graph_svg
from myApp.quests.models import BuilderStage, QuestBuilderSession
from myApp.sessions.forms import ChatForm
from myApp.sessions.throttling import ChatRateThrottle

PAGE_SIZE = 20
STAGES = [(stage.value, stage.label) for stage in BuilderStage]


@login_required
@require_http_methods(["GET", "POST"])
def session_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            session = services.builder_session_create(user=request.user)
        except NotAllowed as refused:
            raise PermissionDenied(str(refused)) from None
        return redirect("quest_builder:session", pk=session.pk)
    page = Paginator(builder_sessions_owned_by(user=request.user).select_related("quest"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    refused = services.builder_refused_for(request.user)
    return render(request, "quests/builder_list.html", {"page": page, "builder_refused": refused})


def _session_page(request: HttpRequest, session: QuestBuilderSession, form: ChatForm, status: int = 200):
    context = {
        "session": session,
        "form": form,
        "stages": STAGES,
        "stage_index": [value for value, _ in STAGES].index(session.current_stage),
        "svg": graph_svg(session.current_graph),
        "ready": session.current_stage == BuilderStage.QUEST_READY and session.quest_id is None,
        # The quest the session made may since have been sent, approved or rejected: offer Revise only if allowed.
        "quest_revisable": session.quest is not None and services.revise_refused_for(session.quest) is None,
    }
    return render(request, "quests/builder_session.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(builder_sessions_owned_by(user=request.user).select_related("quest"), pk=pk)
    if request.method == "GET":
        return _session_page(request, session, ChatForm())
    back = reverse("quest_builder:session", args=[session.pk])
    if refused := throttled_page(request, ChatRateThrottle(), back_url=back, back_label="Back to the builder"):
        return refused
    form, status = ChatForm(request.POST), 400
    if form.is_valid():
        try:
            services.builder_chat(session=session, by=request.user, message=form.cleaned_data["message"])
        except ServiceError as error:
            form.add_service_errors(error)
            status = error.status_code
        else:
            return redirect(back + "#composer")
    return _session_page(request, session, form, status=status)


@login_required
@require_POST
def session_finish(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(builder_sessions_owned_by(user=request.user), pk=pk)
    try:
        quest = services.builder_finish(session=session, by=request.user)
    except ServiceError as error:
        messages.error(request, error.detail)
    else:
        messages.success(
            request,
            f"“{quest.title}” is saved as your draft quest. Send it for review from Your quests when you are ready.",
        )
    return redirect("quest_builder:session", pk=session.pk)
