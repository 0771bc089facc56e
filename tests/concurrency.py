"""Run callables at the same moment on real threads, each with its own database connection."""

import threading
from collections.abc import Callable

from django.db import connection

from myApp.lib.exceptions import ServiceError


def race(*calls: Callable[[], object]) -> list[object]:
    """Each result is the call's return value or the ServiceError it raised."""
    results: list[object] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except ServiceError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
