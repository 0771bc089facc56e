"""Bulk inserts for the ``load`` seed target: PostgreSQL COPY streamed from a generator, or
multi-row INSERTs elsewhere (SQLite), in batches, with a rich progress bar per table.

Rows go through the tables' real constraints (no trigger or foreign key is disabled): the
generators in each app's ``load.py`` make rows that are valid by construction. Loaded rows are
recognisable (usernames start with ``LOAD_PREFIX``; other rows hang off those users, or say how
they are marked), so a second run can say what exists, and the load never touches real rows.
"""

import datetime
import itertools
import json
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from myApp.lib.seeding import SeedArgument

LOAD_PREFIX = "load_"
DEFAULT_SEED = 20_240_601
DEFAULT_BATCH_SIZE = 50_000
# Every load step reads these (declared identically by each, parsed once by the target).
COMMON_ARGUMENTS = (
    SeedArgument("--seed", type=int, default=DEFAULT_SEED, help="random seed: the same seed loads the same text"),
    SeedArgument("--add", action="store_true", help="add the sizes asked for even where loaded rows exist"),
    SeedArgument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="rows per COPY / INSERT batch"),
)
# A row written to PostgreSQL's COPY text format is one line, values split by tabs, NULL as \N.
_NULL = "\\N"
# SQLite's limit on bound parameters in one statement (SQLITE_MAX_VARIABLE_NUMBER's old default).
_SQLITE_MAX_PARAMS = 999


def size(minimum: int = 0) -> Callable[[str], int]:
    """An argparse type: a whole number of rows, at least ``minimum``."""

    def parse(text: str) -> int:
        import argparse

        try:
            value = int(text.replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return value

    return parse


def size_argument(flag: str, default: int, what: str) -> SeedArgument:
    return SeedArgument(flag, type=size(), default=default, metavar="N", help=what)


def _escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _copy_formatter(field: models.Field) -> Callable[[Any], str]:
    """How one column's Python value is written in COPY text format (None is handled by the caller)."""
    if isinstance(field, models.JSONField):
        return lambda value: _escape(json.dumps(value, separators=(",", ":")))
    if isinstance(field, models.BooleanField):
        return lambda value: "t" if value else "f"
    if isinstance(field, models.DateTimeField | models.DateField):
        return lambda value: value.isoformat()
    if isinstance(field, models.IntegerField | models.ForeignKey | models.AutoField | models.UUIDField):
        return str
    return lambda value: _escape(str(value))


@dataclass
class Table:
    """The columns a loader writes: ``columns`` vary per row (a row is a tuple in that order),
    ``constants`` are the same in every row."""

    model: type[models.Model]
    columns: Sequence[str]
    constants: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        meta = self.model._meta
        self.fields = [meta.get_field(name) for name in self.columns]
        self.constant_fields = [meta.get_field(name) for name in self.constants]
        missing = {
            field.attname
            for field in meta.concrete_fields
            if not field.primary_key or not isinstance(field, models.AutoField)
        } - {field.attname for field in (*self.fields, *self.constant_fields)}
        missing -= {field.attname for field in meta.concrete_fields if getattr(field, "generated", False)}
        if missing:  # a column left to a default the database does not have would fail anyway: say which
            raise ValueError(f"{meta.label}: no value for {', '.join(sorted(missing))}")

    @property
    def column_names(self) -> list[str]:
        return [field.column for field in (*self.fields, *self.constant_fields)]


def _copy_lines(table: Table, rows: Iterable[tuple]) -> Iterator[str]:
    formatters = [_copy_formatter(field) for field in table.fields]
    constant = "".join(
        "\t" + (_NULL if value is None else _copy_formatter(field)(value))
        for field, value in zip(table.constant_fields, table.constants.values(), strict=True)
    )
    for row in rows:
        yield (
            "\t".join(_NULL if value is None else fmt(value) for fmt, value in zip(formatters, row, strict=True))
            + constant
            + "\n"
        )


class _LineStream:
    """A file-like reader over text lines for ``copy_expert``: the next chunk is made while the
    server parses the last one, so generating rows and loading them overlap."""

    def __init__(self, lines: Iterator[str], on_lines: Callable[[int], None]) -> None:
        self._lines = lines
        self._on_lines = on_lines

    def read(self, size: int = -1) -> bytes:
        chunk: list[str] = []
        length = 0
        for line in self._lines:
            chunk.append(line)
            length += len(line)
            if 0 < size <= length:
                break
        self._on_lines(len(chunk))
        return "".join(chunk).encode()


def _copy_batch(table: Table, rows: Iterable[tuple], advance: Callable[[int], None]) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in table.column_names)
    sql = f"COPY {quote(table.model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(sql, _LineStream(_copy_lines(table, rows), advance), size=1 << 20)


