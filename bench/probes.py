"""In-process counters: SQL statements (Django's CaptureQueriesContext), Redis round trips (every packed
send on a redis-py connection is one round trip; a pipeline is one) and history-cache writes (calls of
``history_cache.store`` where the module has one, else of ``rebuild``, which is then the only writer)."""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext
from redis.connection import AbstractConnection

from myApp.sessions import history_cache


@dataclass
class Counts:
    sql: int = 0
    redis: int = 0
    history_writes: int = 0


@contextlib.contextmanager
def counting() -> Iterator[Counts]:
    counts = Counts()
    writer = "store" if hasattr(history_cache, "store") else "rebuild"
    send, write = AbstractConnection.send_packed_command, getattr(history_cache, writer)

    def counted_send(self, command, check_health=True):
        counts.redis += 1
        return send(self, command, check_health)

    def counted_write(*args, **kwargs):
        counts.history_writes += 1
        return write(*args, **kwargs)

    AbstractConnection.send_packed_command = counted_send
    setattr(history_cache, writer, counted_write)
    try:
        with CaptureQueriesContext(connection) as queries:
            yield counts
    finally:
        AbstractConnection.send_packed_command = send
        setattr(history_cache, writer, write)
    counts.sql = len(queries.captured_queries)
