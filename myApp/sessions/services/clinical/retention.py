"""Clinical records retention: a clinician's policy, discharging and reopening clients, and the sweep.

What is safe to delete: only the therapy sessions (with their transcript sentences, insights and status changes) of
a client their clinician has *discharged*, once the discharge is older than the clinician's ``keep_years``. An
open client's records are never touched, whatever their age, and a clinician without a policy (the default) keeps
everything. The client row itself, their profile and alerts raised outside sessions stay: the caseload keeps the
person's name and the fact of treatment, which the clinician deletes by hand if they must.

A reopen and the sweep cannot cross: each sweep batch locks the client row and checks the discharge again, and
``client_reopen`` takes the same lock, so a client reopened mid-sweep keeps every session not yet deleted.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import DateTimeField, Value
from django.http import Http404
from django.utils import timezone

from myApp.lib import access
from myApp.lib.exceptions import ServiceError
from myApp.lib.retention import KindResult, take_batch
from myApp.sessions.clinical_selectors import is_clinician
from myApp.sessions.models import Client, ClinicalRetentionPolicy, SessionSentence, TherapySession
from myApp.sessions.models.clinical_retention import KEEP_YEARS_MAX, KEEP_YEARS_MIN
from myApp.sessions.services.clinical.clients import require_clinician_of


def years_after(moment: datetime, years: int) -> datetime:
    """The same calendar day ``years`` later (or earlier, with a negative number); 29 February becomes 28 February
    in a year without it. Years of 365 days ended a seven-year policy two days early (new-user review)."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def sessions_deleted_after(*, client: Client, keep_years: int | None) -> datetime | None:
    """When the sweep may delete ``client``'s sessions under a policy of ``keep_years`` (None: never, or the client
    is still in treatment)."""
    if client.discharged_at is None or keep_years is None:
        return None
    return years_after(client.discharged_at, keep_years)


def clinical_retention_policy_of(*, clinician) -> int | None:
    """The clinician's own ``keep_years`` (None: keep for good, the default). Only a clinician has a policy:
    anyone else gets 404, as for every clinical record that is not theirs."""
    if not is_clinician(clinician):
        raise Http404("No clinical retention policy here.")
    own = access.owned_by(ClinicalRetentionPolicy.objects.all(), user=clinician, owner_fields=("clinician",))
    return own.values_list("keep_years", flat=True).first()


def keep_years_of_clinician(clinician_id: int) -> int | None:
    """The policy that applies to a clinician's clients (None: keep them), whoever reads it (the clinician,
    staff)."""
    return (
        ClinicalRetentionPolicy.objects.filter(clinician_id=clinician_id).values_list("keep_years", flat=True).first()
    )


def clients_past_policy(*, clinician, keep_years: int | None, now: datetime | None = None) -> list[str]:
    """The names of ``clinician``'s discharged clients whose sessions the next sweep deletes under ``keep_years``
    (shown when the policy is set, so a shorter one never deletes without a word: new-user review)."""
    if keep_years is None:
        return []
    older_than = years_after(now or timezone.now(), -keep_years)
    clients = Client.objects.filter(clinician=clinician, discharged_at__lt=older_than, sessions__isnull=False)
    return list(clients.order_by("display_name").values_list("display_name", flat=True).distinct())


def clinical_retention_policy_set(*, clinician, keep_years: int | None) -> ClinicalRetentionPolicy:
    """Set how many years after discharge the clinician's clients' sessions are kept (None: keep them)."""
    if not is_clinician(clinician):
        raise Http404("No clinical retention policy here.")
    if keep_years is not None and not KEEP_YEARS_MIN <= keep_years <= KEEP_YEARS_MAX:
        message = f"Choose from {KEEP_YEARS_MIN} to {KEEP_YEARS_MAX} years, or keep the records."
        raise ServiceError(message, errors={"keep_years": [message]})
    policy, _ = ClinicalRetentionPolicy.objects.update_or_create(
        clinician=clinician, defaults={"keep_years": keep_years}
    )
    return policy


@transaction.atomic
def client_discharge(*, client: Client, by) -> Client:
    """Close the client's treatment. Discharging again keeps the first date (the retention clock does not
    restart because the button was pressed twice)."""
    require_clinician_of(client, user=by)
    locked = Client.objects.select_for_update().get(pk=client.pk)
    if locked.discharged_at is None:
        locked.discharged_at = timezone.now()
        locked.save(update_fields=["discharged_at", "updated_at"])
    return locked


@transaction.atomic
def client_reopen(*, client: Client, by) -> Client:
    """Take the client back into treatment: their records are open again and no retention applies."""
    require_clinician_of(client, user=by)
    locked = Client.objects.select_for_update().get(pk=client.pk)
    if locked.discharged_at is not None:
        locked.discharged_at = None
        locked.save(update_fields=["discharged_at", "updated_at"])
    return locked


def _expired_clients(*, now: datetime):
    """(client id, discharge cutoff, discharge) for every discharged client past their clinician's policy."""
    for clinician_id, keep_years in ClinicalRetentionPolicy.objects.filter(keep_years__isnull=False).values_list(
        "clinician_id", "keep_years"
    ):
        older_than = years_after(now, -keep_years)
        yield from Client.objects.filter(clinician_id=clinician_id, discharged_at__lt=older_than).values_list(
            "pk", Value(older_than, output_field=DateTimeField()), "discharged_at"
        )


def _sessions_of_the_treatment(client_id: int, discharged_at: datetime):
    """The sessions the discharge closed: one dated after it (recorded for a discharged client) is not part of
    the treatment that ended, and waits for its own discharge (attack review)."""
    return TherapySession.objects.filter(client_id=client_id, date__lte=discharged_at)


def therapy_sessions_apply_retention(*, dry_run: bool, now: datetime, batch_size: int) -> KindResult:
    """The registry's ``clinical`` kind: count (dry run) or delete, in batches, the sessions of discharged
    clients past their clinician's policy."""
    result = KindResult("clinical", dry_run, "discharged longer ago than their clinician's policy (default: keep)")
    for client_id, older_than, discharged_at in _expired_clients(now=now):
        sessions = _sessions_of_the_treatment(client_id, discharged_at)
        if dry_run:
            session_count = sessions.count()
            result.add("clients", 1 if session_count else 0)
            result.add("therapy sessions", session_count)
            result.add("transcript sentences", SessionSentence.objects.filter(session__in=sessions).count())
            continue
        deleted_any = False
        while True:
            with transaction.atomic():
                still_expired = (
                    Client.objects.select_for_update(skip_locked=True)
                    .filter(pk=client_id, discharged_at__lt=older_than)
                    .exists()
                )
                keys = take_batch(sessions, batch_size=batch_size)
                if not still_expired or not keys:
                    break
                _, per_model = TherapySession.objects.filter(pk__in=keys).delete()
                result.add("therapy sessions", per_model.get(TherapySession._meta.label, 0))
                result.add("transcript sentences", per_model.get(SessionSentence._meta.label, 0))
                deleted_any = True
        result.add("clients", 1 if deleted_any else 0)
    return result
