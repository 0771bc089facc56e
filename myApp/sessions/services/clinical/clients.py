"""Writes for clients and their therapy sessions: only the client's clinician makes them."""

import datetime
import unicodedata

from django.db import transaction
from django.utils import timezone

from myApp.analytics import events
from myApp.analytics.services import track
from myApp.lib.create_once import create_once
from myApp.lib.exceptions import Conflict, NotAllowed, ServiceError
from myApp.lib.text import BIDI_CONTROLS
from myApp.sessions.clinical.scales import speaker_label
from myApp.sessions.clinical_selectors import is_clinician
from myApp.sessions.models import (
    Client,
    ClientProfile,
    SessionStatus,
    SessionStatusChange,
    SessionType,
    StatusField,
    TherapySession,
)

CLIENT_FIELDS = frozenset(
    {"display_name", "age", "gender", "demographics", "clinical_notes", "risk_factors", "treatment_history"}
)
# A session's own status, as it may move: a finished or cancelled session is not reopened, except that a
# cancelled one may be scheduled again.
SESSION_TRANSITIONS = {
    SessionStatus.SCHEDULED: {SessionStatus.IN_PROGRESS, SessionStatus.COMPLETED, SessionStatus.CANCELLED},
    SessionStatus.IN_PROGRESS: {SessionStatus.COMPLETED, SessionStatus.CANCELLED},
    SessionStatus.COMPLETED: set(),
    SessionStatus.CANCELLED: {SessionStatus.SCHEDULED},
}
# The dates a session may have. A date at the edge of Python's calendar ("9999-12-31T23:59-05:00",
# "0001-01-01T00:00+05:00") was stored by PostgreSQL as year 10000 or 1 BC and could not be read back: every
# page listing the client's sessions (the caseload, the client, the session) answered 500 from then on.
SESSION_DATE_FIRST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
SESSION_DATE_LAST = datetime.datetime(2200, 1, 1, tzinfo=datetime.UTC)


def is_clinician_of(client: Client, *, user) -> bool:
    return is_clinician(user) and client.clinician_id == user.pk


def require_clinician_of(client: Client, *, user) -> None:
    """Only the client's clinician (still an active psychologist) writes their records."""
    if not is_clinician_of(client, user=user):
        raise NotAllowed("Only the client's clinician may do this.")


def may_decide(*, session: TherapySession, user) -> bool:
    """Whether ``user`` may approve or reject ``session``'s insights (the page shows the buttons)."""
    return is_clinician_of(session.client, user=user)


def may_decide_insight(*, insight, user) -> bool:
    """Whether ``user`` may approve or reject ``insight`` (a chat or self-check alert has no session)."""
    return is_clinician_of(insight.client, user=user)


def _refuse_hidden_text(fields: dict) -> None:
    """A client's name, gender and notes hold no direction override (a name "abc<U+202E>def" was listed as
    "abcfed" reversed, on the caseload, in alerts and their emails) and no control character; a name is not
    made of invisible characters only (a name of one zero-width space was taken: a blank line on the caseload)."""
    errors = {}
    for name in ("display_name", "gender", "clinical_notes"):
        text = fields.get(name)
        if not isinstance(text, str):
            continue
        if any(char in BIDI_CONTROLS or (unicodedata.category(char) == "Cc" and char not in "\n\r\t") for char in text):
            errors[name] = ["Must not contain control characters or text-direction overrides."]
        elif name == "display_name" and not "".join(c for c in text if unicodedata.category(c) != "Cf").strip():
            errors[name] = ["Must have a visible character."]
    if errors:
        raise ServiceError("Invalid client.", errors=errors)


def require_may_take_clients(user) -> None:
    """A client's clinician is an active psychologist: only they are shown the client and told of its urgent
    insights. For a new client and for a hand-over (the admin)."""
    if not is_clinician(user):
        raise NotAllowed(
            "Only an active psychologist takes clients: only they are shown a client and told of its urgent insights."
        )


