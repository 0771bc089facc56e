"""``manage.py retention [--dry-run] [--kind chat --kind telemetry ...]``: apply retention per data kind.

The kinds, their settings and what each deletes are in ``myApp/lib/retention.py``. Run it daily from cron or a
systemd timer, or enqueue ``myApp.lib.tasks.apply_retention``; two runs at once are safe (they share the work).
"""

from django.core.management.base import BaseCommand, CommandError

from myApp.lib.exceptions import ServiceError
from myApp.lib.retention import KINDS, KindResult, retention_apply


def describe(result: KindResult) -> str:
    verb = "would delete" if result.dry_run else "deleted"
    parts = [f"{number} {label}" for label, number in result.counts.items()]
    return f"{result.kind}: {verb} {', '.join(parts) or 'nothing'} ({result.rule})"


class Command(BaseCommand):
    help = "Delete data past its retention period, per kind: " + "; ".join(
        f"{name} ({kind.description})" for name, kind in KINDS.items()
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Print what would be deleted; change nothing.")
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            choices=list(KINDS),
            help="A kind to apply (repeat for several; default: all).",
        )

    def handle(self, *args, dry_run: bool = False, kinds: list[str] | None = None, **options) -> None:
        if isinstance(kinds, str):
            kinds = [kinds]
        try:
            results = retention_apply(kinds=kinds, dry_run=dry_run)  # call_command(kinds=[...]) skips the parser
        except ServiceError as error:
            raise CommandError(error.detail) from None
        for result in results:
            self.stdout.write(describe(result))
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
