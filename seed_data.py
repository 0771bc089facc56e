#!/usr/bin/env python
"""Seed dispatcher.

    python seed_data.py --list        list the registered targets
    python seed_data.py <target> ...  run targets in the order given

Targets register from each app's ``seeds.py`` (see ``myApp/lib/seeding.py``)
and are idempotent. An unknown target exits with status 2 and the list.
"""

import argparse
import os
import sys


def _boot_django() -> None:
    from django.conf import settings

    if not settings.configured:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "myProject.settings")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load seed data into the configured database.")
    parser.add_argument("targets", nargs="*", help="targets to run, in order")
    parser.add_argument("--list", action="store_true", help="list the registered targets and exit")
    args = parser.parse_args(argv)

    _boot_django()
    from rich.console import Console
    from rich.table import Table

    from myApp.lib.seeding import discover

    console = Console()
    targets = discover()

    def print_list() -> None:
        table = Table(title="Seed targets")
        table.add_column("target")
        table.add_column("what it loads")
        for name, target in targets.items():
            table.add_row(name, target.help)
        console.print(table)

    if args.list or not args.targets:
        print_list()
        return 0 if args.list else 2

    unknown = [name for name in args.targets if name not in targets]
    if unknown:
        console.print(f"[red]Unknown target(s): {', '.join(unknown)}[/red]")
        print_list()
        return 2

    for name in args.targets:
        console.rule(f"seed: {name}")
        targets[name].run(console)
    console.print("[green]Done.[/green]")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
