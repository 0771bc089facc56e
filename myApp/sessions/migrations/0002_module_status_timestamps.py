"""Rewrite stored module timestamps in the one API format (2026-01-18T10:15:00.000Z).

Before, ``metadata.module_status.<module>.recommended_at`` / ``completed_at``
were written as ``2026-01-18T10:15:00.123456+00:00`` and a breathing
completion's ``completion_data.timestamp`` as DRF rendered it (``...123456Z``);
the API now emits every timestamp one way, so the stored documents are
rewritten once here rather than reformatted on every read. Values that do not
parse are left as they are; a naive value is taken as UTC (seed 000 wrote
``datetime.utcnow().isoformat()``). The old code reads the new format, so the
reverse is a no-op.
"""

from datetime import UTC, datetime

from django.db import migrations

BATCH = 500
MODULE_TIMES = ("recommended_at", "completed_at")


def _formatted(value):
    """The one format for an ISO 8601 string, or None when it is not one (frozen copy of the helper)."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    return f"{parsed:%Y-%m-%dT%H:%M:%S}.{parsed.microsecond // 1000:03d}Z"


def _rewrite(document: dict, keys) -> bool:
    changed = False
    for key in keys:
        formatted = _formatted(document.get(key))
        if formatted is not None and formatted != document[key]:
            document[key] = formatted
            changed = True
    return changed


def _rewrite_module_status(metadata) -> bool:
    status = metadata.get("module_status") if isinstance(metadata, dict) else None
    if not isinstance(status, dict):
        return False
    changed = False
    for entry in status.values():
        if not isinstance(entry, dict):
            continue
        changed |= _rewrite(entry, MODULE_TIMES)
        if isinstance(entry.get("completion_data"), dict):
            changed |= _rewrite(entry["completion_data"], ("timestamp",))
    return changed


def _save_in_batches(model, rows, field: str, changes) -> None:
    batch = []
    for row in rows:
        if changes(getattr(row, field)):
            batch.append(row)
        if len(batch) >= BATCH:
            model.objects.bulk_update(batch, [field])
            batch = []
    if batch:
        model.objects.bulk_update(batch, [field])


def forwards(apps, schema_editor):
    Conversation = apps.get_model("usersessions", "Conversation")
    ModuleCompletion = apps.get_model("usersessions", "ModuleCompletion")
    _save_in_batches(
        Conversation,
        Conversation.objects.filter(metadata__has_key="module_status").only("pk", "metadata").iterator(BATCH),
        "metadata",
        _rewrite_module_status,
    )
    _save_in_batches(
        ModuleCompletion,
        ModuleCompletion.objects.filter(completion_data__has_key="timestamp")
        .only("pk", "completion_data")
        .iterator(BATCH),
        "completion_data",
        lambda data: isinstance(data, dict) and _rewrite(data, ("timestamp",)),
    )


class Migration(migrations.Migration):
    dependencies = [("usersessions", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
