"""In-process counters: SQL statements (Django's CaptureQueriesContext), Redis round trips (every packed
send on a redis-py connection is one round trip; a pipeline is one) and history-cache rebuilds."""

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
    rebuilds: int = 0


@contextlib.contextmanager
def counting() -> Iterator[Counts]:
    counts = Counts()
    send, rebuild = AbstractConnection.send_packed_command, history_cache.rebuild

    def counted_send(self, command, check_health=True):
        counts.redis += 1
        return send(self, command, check_health)

    def counted_rebuild(*args, **kwargs):
        counts.rebuilds += 1
        return rebuild(*args, **kwargs)

    AbstractConnection.send_packed_command = counted_send
    history_cache.rebuild = counted_rebuild
    try:
        with CaptureQueriesContext(connection) as queries:
            yield counts
    finally:
        AbstractConnection.send_packed_command = send
        history_cache.rebuild = rebuild
    counts.sql = len(queries.captured_queries)
