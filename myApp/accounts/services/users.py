"""Writes for users: creating and signing up accounts, profiles and the economy."""

import datetime
import random
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from myApp.accounts.models import (
    PROFILE_EDITABLE_FIELDS,
    SELF_SERVICE_ROLES,
    ABVariant,
    Profile,
    Role,
    User,
    time_zone_names,
)
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.lib.exceptions import InsufficientBalance, ServiceError

USER_EDITABLE_FIELDS = ("email", "first_name", "last_name")
# What staff may change on a profile in the admin: the owner's fields and whether onboarding is done; never the economy.
PROFILE_STAFF_EDITABLE_FIELDS = (*PROFILE_EDITABLE_FIELDS, "onboarding_completed")
# One answer for every username that cannot be had (taken, malformed, too long), so that
# sign-up does not tell whether an account exists by its wording.
USERNAME_UNAVAILABLE = (
    "This username is not available. Usernames have up to 150 letters, digits and @ . + - _ characters; "
    "try another one."
)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    email: str = "",
    role: str = Role.LEARNER,
    **extra_fields: Any,
) -> User:
    """Create a user and their profile together; every user is made here."""
    user = User(username=User.normalize_username(username), email=User.objects.normalize_email(email), role=role)
    for name, value in extra_fields.items():
        setattr(user, name, value)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    Profile.objects.create(user=user, ab_variant=_random_ab_variant())
    return user


def user_register(*, username: str, email: str, password: str, role: str = Role.LEARNER, source: str) -> User:
    """Self-service sign-up from the page or the API (and child accounts a parent creates); logs ``user_signup``.

    The password is used exactly as typed. A taken username gets ``USERNAME_UNAVAILABLE``,
    the same text as a malformed one, after the same password hashing a successful sign-up
    does, so neither the answer nor its timing says that the name belongs to someone.
    """
    if role not in SELF_SERVICE_ROLES:
        raise ServiceError("This role cannot be chosen at sign-up.", errors={"role": ["Choose learner or parent."]})
    # Compare the name that would be stored: NFKC turns fullwidth letters into plain ones (U+FF21 into "A").
    username = User.normalize_username(username)
    password_check(password=password, user=User(username=username, email=email))
    unavailable = ServiceError("Choose another username.", errors={"username": [USERNAME_UNAVAILABLE]})
    if User.objects.filter(username__iexact=username).exists():
        make_password(password)  # the hashing work user_create would do; the result is thrown away
        raise unavailable
    try:
        with transaction.atomic():
            user = user_create(username=username, email=email, password=password, role=role)
            track(event_type=events.USER_SIGNUP, user=user, data={"source": source, "role": role})
    except IntegrityError:  # a concurrent sign-up took the name between the check and the insert
        raise unavailable from None
    return user


def _random_ab_variant() -> str:
    return random.choice([ABVariant.A, ABVariant.B])


def profile_ensure(*, user: User) -> Profile:
    """Return the user's profile, creating it (with its A/B variant) for users made outside ``user_create``."""
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"ab_variant": _random_ab_variant()})
    return profile


def profile_assign_ab_variant(*, profile: Profile) -> Profile:
    """Assign an A/B variant once (profiles get one when they are created; this covers a profile
    staff filled in by hand); concurrent callers agree on the first one written."""
    if profile.ab_variant:
        return profile
    Profile.objects.filter(pk=profile.pk, ab_variant=ABVariant.UNASSIGNED).update(ab_variant=_random_ab_variant())
    profile.refresh_from_db(fields=["ab_variant"])
    return profile


@transaction.atomic
def profile_complete_onboarding(*, user: User, persona: dict[str, Any]) -> Profile:
    profile = profile_update(user=user, profile_data=persona)
    Profile.objects.filter(pk=profile.pk).update(onboarding_completed=True)
    profile.onboarding_completed = True
    track(event_type=events.ONBOARDING_COMPLETED, user=user, data={"mode": profile.mode})
    return profile


def _time_zone_change(profile: Profile, time_zone: Any, *, now: datetime.datetime) -> list[str]:
    from myApp.quests.daily_rules import LearnerZone, zone_after_change  # the days' rule lives with the days

    if not isinstance(time_zone, str) or time_zone not in time_zone_names():
        return []  # full_clean refuses it, naming the field
    zone = zone_after_change(LearnerZone.of(profile), time_zone=time_zone, now=now)
    profile.previous_time_zone = zone.previous_time_zone
    profile.time_zone_changed_at = zone.changed_at
    profile.time_zone_changed_on = zone.changed_on
    return ["previous_time_zone", "time_zone_changed_at", "time_zone_changed_on"]


