"""The module page and the lesson run: start, one step at a time, finish (or leave)."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from myApp.curriculum import selectors, services
from myApp.curriculum.forms import StepAnswerForm
from myApp.curriculum.models import KnowledgeBlock, Lesson, LessonSession, ProgressStatus
from myApp.curriculum.models.guided import ACTIVE_LESSON_STATES
from myApp.curriculum.views.common import refuse
from myApp.lib.exceptions import ServiceError
from myApp.lib.forms import add_service_errors


@dataclass
class LessonRow:
    lesson: Lesson
    completed_runs: int
    active_session: LessonSession | None


@login_required
@require_GET
def module_detail(request, pk: int):
    module = get_object_or_404(
        selectors.modules().prefetch_related(
            Prefetch("lessons", queryset=Lesson.objects.order_by("order")),
            Prefetch("knowledge_blocks", queryset=KnowledgeBlock.objects.order_by("order")),
        ),
        pk=pk,
    )
    siblings = list(selectors.modules().filter(level_id=module.level_id).order_by("order"))
    statuses = selectors.module_statuses(user=request.user, module_ids=[sibling.pk for sibling in siblings])
    completed_runs = selectors.lesson_completion_counts(user=request.user, module=module)
    active = {
        session.lesson_id: session
        for session in selectors.lesson_sessions_owned_by(user=request.user)
        .filter(lesson__module=module, state__in=ACTIVE_LESSON_STATES)
        .prefetch_related(None)
    }
    context = {
        "module": module,
        "level": module.level,
        "status": statuses.get(module.pk, selectors.LOCKED),
        "lessons": [
            LessonRow(lesson, completed_runs.get(lesson.pk, 0), active.get(lesson.pk))
            for lesson in module.lessons.all()
        ],
        "knowledge_blocks": module.knowledge_blocks.all(),
        "siblings": [selectors.ModuleCard(sibling, statuses.get(sibling.pk, selectors.LOCKED)) for sibling in siblings],
    }
    return render(request, "curriculum/module_detail.html", context)


@login_required
@require_POST
def lesson_start(request, pk: int):
    lesson = get_object_or_404(selectors.lessons(), pk=pk)
    try:
        session, created = services.lesson_session_start(user=request.user, lesson=lesson)
    except ServiceError as error:
        return refuse(
            request,
            error,
            back_url=reverse("curriculum:module", args=[lesson.module_id]),
            back_label=f"Back to {lesson.module.title}",
        )
    if not created:
        messages.info(request, "Welcome back: carry on where you left off.")
    return redirect("curriculum:session", pk=session.pk)


def _session_or_404(request, pk) -> LessonSession:
    return get_object_or_404(selectors.lesson_sessions_owned_by(user=request.user), pk=pk)


def _awaits_answer(session: LessonSession) -> bool:
    return session.is_active and session.current_step < len(session.lesson.steps)


def _session_page(request, session: LessonSession, form: StepAnswerForm | None = None, status: int = 200):
    steps = session.lesson.steps
    awaiting = _awaits_answer(session)
    if awaiting and form is None:
        form = StepAnswerForm(step=steps[session.current_step], index=session.current_step)
    answers = [
        {
            "number": response.step_index + 1,
            "prompt": steps[response.step_index].get("prompt", "") if response.step_index < len(steps) else "",
            "value": response.value,
        }
        for response in session.responses.all()
    ]
    context = {
        "session": session,
        "lesson": session.lesson,
        "module": session.lesson.module,
        "step_number": session.current_step + 1,
        "step_count": len(steps),
        "form": form if awaiting else None,
        "ready_to_finish": session.is_active and not awaiting,
        "answers": answers,
    }
    return render(request, "curriculum/session_detail.html", context, status=status)


def _back_to_session(session: LessonSession) -> dict[str, str]:
    return {"back_url": reverse("curriculum:session", args=[session.pk]), "back_label": "Back to the lesson"}


@login_required
@require_GET
def session_detail(request, pk):
    return _session_page(request, _session_or_404(request, pk))


@login_required
@require_POST
def session_answer(request, pk):
    session = _session_or_404(request, pk)
    form, value = None, None
    if _awaits_answer(session):
        if request.POST.get("step") != str(session.current_step):
            # A resubmitted or stale form: that step is answered; show the current one.
            messages.info(request, "That step was already answered; here is the next one.")
            return redirect("curriculum:session", pk=session.pk)
        form = StepAnswerForm(request.POST, step=session.lesson.steps[session.current_step], index=session.current_step)
        if not form.is_valid():
            return _session_page(request, session, form, status=400)
        value = form.cleaned_data["value"]
    # With no step awaiting an answer the service refuses, and says why.
    try:
        services.lesson_session_answer(session=session, user=request.user, value=value)
    except ServiceError as error:
        if form is None or error.status_code != 400:
            return refuse(request, error, **_back_to_session(session))
        add_service_errors(form, error)
        return _session_page(request, session, form, status=400)
    return redirect("curriculum:session", pk=session.pk)


@login_required
@require_POST
def session_finish(request, pk):
    session = _session_or_404(request, pk)
    module = session.lesson.module
    was_completed = selectors.module_statuses(user=request.user, module_ids=[module.pk]).get(module.pk)
    try:
        services.lesson_session_finish(session=session, user=request.user)
    except ServiceError as error:
        return refuse(request, error, **_back_to_session(session))
    messages.success(request, f"Well done: you finished “{session.lesson.title}”.")
    now = selectors.module_statuses(user=request.user, module_ids=[module.pk]).get(module.pk)
    if now == ProgressStatus.COMPLETED and was_completed != ProgressStatus.COMPLETED:
        messages.success(request, f"Module {module.code} complete: the next step is open on your home page.")
    return redirect("curriculum:module", pk=module.pk)


@login_required
@require_POST
def session_abandon(request, pk):
    session = _session_or_404(request, pk)
    try:
        services.lesson_session_abandon(session=session, user=request.user)
    except ServiceError as error:
        return refuse(request, error, **_back_to_session(session))
    messages.info(request, f"You left “{session.lesson.title}”. Start it again whenever you like.")
    return redirect("curriculum:module", pk=session.lesson.module_id)
