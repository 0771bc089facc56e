"""Writes for families: pairing codes, parent-child links, child accounts and the child's consent.

A parent links to a child only with a code the child made (or by creating the child's
account). Nothing here answers differently for a username that exists: a parent never
names another account.
"""

import re
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from myApp.accounts.models import ChildPrivacySettings, PairingCode, Role, User
from myApp.accounts.services.users import user_register
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.lib import access
from myApp.lib.exceptions import Conflict, NotAllowed, ServiceError

PAIRING_CODE_LIFETIME = timedelta(days=7)
# No 0/O, 1/I/L: a code is read aloud or copied from one screen to another.
PAIRING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PAIRING_CODE_LENGTH = 10  # 31**10, about 2**49 codes; redemption is rate limited per user and address
_NOT_CODE_CHARACTERS = re.compile(r"[\s-]+")
# One answer for every code that cannot be used: unknown, mistyped, expired, used or replaced.
CODE_UNUSABLE = "This code is not valid: it may be mistyped, expired or already used. Ask for a new one."


def pairing_code_normalise(code: str) -> str:
    return _NOT_CODE_CHARACTERS.sub("", code).upper()


def _pairing_digest(normalised: str) -> str:
    # Keyed with SECRET_KEY, so a copy of the table alone does not let anyone try codes offline.
    return salted_hmac("myApp.accounts.pairing_code", normalised, algorithm="sha256").hexdigest()


def may_link_children(user: User) -> bool:
    """Parents (and staff) link children: redeem a child's code or create a child's account."""
    return user.role == Role.PARENT or user.is_staff


def is_psychologist(user) -> bool:
    """An active psychologist: who reviews quests and who is a clinician with a caseload (there is no separate
    clinician role). ``psychologist_q`` is the same rule as a query condition."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.role == Role.PSYCHOLOGIST)


def psychologist_q(prefix: str = "") -> Q:
    """``is_psychologist`` as a condition on users reached through ``prefix`` (e.g. ``"client__clinician__"``)."""
    return Q(**{f"{prefix}is_active": True, f"{prefix}role": Role.PSYCHOLOGIST})


def uses_family_links(user: User) -> bool:
    """Who the family links page serves: learners, who link a parent and decide what they share, and
    those who link children. Teachers and psychologists are neither."""
    return user.role == Role.LEARNER or may_link_children(user)


@transaction.atomic
def pairing_code_create(*, child: User) -> tuple[PairingCode, str]:
    """A new one-use code for ``child``, valid for 7 days; it replaces their unused one.

    Returns the row and the code formatted for reading (``ABCDE-FGHJK``); only a keyed
    hash is stored, so the code cannot be shown again later.
    """
    list(User.objects.select_for_update().filter(pk=child.pk).values_list("pk", flat=True))  # one writer per child
    PairingCode.objects.filter(child=child, used_at__isnull=True).delete()
    for attempt in range(3):
        raw = "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(PAIRING_CODE_LENGTH))
        try:
            with transaction.atomic():
                pairing = PairingCode.objects.create(
                    child=child, digest=_pairing_digest(raw), expires_at=timezone.now() + PAIRING_CODE_LIFETIME
                )
            break
        except IntegrityError:  # the same code was drawn before (about 1 in 2**49): draw again
            if attempt == 2:
                raise
    track(event_type=events.PAIRING_CODE_CREATED, user=child, data={"pairing_code_id": pairing.pk})
    return pairing, f"{raw[:5]}-{raw[5:]}"


def _pairing_code_lock(*, digest: str, now) -> PairingCode | None:
    """The usable code with this digest, row-locked until the transaction ends (a concurrent
    redemption waits, then finds it used)."""
    return (
        PairingCode.objects.select_for_update(of=("self",))
        .select_related("child")
        .filter(digest=digest, used_at__isnull=True, expires_at__gt=now, child__is_active=True)
        .first()
    )


@transaction.atomic
def pairing_code_redeem(*, parent: User, code: str) -> ChildPrivacySettings:
    """A parent enters a child's code: the code is used up and the link made, with sharing off
    until the child grants it."""
    if not may_link_children(parent):
        raise NotAllowed("Only parent accounts can link a child.")
    unusable = ServiceError("This code cannot be used.", errors={"code": [CODE_UNUSABLE]})
    normalised = pairing_code_normalise(code)
    if len(normalised) != PAIRING_CODE_LENGTH or set(normalised) - set(PAIRING_ALPHABET):
        raise unusable
    now = timezone.now()
    pairing = _pairing_code_lock(digest=_pairing_digest(normalised), now=now)
    if pairing is None:
        raise unusable
    child = pairing.child
    if child.pk == parent.pk:
        raise ServiceError("You cannot link yourself.", errors={"code": ["This is your own code."]})
    if ChildPrivacySettings.objects.filter(parent=parent, child=child).exists():
        raise Conflict("This child is already linked.", errors={"code": ["You are already linked to this child."]})
    # Conditional, so a code is used once even where the row lock above is a no-op (SQLite).
    if not PairingCode.objects.filter(pk=pairing.pk, used_at__isnull=True).update(used_at=now, used_by=parent):
        raise unusable
    link = ChildPrivacySettings.objects.create(parent=parent, child=child)
    track(event_type=events.CHILD_LINK_CREATED, user=parent, data={"link_id": link.pk, "via": "pairing_code"})
    return link


@transaction.atomic
def child_account_create(*, parent: User, username: str, password: str, email: str = "") -> ChildPrivacySettings:
    """A parent creates their child's account, linked to them at once (sharing off until the child grants it).

    The username and password go through sign-up's rules, with sign-up's answers.
    """
    if not may_link_children(parent):
        raise NotAllowed("Only parent accounts can create a child account.")
    child = user_register(username=username, email=email, password=password, role=Role.LEARNER, source="parent")
    link = ChildPrivacySettings.objects.create(parent=parent, child=child)
    track(event_type=events.CHILD_LINK_CREATED, user=parent, data={"link_id": link.pk, "via": "child_account"})
    return link


@transaction.atomic
def child_consent_set(*, link: ChildPrivacySettings, by: User, share: bool) -> ChildPrivacySettings:
    """The child grants or revokes sharing with the parent (their wellbeing report and learning
    progress, and later their quest progress); staff may revoke it as a staff operation (the admin)."""
    is_child = access.is_owner(link, user=by, owner_field="child")
    if not is_child and not (access.is_staff_operator(by) and not share):
        raise NotAllowed("Only the child can change this consent.")
    link = ChildPrivacySettings.objects.select_for_update().get(pk=link.pk)
    now = timezone.now()
    link.share_quest_progress = share
    if share:
        link.consent_granted_at = now
    else:
        link.consent_revoked_at = now
    link.consent_changed_by = by
    link.save()
    track(
        event_type=events.CHILD_CONSENT_GRANTED if share else events.CHILD_CONSENT_REVOKED,
        user=by,
        data={"link_id": link.pk},
    )
    return link
