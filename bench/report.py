"""The benchmark's table."""

from rich.console import Console
from rich.table import Table


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _verdict(passed: bool | None) -> str:
    return "[dim]n/a[/dim]" if passed is None else ("[green]pass[/green]" if passed else "[red]fail[/red]")


def print_table(console: Console, rows, *, sizes, plan, seconds: float) -> None:
    table = Table(
        title=(
            f"bench: {sizes.users:,} users, {sizes.conversations:,} conversations, {sizes.messages:,} messages, "
            f"{sizes.blocks:,} blocks; medians of {plan.rounds} alternation(s), {plan.requests} requests a sample"
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
        table.add_row(row.id, row.measure, row.a, row.b, _ratio(row.ratio), row.target, _verdict(row.passed))
    console.print(table)
    for row in rows:
        if row.note:
            console.print(f"  {row.id} {row.note}")
    console.print(f"benchmark took {seconds:.0f} s")