def _insert_batch(table: Table, rows: Iterable[tuple], advance: Callable[[int], None]) -> None:
    """Multi-row INSERTs, values prepared by each field as the ORM would (dates, JSON, booleans)."""
    fields = [*table.fields, *table.constant_fields]
    constants = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(table.constant_fields, table.constants.values(), strict=True)
    ]
    per_statement = max(1, _SQLITE_MAX_PARAMS // len(fields))
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(table.model._meta.db_table)} ({', '.join(quote(n) for n in table.column_names)}) VALUES "
    )
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    rows = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(itertools.islice(rows, per_statement)):
            params: list[Any] = []
            for row in chunk:
                params.extend(
                    field.get_db_prep_save(value, connection) for field, value in zip(table.fields, row, strict=True)
                )
                params.extend(constants)
            cursor.execute(head + ", ".join([placeholder] * len(chunk)), params)
            advance(len(chunk))


def progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("  {task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def bulk_insert(
    table: Table,
    rows: Iterable[tuple],
    *,
    total: int,
    console: Console,
    label: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> float:
    """Insert ``total`` rows in batches (COPY on PostgreSQL); returns the seconds it took."""
    insert = _copy_batch if connection.vendor == "postgresql" else _insert_batch
    label = label or str(table.model._meta.verbose_name_plural)
    started = time.perf_counter()
    rows = iter(rows)
    with progress_bar(console) as progress:
        task = progress.add_task(label, total=total)

        def advance(count: int) -> None:
            progress.advance(task, count)

        # One COPY (or run of INSERTs) per batch; the batch's rows are made as the server takes them.
        while (first := next(rows, None)) is not None:
            insert(table, itertools.chain([first], itertools.islice(rows, batch_size - 1)), advance)
    seconds = time.perf_counter() - started
    console.print(f"  [green]{label}: {total:,} rows in {seconds:.2f} s[/green]")
    return seconds


def say_exists(console: Console, label: str, count: int) -> None:
    console.print(f"  [dim]{label}: {count:,} loaded rows exist; none added (--add adds more)[/dim]")


def spread(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split over ``len(weights)`` buckets in proportion to ``weights``, summing exactly to ``total``."""
    if not weights:
        return []
    whole = sum(weights) or 1.0
    counts = [int(total * weight / whole) for weight in weights]
    short = total - sum(counts)
    order = sorted(range(len(weights)), key=lambda index: -weights[index])
    for index in itertools.islice(itertools.cycle(order), short):
        counts[index] += 1
    return counts


def seeded_uuid(rng) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def days_ago(now: datetime.datetime, rng, *, most: float) -> datetime.datetime:
    return now - datetime.timedelta(seconds=rng.random() * most * 86_400)


def analyze(console: Console, *tables: type[models.Model]) -> None:
    """Refresh PostgreSQL's statistics for freshly loaded tables: until autovacuum gets to them, the planner
    would plan a benchmark's first queries for the empty tables they were."""
    if connection.vendor != "postgresql":
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    console.print(f"  [dim]statistics refreshed in {time.perf_counter() - started:.2f} s[/dim]")
