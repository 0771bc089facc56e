"""Retention: how long each kind of data is kept, in one registry, applied by one mechanism.

Each kind names its rows, the date that decides and what applying it does (``KINDS`` below). ``manage.py
retention`` and the task ``myApp.lib.tasks.apply_retention`` both call ``retention_apply``; ``manage.py
chat_retention`` is the chat kind alone.

Deletion runs in batches of ``RETENTION_BATCH_SIZE`` rows, each batch its own short transaction, so a backlog of
millions never becomes one statement holding locks for minutes. A batch takes its rows with ``SELECT ... FOR UPDATE
SKIP LOCKED``: two workers running at once delete disjoint batches, and neither counts a row the other deleted.
Running it again finds nothing more to do. A dry run counts the same rows with the same filters and changes nothing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from myApp.lib.exceptions import ServiceError


@dataclass
class KindResult:
    """What one kind would delete (dry run) or deleted: rows per label, e.g. ``{"events": 12}``."""

    kind: str
    dry_run: bool
    rule: str
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, number: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + number

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "dry_run": self.dry_run, "rule": self.rule, "counts": dict(self.counts)}


@dataclass(frozen=True)
class RetentionKind:
    """One kind of data: ``apply(dry_run=, now=, batch_size=)`` returns its ``KindResult``."""

    name: str
    description: str
    apply: Callable[..., KindResult]


def cutoff(*, now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def take_batch(queryset: QuerySet, *, batch_size: int) -> list[int]:
    """The primary keys of the next batch, locked for this transaction; rows another worker holds are skipped.

    Ordered by primary key, so PostgreSQL walks the key index and stops after ``batch_size`` matches: the oldest
    rows have the smallest keys, which keeps this cheap without an index on the deciding date."""
    return list(
        queryset.order_by("pk")
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", flat=True)[:batch_size]
    )


def delete_in_batches(
    queryset: QuerySet,
    *,
    batch_size: int,
    on_batch: Callable[[list[int]], None] | None = None,
) -> dict[str, int]:
    """Delete the rows of ``queryset`` (with what cascades from them), ``batch_size`` at a time.

    Returns deleted rows per model label. ``on_batch`` runs inside each batch's transaction with its keys (e.g. to
    drop cached copies once it commits)."""
    model: type[Model] = queryset.model
    totals: dict[str, int] = {}
    while True:
        with transaction.atomic():
            keys = take_batch(queryset, batch_size=batch_size)
            if not keys:
                return totals
            _, per_model = model._base_manager.filter(pk__in=keys).delete()
            for label, number in per_model.items():
                totals[label] = totals.get(label, 0) + number
            if on_batch is not None:
                on_batch(keys)


def _events_kind(name: str, description: str, model_path: str, setting: str) -> RetentionKind:
    """Telemetry and analytics events: rows whose ``created_at`` is older than the setting's days."""

    def apply(*, dry_run: bool, now: datetime, batch_size: int) -> KindResult:
        from django.apps import apps

        model = apps.get_model(model_path)
        days = getattr(settings, setting)
        result = KindResult(name, dry_run, f"created more than {days} day(s) ago ({setting})")
        old = model.objects.filter(created_at__lt=cutoff(now=now, days=days))
        if dry_run:
            result.add("events", old.count())
        else:
            result.add("events", delete_in_batches(old, batch_size=batch_size).get(model._meta.label, 0))
        return result

    return RetentionKind(name, description, apply)


def _chat(*, dry_run: bool, now: datetime, batch_size: int) -> KindResult:
    from myApp.sessions.services.retention import conversations_apply_retention

    days = settings.RETENTION_CHAT_DAYS
    report = conversations_apply_retention(dry_run=dry_run, retention_days=days, now=now, batch_size=batch_size)
    result = KindResult("chat", dry_run, f"last active more than {days} day(s) ago (RETENTION_CHAT_DAYS)")
    result.add("conversations", report.deleted_conversations)
    result.add("messages", report.deleted_messages)
    result.add("idle conversations ended", report.ended)
    return result


def _audit(*, dry_run: bool, now: datetime, batch_size: int) -> KindResult:
    """The audit log is append-only (a PostgreSQL trigger refuses UPDATE and DELETE). Old entries are deleted,
    not anonymised: an entry is itself personal data (who looked at whose records), no rule counts them, and one
    without its people says nothing. The trigger lets a DELETE through only for rows older than the cutoff this
    transaction declares (``speakpro.audit_purge_before``), so even a wrong filter cannot delete a younger row."""
    from myApp.accounts.models import AccessRecord

    days = settings.RETENTION_AUDIT_DAYS
    older_than = cutoff(now=now, days=days)
    result = KindResult("audit", dry_run, f"recorded more than {days} day(s) ago (RETENTION_AUDIT_DAYS)")
    old = AccessRecord.objects.filter(created_at__lt=older_than)
    if dry_run:
        result.add("audit entries", old.count())
        return result
    table = connection.ops.quote_name(AccessRecord._meta.db_table)
    while True:
        with transaction.atomic():
            keys = take_batch(old, batch_size=batch_size)
            if not keys:
                return result
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute(
                        "SELECT set_config('speakpro.audit_purge_before', %s, true)", [older_than.isoformat()]
                    )
                placeholders = ", ".join(["%s"] * len(keys))
                cursor.execute(f"DELETE FROM {table} WHERE id IN ({placeholders})", keys)
                result.add("audit entries", cursor.rowcount)


def _clinical(*, dry_run: bool, now: datetime, batch_size: int) -> KindResult:
    from myApp.sessions.services.clinical.retention import therapy_sessions_apply_retention

    return therapy_sessions_apply_retention(dry_run=dry_run, now=now, batch_size=batch_size)


KINDS: dict[str, RetentionKind] = {
    kind.name: kind
    for kind in (
        RetentionKind(
            "chat",
            "chat conversations and their messages, by last activity; idle ones are ended",
            _chat,
        ),
        _events_kind("telemetry", "client telemetry events", "analytics.TelemetryEvent", "RETENTION_TELEMETRY_DAYS"),
        _events_kind("analytics", "product analytics events", "analytics.AnalyticsEvent", "RETENTION_ANALYTICS_DAYS"),
        RetentionKind("audit", "the access audit log", _audit),
        RetentionKind(
            "clinical",
            "therapy sessions and transcripts of discharged clients, per their clinician's policy",
            _clinical,
        ),
    )
}


def retention_apply(
    *, kinds: Iterable[str] | None = None, dry_run: bool = False, batch_size: int | None = None
) -> list[KindResult]:
    """Apply (or with ``dry_run`` count) retention for ``kinds`` (default: all, in registry order)."""
    names = list(kinds) if kinds else list(KINDS)
    unknown = [name for name in names if name not in KINDS]
    if unknown:
        raise ServiceError(f"Unknown kind(s): {', '.join(unknown)}. Choose from: {', '.join(KINDS)}.")
    size = batch_size or settings.RETENTION_BATCH_SIZE
    now = timezone.now()
    return [KINDS[name].apply(dry_run=dry_run, now=now, batch_size=size) for name in dict.fromkeys(names)]
