"""Data rights: one registry saying, for every model that holds a person's data, how it is exported and erased.

Each model with a path to the user (a foreign key, a one-to-one, or a chain of them; and the few contrib models
that name the user without a key: sessions, axes' login logs) has one ``Rule``:

- ``export``: which of its rows are the user's (``paths``: lookups that end at the user) and which columns leave
  the server (``omit`` names secrets: token digests, session keys). An empty ``paths`` with a ``why`` says the
  rows are deliberately not in the user's export (another person's records); ``rows`` replaces the query for
  the models without a key.
- ``erase``: a list of ``Erase`` steps, one per path to the user: ``DELETE`` personal rows, ``SET_NULL`` a link
  another person's row or an aggregate needs (the row stays, unlinked), ``ANONYMISE`` columns in place, ``KEEP``
  the row attached to the anonymised account (another person's records, aggregates), or ``CUSTOM`` code.

The declarations live in ``myApp.accounts.services.data_rights_rules``; the export and the erasure services
(``myApp.accounts.services.data_rights``) only walk this registry, and ``tests/test_data_rights_coverage.py``
fails when a model with a path to the user has no rule, so a new model cannot silently escape either right.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model, Q, QuerySet

DELETE = "delete"
SET_NULL = "set_null"
ANONYMISE = "anonymise"
KEEP = "keep"
CUSTOM = "custom"
ERASE_ACTIONS = (DELETE, SET_NULL, ANONYMISE, KEEP, CUSTOM)

# Rows fetched per round trip while streaming an export: big enough for few round trips, small enough that a
# heavy user's 10k messages never sit in memory at once.
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Export:
    """Which rows are the user's and which columns leave the server."""

    paths: tuple[str, ...]
    omit: tuple[str, ...] = ()
    why: str = ""
    # For models that name the user without a key (sessions, axes): the rows themselves, already filtered.
    rows: Callable[[Any], Iterable[dict]] | None = None


@dataclass(frozen=True)
class Erase:
    """One step of erasing: what happens to the rows reached through ``path`` (a lookup ending at the user)."""

    path: str
    action: str
    why: str = ""
    # ANONYMISE: the new column values for these rows (a callable receives the user, for pseudonyms).
    values: dict[str, Any] | Callable[[Any], dict[str, Any]] | None = None
    # CUSTOM: does the work itself and returns how many rows it changed.
    run: Callable[[Any], int] | None = None

    def __post_init__(self) -> None:
        if self.action not in ERASE_ACTIONS:
            raise ValueError(f"Unknown erase action {self.action!r}.")
        if self.action in (KEEP, CUSTOM) and not self.why:
            raise ValueError(f"{self.path}: say why rows are kept or handled by hand.")


@dataclass(frozen=True)
class Rule:
    model: str  # "app_label.ModelName"
    export: Export
    erase: tuple[Erase, ...] = field(default_factory=tuple)

    @property
    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    @property
    def key(self) -> str:
        return self.model


_RULES: dict[str, Rule] = {}


def register(model: str, *, export: Export, erase: Iterable[Erase]) -> Rule:
    """Declare one model's rule (idempotent per model: a re-import replaces it)."""
    rule = Rule(model=model, export=export, erase=tuple(erase))
    _RULES[model] = rule
    return rule


def rules() -> list[Rule]:
    """Every rule, in declaration order (the erasure walks them in this order: children before parents)."""
    _load()
    return list(_RULES.values())


def rule_for(model: str) -> Rule | None:
    _load()
    return _RULES.get(model)


def _load() -> None:
    # The declarations import models, so they load on first use rather than at import time of this module.
    from myApp.accounts.services import data_rights_rules  # noqa: F401


def owned_q(paths: Iterable[str], user) -> Q:
    """Rows whose any of ``paths`` is ``user``."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{path: user_value(path, user)})
    return condition


def user_value(path: str, user) -> Any:
    """What a lookup compares with: the user, or their id for the user model's own ``pk``."""
    return user.pk if path == "pk" else user


def export_columns(model: type[Model], omit: Iterable[str]) -> list[str]:
    """The concrete columns of ``model`` an export shows: foreign keys as their ids, secrets left out."""
    left_out = set(omit)
    return [f.attname for f in model._meta.concrete_fields if f.name not in left_out and f.attname not in left_out]


def export_rows(rule: Rule, user) -> Iterator[dict]:
    """The user's rows of one rule, fetched in chunks (one query per model, whatever the number of rows)."""
    if rule.export.rows is not None:
        yield from rule.export.rows(user)
        return
    if not rule.export.paths:
        return
    model = rule.model_class
    queryset: QuerySet = model._default_manager.filter(owned_q(rule.export.paths, user)).order_by("pk")
    yield from queryset.values(*export_columns(model, rule.export.omit)).iterator(chunk_size=CHUNK_SIZE)
