"""Unlocking modules and venues, and completing modules (rewards exactly once)."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from myApp.accounts.models import Profile, User
from myApp.accounts.services import profile_adjust_balance
from myApp.analytics.services import track
from myApp.curriculum.models import (
    District,
    LessonSession,
    LessonSessionState,
    Module,
    ProgressStatus,
    UserProgress,
    UserVenueUnlock,
    Venue,
)
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
    """Open ``module`` and its venues to ``user``; idempotent."""
    progress, created = UserProgress.objects.get_or_create(user=user, module=module)
    venues = list(Venue.objects.filter(module=module).select_related("district"))
    UserVenueUnlock.objects.bulk_create(
        [UserVenueUnlock(user=user, venue=venue) for venue in venues], ignore_conflicts=True
    )
    _refresh_district_access(user=user, district_ids={venue.district_id for venue in venues})
    if created:
        track(event_type="module_unlocked", user=user, data={"module_id": module.pk})
    return progress


def _refresh_district_access(*, user: User, district_ids: set[int]) -> None:
    """Mark districts whose every venue the user has unlocked; the profile row is locked
    so concurrent unlocks never overwrite each other's keys in the JSON document."""
    if not district_ids:
        return
    locked_venues = Venue.objects.filter(district_id__in=district_ids).exclude(
        Exists(UserVenueUnlock.objects.filter(user=user, venue=OuterRef("pk")))
    )
    fully_open = district_ids - set(locked_venues.values_list("district_id", flat=True))
    if not fully_open:
        return
    slugs = District.objects.filter(pk__in=fully_open).values_list("slug", flat=True)
    profile = Profile.objects.select_for_update().get(user=user)
    access = dict(profile.district_full_access)
    access.update({slug: True for slug in slugs})
    if access != profile.district_full_access:
        profile.district_full_access = access
        profile.save(update_fields=["district_full_access", "updated_at"])


def curriculum_start(*, user: User) -> None:
    """Make sure a learner has somewhere to begin: the first module is always open."""
    module = first_module()
    if module is not None and not UserProgress.objects.filter(user=user, module=module).exists():
        module_unlock(user=user, module=module)


def module_lessons_all_completed(*, user: User, module: Module) -> bool:
    completed = LessonSession.objects.filter(user=user, lesson=OuterRef("pk"), state=LessonSessionState.COMPLETED)
    return not module.lessons.exclude(Exists(completed)).exists()


@transaction.atomic
def module_complete(*, user: User, module: Module) -> bool:
    """Complete ``module``: award its XP/coins/tickets exactly once, then unlock the next module.

    The conditional UPDATE on ``rewarded_at IS NULL`` lets exactly one caller win,
    however many complete the module at the same moment. Returns whether this
    call awarded the rewards.
    """
    progress = UserProgress.objects.filter(user=user, module=module).first()
    if progress is None:
        raise Conflict("This module is locked.", errors={"module": ["Complete the previous module first."]})
    if not module_lessons_all_completed(user=user, module=module):
        raise Conflict("Finish every lesson of this module first.", errors={"module": ["Lessons remain."]})
    now = timezone.now()
    won = UserProgress.objects.filter(pk=progress.pk, rewarded_at__isnull=True).update(
        status=ProgressStatus.COMPLETED, completed_at=now, rewarded_at=now
    )
    if not won:
        return False
    profile_adjust_balance(user=user, xp=module.xp_reward, coins=module.coin_reward, tickets=module.ticket_reward)
    track(
        event_type="module_completed",
        user=user,
        data={"module_id": module.pk, "xp": module.xp_reward, "coins": module.coin_reward},
    )
    following = next_module(module)
    if following is not None:
        module_unlock(user=user, module=following)
    return True
