"""The benchmark's table."""

from rich.console import Console
from rich.table import Table


def _ratio(value: float | None) -> str:
    # Three decimals: a verdict is read off the exact value, and 1.996 must not print as a failing "2.00".
    return "-" if value is None else f"{value:.3f}"


def _verdict(passed: bool | None, *, smoke: bool) -> str:
    if smoke:
        return "[dim]n/a (smoke)[/dim]"  # a few samples of a tiny data set: it shows the suite works, not speed
    return "[dim]n/a[/dim]" if passed is None else ("[green]pass[/green]" if passed else "[red]fail[/red]")


def print_table(console: Console, rows, *, sizes, plan, seconds: float, smoke: bool = False) -> None:
    table = Table(
        title=(
            f"bench: {sizes.users:,} users, {sizes.conversations:,} conversations, {sizes.messages:,} messages, "
            f"{sizes.blocks:,} blocks; medians of {plan.rounds} alternation(s); a sample: {plan.seconds} s of reads"
            f" (wrk) or {plan.requests} requests"
        )
    )
    for name, justify in (
        ("id", "left"),
        ("measure", "left"),
        ("side A", "right"),
        ("side B", "right"),
        ("ratio", "right"),
        ("target", "left"),
        ("pass/fail", "left"),
    ):
        table.add_column(name, justify=justify, overflow="fold")
    for row in rows:
        table.add_row(
            row.id, row.measure, row.a, row.b, _ratio(row.ratio), row.target, _verdict(row.passed, smoke=smoke)
        )
    console.print(table)
    for row in rows:
        if row.note:
            console.print(f"  {row.id} {row.note}")
    console.print(f"benchmark took {seconds:.0f} s")