@transaction.atomic
def client_create(*, clinician, display_name: str, user=None, creation_key=None, **fields) -> Client:
    """A new client on ``clinician``'s caseload, with an empty profile (``creation_key``: ``client_create_once``)."""
    require_may_take_clients(clinician)
    unknown = set(fields) - CLIENT_FIELDS
    if unknown:
        raise ServiceError("Unknown fields.", errors={name: ["Cannot be set."] for name in sorted(unknown)})
    _refuse_hidden_text({"display_name": display_name, **fields})
    client = Client.objects.create(
        clinician=clinician, display_name=display_name, user=user, creation_key=creation_key, **fields
    )
    ClientProfile.objects.create(client=client)
    # No client id in analytics (events.py's docstring): whether the client has an account is all it says.
    track(event_type=events.CLINICAL_CLIENT_CREATED, user=clinician, data={"linked": user is not None})
    return client


def client_create_once(*, clinician, creation_key, display_name: str, **fields) -> tuple[Client, bool]:
    """``client_create`` for a form sent with ``creation_key`` (a key the form was drawn with): the first sending
    adds the client, any later one (a double click, a resend) finds it. Returns the client and whether this call
    added it. Two sendings at once: the database's constraint lets one in, the other finds its client. Without a
    key (None) it simply adds the client. Only someone who may take clients finds one by its key."""
    require_may_take_clients(clinician)
    if creation_key is None:
        return client_create(clinician=clinician, display_name=display_name, **fields), True
    return create_once(
        find=lambda: Client.objects.filter(clinician=clinician, creation_key=creation_key).first(),
        create=lambda with_key: client_create(
            clinician=clinician, display_name=display_name, creation_key=creation_key if with_key else None, **fields
        ),
        # A resend carries the name as first typed (a rename since keeps it among the former names).
        is_resend=lambda found: (
            speaker_label(display_name) in {speaker_label(name) for name in (found.display_name, *found.former_names)}
        ),
    )


FORMER_NAMES_KEPT = 10


@transaction.atomic
def client_update(*, client: Client, by, **fields) -> Client:
    """Change what the clinician writes about ``client``. A new name keeps the old one in ``former_names`` (under
    the client's row lock: two renames at once both keep theirs), so transcripts labelled with it still count as
    the client's speech."""
    require_clinician_of(client, user=by)
    unknown = set(fields) - CLIENT_FIELDS
    if unknown:
        raise ServiceError("Unknown fields.", errors={name: ["Cannot be set."] for name in sorted(unknown)})
    _refuse_hidden_text(fields)
    if "display_name" in fields:
        current = Client.objects.select_for_update().values("display_name", "former_names").get(pk=client.pk)
        fields["former_names"] = _names_kept(current["former_names"], current["display_name"], fields["display_name"])
    if fields:
        Client.objects.filter(pk=client.pk).update(**fields, updated_at=timezone.now())
        client.refresh_from_db(fields=[*fields, "updated_at"])
    return client


@transaction.atomic
def client_staff_update(*, client: Client, changed: list[str]) -> Client:
    """Staff's change to ``client`` in the admin (it carries the new values of ``changed``): only those fields are
    written. A client handed to another clinician loses the creation key: the key names the form the first clinician
    sent (``client_create_once``), and a resend of it adds their own client, which must not share the key with one
    now on the new clinician's caseload (the constraint). The new clinician is told of the client's undecided urgent
    insights in the same transaction (their emails leave once it commits)."""
    from myApp.sessions.services.clinical.notifications import notify_handed_over  # notifications read clients

    fields = [*changed]
    handed_over = "clinician" in fields
    if handed_over:
        require_may_take_clients(client.clinician)
        client.creation_key = None
        fields.append("creation_key")
    if fields:
        client.updated_at = timezone.now()
        client.save(update_fields=[*fields, "updated_at"])
    if handed_over:
        notify_handed_over(client=client)
    return client


def _names_kept(former: list, old: str, new: str) -> list[str]:
    """``former`` with ``old`` added last, unless it is the new name (as a label) or kept already; the newest
    ``FORMER_NAMES_KEPT``."""
    labels = {speaker_label(new)}
    kept = []
    for name in reversed([*(name for name in former if isinstance(name, str)), old]):
        if speaker_label(name) and speaker_label(name) not in labels:
            labels.add(speaker_label(name))
            kept.append(name)
    return list(reversed(kept[:FORMER_NAMES_KEPT]))


