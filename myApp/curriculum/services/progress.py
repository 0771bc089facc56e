"""Opening and completing modules (rewards exactly once).

What is open is derived (see ``selectors``: a module with a progress row, and the first
module for everyone; a venue with its module). The only rows written here are the facts
that cannot be recomputed: that a module was opened for a learner, and when it was completed.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from myApp.accounts.models import User
from myApp.accounts.services import profile_adjust_balance
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.curriculum import selectors
from myApp.curriculum.models import LessonSession, LessonSessionState, Module, UserProgress
from myApp.lib.exceptions import Conflict


def first_module() -> Module | None:
    return Module.objects.select_related("level").order_by("level__number", "order").first()


def next_module(module: Module) -> Module | None:
    later_in_level = Module.objects.filter(level=module.level, order__gt=module.order).order_by("order")
    return (
        later_in_level.first()
        or Module.objects.filter(level__number__gt=module.level.number).order_by("level__number", "order").first()
    )


@transaction.atomic
def module_unlock(*, user: User, module: Module) -> UserProgress:
    """Open ``module`` (and so its venues) to ``user``; idempotent."""
    progress, created = UserProgress.objects.get_or_create(user=user, module=module)
    if created:
        track(event_type=events.MODULE_UNLOCKED, user=user, data={"module_id": module.pk})
    return progress


def module_progress_for_work(*, user: User, module: Module) -> UserProgress:
    """The learner's progress row for ``module``, for a service about to record work in it.

    The first module is open to everyone without a row; its row is written here, on the
    learner's first action in it (never by a page view). A locked module is refused.
    """
    progress = UserProgress.objects.filter(user=user, module=module).first()
    if progress is None and module.pk == selectors.first_module_id():
        progress = module_unlock(user=user, module=module)
    if progress is None:
        raise Conflict("This lesson's module is locked.", errors={"lesson": ["Complete the previous module first."]})
    return progress


def curriculum_start(*, user: User) -> None:
    """Write the first module's progress row if the learner has none yet (it is open either way)."""
    module = first_module()
    if module is not None and not UserProgress.objects.filter(user=user, module=module).exists():
        module_unlock(user=user, module=module)


def module_lessons_all_completed(*, user: User, module: Module) -> bool:
    completed = LessonSession.objects.filter(user=user, lesson=OuterRef("pk"), state=LessonSessionState.COMPLETED)
    return not module.lessons.exclude(Exists(completed)).exists()


@transaction.atomic
def module_complete(*, user: User, module: Module) -> bool:
    """Complete ``module``: award its XP/coins/tickets exactly once, then unlock the next module.

    The conditional UPDATE on ``completed_at IS NULL`` lets exactly one caller win,
    however many complete the module at the same moment. Returns whether this
    call completed the module (and so awarded the rewards).
    """
    progress = UserProgress.objects.filter(user=user, module=module).first()
    if progress is None:
        raise Conflict("This module is locked.", errors={"module": ["Complete the previous module first."]})
    if not module_lessons_all_completed(user=user, module=module):
        raise Conflict("Finish every lesson of this module first.", errors={"module": ["Lessons remain."]})
    won = UserProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(completed_at=timezone.now())
    if not won:
        return False
    profile_adjust_balance(user=user, xp=module.xp_reward, coins=module.coin_reward, tickets=module.ticket_reward)
    track(
        event_type=events.MODULE_COMPLETED,
        user=user,
        data={"module_id": module.pk, "xp": module.xp_reward, "coins": module.coin_reward},
    )
    following = next_module(module)
    if following is not None:
        module_unlock(user=user, module=following)
    return True
