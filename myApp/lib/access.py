"""Who may see whose data: the one access rule every app uses.

There are three kinds of visibility, and every query, page and endpoint names the one it uses:

1. **Own rows** (``owned_by``, ``require_owner``; selectors ``<rows>_owned_by(user=...)``): a user's
   own rows and nobody else's. There is no staff bypass: on learner pages and the API a staff member
   is a user with their own rows (their amphitheatre history is their own visits).
2. **Rows seen through a relationship** (``subject_visible_to``): another person's data that the
   viewer may see because of a relationship registered with ``register_relationship``, and only the
   kinds of data it grants. Today: a parent with their child's standing consent, and a child with their
   linked parent for that parent's family messages (``myApp.accounts.relationships``). A clinician with
   their client, a psychologist with quests under review or a teacher with their courses plug in the
   same way. The decision is made afresh on every
   call (nothing is cached), so revoking consent cuts access on the next request. Every such access
   is written to the append-only audit log (``accounts.AccessRecord``); a refusal answers 404, so it
   reveals nothing.
3. **Staff operations** (``acting_for``: seed 004's ``user_id``; ``subject_visible_to(...,
   staff_operations=True)``: the wellbeing report page): staff seeing or acting on another person's
   data, always named as such at the call site, and recorded in the audit log. ``row_visible_to`` joins own rows
   and staff operations for one row: a clinician's records of their client are the clinician's own rows
   (``myApp.sessions.clinical_selectors``), and staff may read them as a recorded staff operation. The admin is the
   other staff-operations surface (staff only, by Django's admin permissions); it is not recorded.

Whether staff may act on a learner's chat or lesson objects: not through learner pages or the API
(those are own rows, 404 for staff as for anyone); only by naming the learner in seed 004's
``user_id`` (chat sessions) or in the admin.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from myApp.lib.exceptions import NotAllowed

OWN = "own"
STAFF_OPERATIONS = "staff_operations"

# The kinds of someone's data a relationship can grant (``what`` in the audit log).
WELLBEING_REPORT = "wellbeing_report"
LEARNING_PROGRESS = "learning_progress"
CHAT_SESSIONS = "chat_sessions"
QUEST_PROGRESS = "quest_progress"
# A quest creator's family message (the reveal of their quest's ending), addressed to their own children.
FAMILY_REVEAL = "family_reveal"
CLINICAL_RECORDS = "clinical_records"  # a clinician's records of a client (myApp.sessions.clinical_selectors)
# A linked client's own words that raised a risk alert (a flagged chat message, a self-check answer), shown to
# their clinician as the alert's evidence (myApp.sessions.risk_selectors).
RISK_ALERT_EVIDENCE = "risk_alert_evidence"
# One learner's report: learning progress, quests and streaks, and wellbeing trends together
# (myApp.analytics.learner_report).
LEARNER_REPORT = "learner_report"
# A learner's milestone attempt they shared for review: its recording, measures and reviews, seen by their teacher
# (myApp.curriculum.review_selectors).
MILESTONE_REVIEW = "milestone_review"


# --- 1. Own rows -----------------------------------------------------------------------------


def owned_by(queryset: QuerySet, *, user, owner_fields: tuple[str, ...] = ("user",)) -> QuerySet:
    """Rows where any of ``owner_fields`` is ``user``: their own, whoever they are (staff included)."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    ownership = Q()
    for field in owner_fields:
        ownership |= Q(**{field: user})
    return queryset.filter(ownership)


def is_owner(obj: Model, *, user, owner_field: str = "user") -> bool:
    return user is not None and user.is_authenticated and getattr(obj, f"{owner_field}_id") == user.pk


def require_owner(obj: Model, *, user, message: str, owner_field: str = "user") -> None:
    """Services call this before changing a row for ``user``: only its owner may (staff included)."""
    if not is_owner(obj, user=user, owner_field=owner_field):
        raise NotAllowed(message)