def status_change_record(
    *, session: TherapySession, field: str, from_status: str, to_status: str, by=None, reason: str = ""
) -> SessionStatusChange:
    """Append one status change of ``session`` (the caller holds its row lock and has set the field)."""
    return SessionStatusChange.objects.create(
        session=session, field=field, from_status=from_status, to_status=to_status, by=by, reason=reason[:500]
    )


@transaction.atomic
def therapy_session_create(
    *,
    client: Client,
    by,
    date: datetime.datetime,
    duration_minutes: int | None = None,
    session_type: str = SessionType.INDIVIDUAL,
    audio_file_path: str = "",
    creation_key=None,
) -> TherapySession:
    """SessionManager.create_session: a scheduled session of ``client``, dated within ``SESSION_DATE_FIRST`` and
    ``SESSION_DATE_LAST`` (``creation_key``: ``therapy_session_create_once``)."""
    require_clinician_of(client, user=by)
    if timezone.is_naive(date):
        date = timezone.make_aware(date)
    if not SESSION_DATE_FIRST <= date < SESSION_DATE_LAST:
        raise ServiceError(
            "Invalid session date.",
            errors={"date": [f"Must be from {SESSION_DATE_FIRST.year} to {SESSION_DATE_LAST.year - 1}."]},
        )
    session = TherapySession.objects.create(
        client=client,
        date=date,
        duration_minutes=duration_minutes,
        session_type=session_type,
        audio_file_path=audio_file_path,
        status=SessionStatus.SCHEDULED,
        creation_key=creation_key,
    )
    track(event_type=events.THERAPY_SESSION_CREATED, user=by, data={"session_type": session_type})
    return session


def therapy_session_create_once(*, client: Client, by, creation_key=None, **fields) -> tuple[TherapySession, bool]:
    """``therapy_session_create`` for a form sent with ``creation_key``: the first sending adds the session, a
    later one (Back and send again, a double click, an app's retry) finds it (``lib.create_once``). Returns the
    session and whether this call added it. Only the client's clinician finds one by its key."""
    require_clinician_of(client, user=by)
    if creation_key is None:
        return therapy_session_create(client=client, by=by, **fields), True
    return create_once(
        find=lambda: TherapySession.objects.filter(client=client, creation_key=creation_key).first(),
        create=lambda with_key: therapy_session_create(
            client=client, by=by, creation_key=creation_key if with_key else None, **fields
        ),
        is_resend=lambda found: _same_moment(found.date, fields.get("date")),  # a resend carries the date first sent
    )


def _same_moment(stored: datetime.datetime, sent: datetime.datetime | None) -> bool:
    if sent is None:
        return True
    if timezone.is_naive(sent):
        sent = timezone.make_aware(sent)
    return stored == sent


def session_next_statuses(session: TherapySession) -> list[str]:
    """The statuses ``session`` may move to now (``SESSION_TRANSITIONS``), in the order of ``SessionStatus``."""
    allowed = SESSION_TRANSITIONS.get(session.status, set())
    return [status for status in SessionStatus.values if status in allowed]


@transaction.atomic
def therapy_session_status_set(*, session: TherapySession, by, status: str, reason: str = "") -> TherapySession:
    """SessionManager.update_session_status, under the session's row lock, along ``SESSION_TRANSITIONS``
    (409 otherwise); the change is recorded."""
    require_clinician_of(session.client, user=by)
    locked = TherapySession.objects.select_for_update().get(pk=session.pk)
    if locked.status == status:
        return locked
    if status not in SESSION_TRANSITIONS.get(locked.status, set()):
        raise Conflict(
            f"A {locked.get_status_display().lower()} session cannot become {status}.",
            errors={"status": [f"Not allowed from {locked.status}."]},
        )
    previous = locked.status
    TherapySession.objects.filter(pk=locked.pk).update(status=status, updated_at=timezone.now())
    status_change_record(
        session=locked, field=StatusField.STATUS, from_status=previous, to_status=status, by=by, reason=reason
    )
    locked.refresh_from_db()
    return locked
