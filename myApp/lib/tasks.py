"""Background work that spans the apps: the retention sweep of every data kind (``myApp.lib.retention``)."""

from django.tasks import task

from myApp.lib.retention import retention_apply


@task
def apply_retention(*, kinds: list[str] | None = None, dry_run: bool = False) -> list[dict[str, object]]:
    """Apply retention to ``kinds`` (default: all), as ``manage.py retention`` does; the result says per kind
    what was (or with ``dry_run`` would be) deleted."""
    return [result.as_dict() for result in retention_apply(kinds=kinds, dry_run=dry_run)]
