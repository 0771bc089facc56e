"""Read replicas with read-your-writes (``DATABASE_REPLICA_URLS``; settings add the router and middleware
only when a replica is configured, so without one nothing here runs).

A request may read from one replica (chosen per request, kept for all its reads) only while all of these hold:

- it is a safe request (GET, HEAD, OPTIONS): a POST's services read what they are about to change, and a
  replica's answer could be behind the primary's;
- it carries no pin cookie: a request that wrote sets one for ``DATABASE_REPLICA_PIN_SECONDS``, so the page
  a form redirects to (and a login's next page) reads what the form wrote;
- it has not written yet: the first write (every ORM write asks ``db_for_write``) keeps the rest of the
  request on the primary, so a selector reading back a row the request created finds it;
- the primary has no transaction open (``atomic``): a transaction reads its own writes and its locks;
- the model is not one that is read right after another request wrote it (sessions, API tokens, login
  lockouts, the task queue), nor one that decides who may see what (``accounts``: users, their roles,
  consent and relationships; ``auth``: permissions): a revoked consent, a deactivated account or a
  changed password takes effect on the next request, however far a replica lags.

``primary_reads()`` keeps a block on the primary without counting as a write: a read whose result is
stored for other requests (the chat history cache) must be the primary's.

A replica that does not answer a request's first read from it is skipped: this process reads from another
replica or the primary for ``REPLICA_RETRY_SECONDS`` and logs one warning, so a replica outage costs load on
the primary, not errors.

Outside a request (management commands, task workers, the shell) every read goes to the primary unless the
code asks for a replica with ``replica_reads()``. ``select_for_update()`` and ``get_or_create()`` are writes to
Django, so they always run on the primary. Migrations run on the primary only: a replica copies its schema.
"""

import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PIN_COOKIE = "db_primary"
# Read by the next request right after one wrote them, whoever the client is: never from a replica.
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes", "django_tasks_database", "knox", "accounts", "auth"})
REPLICA_RETRY_SECONDS = 10

logger = logging.getLogger("myApp.db")
# Per process: when each replica that failed to connect may be tried again.
_unreachable_until: dict[str, float] = {}


@dataclass
class ReadState:
    """Where the current request (or ``replica_reads()`` block) may read; mutable, so a write made in a copied
    context (asgiref's thread hop) still pins the request."""

    replica: str | None
    wrote: bool = False
    checked: bool = False  # the replica answered this request's first read from it


_state: ContextVar[ReadState | None] = ContextVar("db_read_state", default=None)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias != DEFAULT_DB_ALIAS]


def replica_reachable(alias: str) -> bool:
    """Whether the replica answers: its connection opened, or health-checked as Django would before this
    request's first query on it anyway (``CONN_HEALTH_CHECKS``), so the check costs no extra round trip."""
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError:
        return False
    return True


def _pick_replica(exclude: tuple[str, ...] = ()) -> str | None:
    now = time.monotonic()
    candidates = [
        alias for alias in replica_aliases() if alias not in exclude and _unreachable_until.get(alias, 0) <= now
    ]
    return random.choice(candidates) if candidates else None


def _answering_replica(state: ReadState) -> str | None:
    """The request's replica once it has answered; on its first read, another one (or none) if it does not."""
    tried: tuple[str, ...] = ()
    while state.replica is not None and not state.checked:
        if replica_reachable(state.replica):
            state.checked = True
            break
        _unreachable_until[state.replica] = time.monotonic() + REPLICA_RETRY_SECONDS
        logger.warning(
            "Database replica %s does not answer; reads skip it for %d s.",
            state.replica,
            REPLICA_RETRY_SECONDS,
        )
        tried += (state.replica,)
        state.replica = _pick_replica(exclude=tried)
    return state.replica


@contextmanager
def replica_reads(*, replica: str | None = None) -> Iterator[ReadState]:
    """Let the reads in this block (a report, an export, a benchmark) go to a replica, with the same
    read-your-writes rules as a request."""
    outer = _state.get()
    inner = ReadState(replica=replica or _pick_replica())
    token = _state.set(inner)
    try:
        yield inner
    finally:
        _state.reset(token)
        if outer is not None:  # a write in the block still pins the request around it
            outer.wrote = outer.wrote or inner.wrote


@contextmanager
def primary_reads() -> Iterator[None]:
    """Read from the primary in this block; a write in it still pins the rest of the request."""
    outer = _state.get()
    if outer is None:
        yield
        return
    inner = ReadState(replica=None)
    token = _state.set(inner)
    try:
        yield
    finally:
        _state.reset(token)
        outer.wrote = outer.wrote or inner.wrote


def current() -> ReadState | None:
    return _state.get()


def mark_written() -> None:
    """Keep the rest of the request on the primary (for a write made with raw SQL, outside the ORM)."""
    state = _state.get()
    if state is not None:
        state.wrote = True


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _state.get()
        if state is None or state.replica is None or state.wrote:
            return DEFAULT_DB_ALIAS
        meta = model._meta
        if meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return _answering_replica(state) or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        mark_written()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replicas hold the primary's rows: a row read from one may point at a row read from another.
        same_data = {DEFAULT_DB_ALIAS, *replica_aliases()}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Decides per request whether its reads may use a replica, and pins the client to the primary for a
    while after a request that wrote (a cookie, so it costs no lookup)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        may_use_replica = request.method in SAFE_METHODS and PIN_COOKIE not in request.COOKIES
        state = ReadState(replica=_pick_replica() if may_use_replica else None)
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        pin_seconds = settings.DATABASE_REPLICA_PIN_SECONDS
        if state.wrote and pin_seconds:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=pin_seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
