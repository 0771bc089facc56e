"""Run callables on real threads, each with its own database connection.

``race`` starts them together and returns what each returned (or the ServiceError it raised, an expected
refusal); any other exception is re-raised in the test's thread, never turned into a result.

``hold_first_then_run`` forces one interleaving instead of hoping for it: the first call runs until it
reaches a ``Gate`` (holding whatever locks it has taken), then the second call starts, and the gate opens
only once PostgreSQL shows the second waiting on a lock the first holds (``pg_blocking_pids``), or the
second has run to its end without waiting. No step depends on how long anything takes; the waits below
only bound how long a broken test may hang before it fails.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

from myApp.lib.exceptions import ServiceError

# How long a broken test may hang before failing; a passing run never waits for it to run out.
HANG_LIMIT_SECONDS = 60


class Worker(threading.Thread):
    """One call on its own thread and connection. ``outcome()`` joins it and returns its result (a
    ServiceError counts as one) or re-raises whatever else it raised."""

    def __init__(self, call: Callable[[], object], *, start_together: threading.Barrier | None = None) -> None:
        super().__init__(daemon=True)
        self.call = call
        self.start_together = start_together
        self.backend_pid: int | None = None
        self.connected = threading.Event()
        self.result: object = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            connection.ensure_connection()
            if connection.vendor == "postgresql":
                self.backend_pid = connection.connection.info.backend_pid
            self.connected.set()
            if self.start_together is not None:
                self.start_together.wait()
            self.result = self.call()
        except ServiceError as refusal:
            self.result = refusal
        except BaseException as error:  # re-raised by outcome(), in the test's thread
            self.error = error
        finally:
            self.connected.set()
            connection.close()

    @property
    def finished(self) -> bool:
        return not self.is_alive()

    def outcome(self) -> object:
        self.join(HANG_LIMIT_SECONDS)
        if self.is_alive():
            raise AssertionError(f"a racing call did not finish within {HANG_LIMIT_SECONDS} s")
        if self.error is not None:
            raise self.error
        return self.result


def outcomes(workers: list[Worker]) -> list[object]:
    """Every worker's result, after all have finished; the first unexpected error is re-raised (with the
    others as notes) so a crash fails the test instead of reading as a missing result."""
    for worker in workers:
        worker.join(HANG_LIMIT_SECONDS)
    errors = [worker.error for worker in workers if worker.error is not None]
    if errors:
        first = errors[0]
        for other in errors[1:]:
            first.add_note(f"another racing call also raised {other!r}")
        raise first
    return [worker.outcome() for worker in workers]


def race(*calls: Callable[[], object]) -> list[object]:
    """Each result is the call's return value or the ServiceError it raised; other errors propagate."""
    together = threading.Barrier(len(calls))
    workers = [Worker(call, start_together=together) for call in calls]
    for worker in workers:
        worker.start()
    return outcomes(workers)


def wait_until(condition: Callable[[], object], what: str) -> object:
    """Poll ``condition`` until it is true; fail (never pass) if it is not within the hang limit."""
    deadline = time.monotonic() + HANG_LIMIT_SECONDS
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.005)
    raise AssertionError(f"gave up waiting for {what}")


class Gate:
    """A point in the code under test where the first thread to arrive stops until ``open()``; later
    arrivals pass straight through."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self._open = threading.Event()
        self._lock = threading.Lock()
        self._taken = False

    def __call__(self) -> None:
        with self._lock:
            first, self._taken = not self._taken, True
        if first:
            self.reached.set()
            if not self._open.wait(HANG_LIMIT_SECONDS):
                raise AssertionError("the gate was never opened")

    def open(self) -> None:
        self._open.set()


def lock_wait(waiter: Worker, holder: Worker) -> str | None:
    """The statement ``waiter`` is running while it waits on a lock held by ``holder``, else None."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT query FROM pg_stat_activity WHERE pid = %s AND wait_event_type = 'Lock' "
            "AND %s = ANY(pg_blocking_pids(pid))",
            [waiter.backend_pid, holder.backend_pid],
        )
        row = cursor.fetchone()
    return row[0] if row else None


@dataclass
class Interleaving:
    first: object
    second: object
    # The second call's statement while it waited on the first's lock; None when it never waited.
    second_waited_on: str | None


def hold_first_then_run(first: Callable[[], object], second: Callable[[], object], *, gate: Gate) -> Interleaving:
    """Run ``first`` until it reaches ``gate``, then ``second`` until it waits on a lock ``first`` holds (or
    ends); then let ``first`` go on and collect both outcomes (PostgreSQL only: it reads pg_stat_activity)."""
    held = Worker(first)
    held.start()
    waiter: Worker | None = None
    waited_on: str | None = None
    try:
        wait_until(lambda: gate.reached.is_set() or held.finished, "the first call to reach the gate")
        if held.finished:  # it crashed (or never reached the gate): say why
            held.outcome()
            raise AssertionError("the first call ended without reaching the gate")
        waiter = Worker(second)
        waiter.start()
        wait_until(waiter.connected.is_set, "the second call's connection")
        waited_on = wait_until(
            lambda: lock_wait(waiter, held) or (waiter.finished and "finished"),
            "the second call to wait on the first's lock or to finish",
        )
        if waited_on == "finished":
            waited_on = None
    finally:
        gate.open()
    first_result, second_result = outcomes([held, waiter])
    return Interleaving(first_result, second_result, waited_on)