def row_visible_to(
    queryset: QuerySet,
    *,
    viewer,
    pk: int,
    owner_field: str,
    what: str,
    where: str = "",
    owner_may_see: bool = True,
    staff_operations: bool = False,
    subject_of: Callable[[Model], object] | None = None,
) -> Model:
    """One row of ``queryset`` by ``pk`` for ``viewer``: their own (``owner_field``, a path like
    ``client__clinician``, is them, and ``owner_may_see``: the caller's rule for owning such rows at all, e.g.
    being a clinician), not recorded; or, with ``staff_operations``, any row for staff, recorded as a look at
    ``subject_of(row)``'s ``what`` (whose data it is; a user). Anything else, existing or not: ``Http404``."""
    if not 0 < pk < 2**63:  # no such row, and SQLite cannot even compare it
        raise Http404("No such record for you.")
    if owner_may_see:
        row = owned_by(queryset, user=viewer, owner_fields=(owner_field,)).filter(pk=pk).first()
        if row is not None:
            return row
    if staff_operations and is_staff_operator(viewer):
        row = queryset.filter(pk=pk).first()
        if row is not None:
            subject = subject_of(row) if subject_of is not None else _follow(row, owner_field)
            record(Access(viewer=viewer, subject=subject, through=STAFF_OPERATIONS), what=what, where=where)
            return row
    raise Http404("No such record for you.")


def _follow(row: Model, path: str):
    for name in path.split("__"):
        row = getattr(row, name)
    return row


# --- 2. Relationships ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Relationship:
    """A reason one person may see some of another person's data.

    ``grants`` names the kinds of data it shows; ``holds(viewer, subject_id)`` answers whether it
    holds right now (one query, never cached).
    """

    name: str
    grants: frozenset[str]
    holds: Callable[..., bool]
    # ``holds_many(viewer, subject_ids)``: the ids among them for which it holds now, in one query. Without
    # it, a batch asks ``holds`` once per id.
    holds_many: Callable[..., set[int]] | None = None

    def holding_for(self, *, viewer, subject_ids: list[int]) -> set[int]:
        if self.holds_many is not None:
            return set(self.holds_many(viewer=viewer, subject_ids=subject_ids))
        return {subject_id for subject_id in subject_ids if self.holds(viewer=viewer, subject_id=subject_id)}


_RELATIONSHIPS: dict[str, Relationship] = {}


def register_relationship(
    name: str,
    *,
    grants: set[str] | frozenset[str],
    holds: Callable[..., bool],
    holds_many: Callable[..., set[int]] | None = None,
) -> Relationship:
    """Register a kind of relationship (apps do this in their ``AppConfig.ready``). Idempotent per name."""
    if name in (OWN, STAFF_OPERATIONS):
        raise ValueError(f"{name!r} is reserved.")
    relationship = Relationship(name=name, grants=frozenset(grants), holds=holds, holds_many=holds_many)
    _RELATIONSHIPS[name] = relationship
    return relationship


def relationships() -> tuple[Relationship, ...]:
    return tuple(_RELATIONSHIPS.values())


def relationship_between(*, viewer, subject_id: int, what: str) -> Relationship | None:
    """The first registered relationship through which ``viewer`` may see ``what`` of ``subject_id``
    now, or None. Reads only: it records nothing (``subject_visible_to`` does)."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return None
    for relationship in _RELATIONSHIPS.values():
        if what in relationship.grants and relationship.holds(viewer=viewer, subject_id=subject_id):
            return relationship
    return None


@dataclass(frozen=True)
class Access:
    """A decision: ``viewer`` may see ``subject``'s data, ``through`` own, a relationship or staff operations."""

    viewer: object
    subject: object
    through: str

    @property
    def is_own(self) -> bool:
        return self.through == OWN