@transaction.atomic
def profile_update(
    *,
    user: User,
    profile_data: dict[str, Any] | None = None,
    user_data: dict[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> Profile:
    """Update persona fields and the user's own editable fields; economy fields are not writable here.

    A new time zone is recorded as a change at ``now`` that takes effect from the learner's next day
    (``quests.daily_rules.zone_after_change``), so it cannot reopen a day that is over."""
    return _profile_write(
        user=user,
        profile_data=profile_data or {},
        user_data=user_data or {},
        profile_fields=PROFILE_EDITABLE_FIELDS,
        now=now,
    )


@transaction.atomic
def profile_staff_update(*, user: User, profile_data: dict[str, Any], now: datetime.datetime | None = None) -> Profile:
    """Staff's change to a profile (the user admin's inline): what the owner may change, plus whether onboarding is
    done. Only the fields named are written, under the row lock, so a balance that a lesson or a purchase changed
    meanwhile is not put back; a new time zone is recorded as a change, as for the owner."""
    return _profile_write(
        user=user, profile_data=profile_data, user_data={}, profile_fields=PROFILE_STAFF_EDITABLE_FIELDS, now=now
    )


def _profile_write(
    *,
    user: User,
    profile_data: dict[str, Any],
    user_data: dict[str, Any],
    profile_fields: tuple[str, ...],
    now: datetime.datetime | None,
) -> Profile:
    unknown = set(profile_data) - set(profile_fields) | set(user_data) - set(USER_EDITABLE_FIELDS)
    if unknown:
        raise ServiceError(
            "Some fields cannot be changed.", errors={name: ["This field is read-only."] for name in sorted(unknown)}
        )
    profile = Profile.objects.select_for_update().get(pk=profile_ensure(user=user).pk)
    if profile_data:
        update_fields = [*profile_data, "updated_at"]
        if "time_zone" in profile_data and profile_data["time_zone"] != profile.time_zone:
            update_fields += _time_zone_change(profile, profile_data["time_zone"], now=now or timezone.now())
        for name, value in profile_data.items():
            setattr(profile, name, value)
        profile.full_clean(exclude=["user"])
        profile.save(update_fields=update_fields)
    if user_data:
        for name, value in user_data.items():
            setattr(user, name, value)
        user.save(update_fields=list(user_data))
    return profile


def profile_adjust_balance(*, user: User, xp: int = 0, coins: int = 0, tickets: int = 0) -> Profile:
    """Add (or, with negative amounts, spend) XP, coins and tickets in one atomic UPDATE.

    The database check constraints refuse a negative balance, so two concurrent
    spends can never overdraw: the loser gets ``InsufficientBalance``.
    """
    changes = {
        name: F(name) + amount for name, amount in (("xp", xp), ("coins", coins), ("tickets", tickets)) if amount
    }
    profile = profile_ensure(user=user)
    if changes:
        try:
            with transaction.atomic():
                Profile.objects.filter(pk=profile.pk).update(**changes, updated_at=timezone.now())
        except IntegrityError:
            raise InsufficientBalance(
                "Not enough balance for this action.",
                errors={
                    name: ["Not enough."]
                    for name, amount in (("xp", xp), ("coins", coins), ("tickets", tickets))
                    if amount < 0
                },
            ) from None
    profile.refresh_from_db(fields=["xp", "coins", "tickets", "updated_at"])
    return profile


def login_record(*, user: User, source: str) -> None:
    track(event_type=events.USER_LOGIN, user=user, data={"source": source})


def logout_record(*, user: User, source: str, scope: str, devices: int = 1) -> None:
    """A person logged out: the page's session (``scope`` session), one API device, or every device. Called
    by the service that ends the session or the tokens, or by the page just before Django flushes it."""
    track(event_type=events.USER_LOGOUT, user=user, data={"source": source, "scope": scope, "devices": devices})


def password_check(*, password: str, user: User | None = None) -> None:
    """Django's password validators, raising a field error for ``password``."""
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ServiceError("Choose a stronger password.", errors={"password": list(error.messages)}) from None
