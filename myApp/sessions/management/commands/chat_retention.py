"""``manage.py chat_retention``: close timed-out conversations and delete old ones with their messages.

Whether a conversation has timed out is ``myApp.sessions.expiry`` (``CHAT_SESSION_TIMEOUT_HOURS``), the same
rule the API and the pages use, so this command has no timeout of its own.

The chat kind of ``manage.py retention`` alone (kept for the cron lines that name it); ``retention`` applies every
kind. Run it from cron or a systemd timer (or enqueue ``myApp.sessions.tasks.apply_chat_retention``);
``--dry-run`` shows what a run would remove without touching anything.
"""

import argparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from myApp.sessions import services


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must be 1 or more")
    return number


class Command(BaseCommand):
    help = (
        "Close chat conversations that timed out (CHAT_SESSION_TIMEOUT_HOURS) and delete conversations (with "
        "their messages) whose last activity is older than the retention period."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Print what would be done; change nothing.")
        parser.add_argument(
            "--retention-days",
            type=positive_int,
            help="Delete conversations last active longer ago than this (default: the RETENTION_CHAT_DAYS setting).",
        )

    def handle(self, *args, dry_run: bool, retention_days: int | None, **options) -> None:
        if retention_days is not None and (not isinstance(retention_days, int) or retention_days < 1):
            # call_command skips the parser
            raise CommandError(f"--retention-days must be a whole number of 1 or more, got {retention_days!r}.")
        retention_days = retention_days or settings.RETENTION_CHAT_DAYS
        report = services.conversations_apply_retention(dry_run=dry_run, retention_days=retention_days)
        rules = (
            f"idle for more than {settings.CHAT_SESSION_TIMEOUT_HOURS} h; "
            f"last active more than {retention_days} day(s) ago"
        )
        if report.dry_run:
            self.stdout.write(
                f"Dry run ({rules}): would end {report.ended} idle conversation(s) and delete "
                f"{report.deleted_conversations} conversation(s) with {report.deleted_messages} message(s). "
                "Nothing was changed."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Ended {report.ended} idle conversation(s); deleted {report.deleted_conversations} "
                f"conversation(s) with {report.deleted_messages} message(s) ({rules})."
            )
        )