def subject_visible_to(
    *, viewer, subject_id: int | None, what: str, where: str = "", staff_operations: bool = False
) -> Access:
    """Whose ``what`` (a kind of data) ``viewer`` may see when asking for ``subject_id``'s.

    Their own (``subject_id`` None or their id): allowed, not recorded. Someone else's through a
    relationship that grants ``what``: allowed and recorded. With ``staff_operations``, staff may
    see anyone's: recorded too. Anything else, whether or not the user exists: ``Http404``.
    """
    if subject_id is None or subject_id == viewer.pk:
        return Access(viewer=viewer, subject=viewer, through=OWN)
    if not 0 < subject_id < 2**63:  # no such row, and SQLite cannot even compare it
        raise Http404("No such person for you.")
    relationship = relationship_between(viewer=viewer, subject_id=subject_id, what=what)
    if relationship is not None:
        through = relationship.name
    elif staff_operations and is_staff_operator(viewer):
        through = STAFF_OPERATIONS
    else:
        raise Http404("No such person for you.")
    subject = get_user_model().objects.filter(pk=subject_id).first()
    if subject is None:
        raise Http404("No such person for you.")
    access = Access(viewer=viewer, subject=subject, through=through)
    record(access, what=what, where=where)
    return access


def subjects_visible_to(*, viewer, subject_ids: list[int], what: str, where: str = "") -> list[Access]:
    """``subject_visible_to`` for many people at once (a parent's page of their children): the ones among
    ``subject_ids`` whose ``what`` ``viewer`` may see through a relationship now, decided afresh and each
    recorded in the audit log, in a fixed number of queries however many there are (one per relationship
    asked, one for the people, one insert for the records). The others are left out, revealing nothing;
    staff operations and one's own id are not part of a batch."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return []
    remaining = sorted({subject_id for subject_id in subject_ids if 0 < subject_id < 2**63 and subject_id != viewer.pk})
    through: dict[int, str] = {}
    for relationship in _RELATIONSHIPS.values():
        if not remaining:
            break
        if what in relationship.grants:
            for subject_id in relationship.holding_for(viewer=viewer, subject_ids=remaining):
                through[subject_id] = relationship.name
            remaining = [subject_id for subject_id in remaining if subject_id not in through]
    if not through:
        return []
    subjects = get_user_model().objects.filter(pk__in=through).order_by("pk")
    accesses = [Access(viewer=viewer, subject=subject, through=through[subject.pk]) for subject in subjects]
    record_many(accesses, what=what, where=where)
    return accesses


def record_many(accesses: list[Access], *, what: str, where: str = "") -> None:
    """``record`` for a batch: one INSERT for all of them (own accesses are not recorded)."""
    from myApp.accounts.services import access_records_create  # lib must not import apps at load time

    others = [access for access in accesses if not access.is_own]
    if others:
        access_records_create(
            [(access.viewer, access.subject, access.through) for access in others], what=what, where=where
        )


def record(access: Access, *, what: str, where: str = "") -> None:
    """Write one access to someone else's data to the append-only audit log (own access is not recorded)."""
    if access.is_own:
        return
    from myApp.accounts.services import access_record_create  # lib must not import apps at load time

    access_record_create(viewer=access.viewer, subject=access.subject, what=what, through=access.through, where=where)


# --- 3. Staff operations --------------------------------------------------------------------------


def is_staff_operator(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def acting_for(*, actor, user_id: int | None, what: str, where: str = ""):
    """The user a request names in ``user_id`` (seed 004's contract): the caller (the default), or,
    as a staff operation, anyone.

    A non-staff caller naming anyone else gets 403 whether or not that user exists, so the answer
    reveals nothing; staff naming an unknown user get 404. Staff acting for someone is recorded.
    """
    if user_id is None or user_id == actor.pk:
        return actor
    if not is_staff_operator(actor):
        raise NotAllowed("user_id must be your own.", errors={"user_id": ["You can only act for yourself."]})
    subject = get_user_model().objects.filter(pk=user_id).first()
    if subject is None:
        raise Http404("No such user.")
    record(Access(viewer=actor, subject=subject, through=STAFF_OPERATIONS), what=what, where=where)
    return subject


def may_name_user(*, actor, user_id: int | None, others_allowed: bool) -> bool:
    """Whether ``actor`` may send input naming ``user_id``; decided before the id is looked up, so the
    answer never tells whether that user exists."""
    return user_id is None or user_id == actor.pk or others_allowed
