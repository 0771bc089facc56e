"""Counting real round trips to the suite's Redis (no mock: every command still reaches Redis)."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from redis.connection import AbstractConnection

needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL); this run uses local memory")


@dataclass
class RoundTrips:
    """The packets this process wrote to Redis: one per command, one per pipeline (a round trip each)."""

    commands: list[list[str]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.commands)


def _names(packed) -> list[str]:
    """The command names in a packed request (RESP arrays), for a readable failure message."""
    chunks = packed if isinstance(packed, list | tuple) else [packed]
    data = b"".join(chunk if isinstance(chunk, bytes) else bytes(chunk) for chunk in chunks)
    names, lines = [], data.split(b"\r\n")
    for index, line in enumerate(lines):
        if line.startswith(b"*") and index + 2 < len(lines):
            names.append(lines[index + 2].decode(errors="replace").upper())
    return names


@contextmanager
def counting_round_trips(monkeypatch: pytest.MonkeyPatch) -> Iterator[RoundTrips]:
    trips = RoundTrips()
    send = AbstractConnection.send_packed_command

    def counting_send(self, command, *args, **kwargs):
        trips.commands.append(_names(command))
        return send(self, command, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(AbstractConnection, "send_packed_command", counting_send)
        yield trips
