"""The module page and the lesson run: start, one step at a time, finish (or leave)."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from myApp.curriculum import selectors, services
from myApp.curriculum.forms import StakesMapForm, StepAnswerForm
from myApp.curriculum.models import KnowledgeBlock, Lesson, LessonSession, Module
from myApp.curriculum.models.lessons import ACTIVE_LESSON_STATES
from myApp.curriculum.services.lessons import STEP_ALREADY_ANSWERED
from myApp.curriculum.views.common import refuse
from myApp.lib.exceptions import ServiceError
from myApp.lib.forms import add_service_errors


@dataclass
class LessonRow:
    lesson: Lesson
    completed_runs: int
    active_session: LessonSession | None


def _module_with_content(pk: int) -> Module:
    return get_object_or_404(
        selectors.modules().prefetch_related(
            Prefetch("lessons", queryset=Lesson.objects.order_by("order")),
            Prefetch("knowledge_blocks", queryset=KnowledgeBlock.objects.order_by("order")),
        ),
        pk=pk,
    )


def _module_page(request, module: Module, stakes_form: StakesMapForm | None = None, status: int = 200):
    siblings = list(selectors.modules().filter(level_id=module.level_id).order_by("order"))
    statuses = selectors.module_statuses(user=request.user, module_ids=[sibling.pk for sibling in siblings])
    completed_runs = selectors.lesson_completion_counts(user=request.user, module=module)
    active = {
        session.lesson_id: session
        for session in selectors.lesson_sessions_owned_by(user=request.user)
        .filter(lesson__module=module, state__in=ACTIVE_LESSON_STATES)
        .prefetch_related(None)
    }
    captures_stakes = module.pk == selectors.first_module_id()
    if captures_stakes and stakes_form is None:
        stakes_form = StakesMapForm(initial={"scenarios": "\n".join(selectors.stakes_scenarios(user=request.user))})
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
        "stakes_form": stakes_form if captures_stakes else None,
    }
    return render(request, "curriculum/module_detail.html", context, status=status)


@login_required
@require_GET
def module_detail(request, pk: int):
    return _module_page(request, _module_with_content(pk))


@login_required
@require_POST
def module_stakes(request, pk: int):
    """Module A asks for the learner's high-stakes situations; later lessons rehearse them."""
    module = _module_with_content(pk)
    form = StakesMapForm(request.POST)
    if not form.is_valid():
        return _module_page(request, module, form, status=400)
    try:
        stakes = services.stakes_map_set(user=request.user, module=module, scenarios=form.scenario_list())
    except ServiceError as error:
        if error.status_code != 400:
            back = {"back_url": reverse("curriculum:module", args=[module.pk]), "back_label": f"Back to {module.title}"}
            return refuse(request, error, **back)
        add_service_errors(form, error)
        return _module_page(request, module, form, status=400)
    count = len(stakes.scenarios)
    messages.success(request, f"Saved {count} situation{'s' if count != 1 else ''}: later lessons will use them.")
    return redirect("curriculum:module", pk=module.pk)


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


def _session_page(request, session: LessonSession, form: StepAnswerForm | None = None, status: int = 200):
    steps = session.lesson.steps
    awaiting = session.next_step is not None
    if awaiting and form is None:
        form = StepAnswerForm(step=session.next_step, index=session.current_step)
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
        "scenario": getattr(session, "scenario", None),
    }
    return render(request, "curriculum/session_detail.html", context, status=status)


def _back_to_session(session: LessonSession) -> dict[str, str]:
    return {"back_url": reverse("curriculum:session", args=[session.pk]), "back_label": "Back to the lesson"}


@login_required
@require_GET
def session_detail(request, pk):
    return _session_page(request, _session_or_404(request, pk))


def _posted_step(request) -> int:
    """The step index the form answered; a missing or garbled one names no step (-1), which the
    service refuses as already answered."""
    step = request.POST.get("step", "")
    return int(step) if step.isascii() and step.isdigit() and len(step) < 6 else -1


@login_required
@require_POST
def session_answer(request, pk):
    session = _session_or_404(request, pk)
    form, value, step = None, None, _posted_step(request)
    if session.next_step is not None and step == session.current_step:
        form = StepAnswerForm(request.POST, step=session.next_step, index=session.current_step)
        if not form.is_valid():
            return _session_page(request, session, form, status=400)
        value = form.cleaned_data["value"]
    # The service decides: a stale step (a resubmitted form) is already answered, and with no
    # step awaiting an answer it refuses and says why.
    try:
        services.lesson_session_answer(session=session, user=request.user, value=value, step=step)
    except ServiceError as error:
        if STEP_ALREADY_ANSWERED in error.errors.get("step", []):
            messages.info(request, error.detail)
            return redirect("curriculum:session", pk=session.pk)
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
    try:
        finish = services.lesson_session_finish(session=session, user=request.user)
    except ServiceError as error:
        return refuse(request, error, **_back_to_session(session))
    messages.success(request, f"Well done: you finished “{session.lesson.title}”.")
    if finish.module_completed:
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
