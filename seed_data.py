#!/usr/bin/env python
"""Seed dispatcher.

    python seed_data.py --list                       list the registered targets and their options
    python seed_data.py <target> [options] ...       run targets in the order given
    python seed_data.py load --users 1000 --help     a target's options follow its name

Targets register from each app's ``seeds.py`` (see ``myApp/lib/seeding.py``)
and are idempotent. An unknown target exits with status 2 and the list; a bad
option exits with status 2 and the target's usage.
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


def _split_by_target(argv: list[str], names: set[str]) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """``["--list"]`` / ``["load", "--users", "5", "demo"]`` → (leading words, [(target, its words)]).

    A word naming a target starts that target's words; a word before any target (other than an
    option) is kept in the leading words, so the caller can refuse it as an unknown target.
    """
    leading: list[str] = []
    groups: list[tuple[str, list[str]]] = []
    for word in argv:
        if word in names:
            groups.append((word, []))
        elif groups:
            groups[-1][1].append(word)
        else:
            leading.append(word)
    return leading, groups


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        description="Load seed data into the configured database. A target's options follow its name "
        "(seed_data.py load --help lists load's).",
    )
    parser.add_argument("targets", nargs="*", help="targets to run, in order, each followed by its options")
    parser.add_argument("--list", action="store_true", help="list the registered targets and exit")

    _boot_django()
    from rich.console import Console
    from rich.table import Table

    from myApp.lib.seeding import discover

    console = Console()
    targets = discover()
    leading, groups = _split_by_target(argv, set(targets))
    args = parser.parse_args(leading)

    def print_list() -> None:
        table = Table(title="Seed targets")
        table.add_column("target")
        table.add_column("what it loads")
        for name, target in targets.items():
            table.add_row(name, target.help)
        console.print(table)
        for name, target in targets.items():
            if target.arguments:
                console.print(f"{name} takes options: seed_data.py {name} --help")

    if args.list or not (args.targets or groups):
        print_list()
        return 0 if args.list else 2

    if args.targets:  # words before the first known target: none of them is a target
        console.print(f"[red]Unknown target(s): {', '.join(args.targets)}[/red]")
        print_list()
        return 2

    # A target without options followed by a plain word: that word was meant as a target.
    unknown_in_groups = [
        word for name, words in groups if not targets[name].arguments for word in words if not word.startswith("-")
    ]
    if unknown_in_groups:
        console.print(f"[red]Unknown target(s): {', '.join(unknown_in_groups)}[/red]")
        print_list()
        return 2

    try:
        runs = [(targets[name], targets[name].parse(words)) for name, words in groups]
    except SystemExit as exit_:  # argparse printed the target's usage and the error
        return int(exit_.code or 0)

    for target, options in runs:
        console.rule(f"seed: {target.name}")
        target.run(console, options)
    console.print("[green]Done.[/green]")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
