"""The HTTP load generator: threads, each with one keep-alive ``http.client`` connection.

A sample sends ``requests`` requests spread over ``clients`` threads and returns requests per second
(wall time of the whole sample). Every answer must have the expected status, otherwise the sample
fails loudly: a benchmark that counts errors as fast answers measures nothing.
"""

import http.client
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    status: int = 200


def json_request(method: str, path: str, payload: object, headers: dict[str, str], status: int = 200) -> Request:
    return Request(method, path, {**headers, "Content-Type": "application/json"}, json.dumps(payload).encode(), status)


class BadAnswer(RuntimeError):
    pass


def _send(connection: http.client.HTTPConnection, request: Request) -> None:
    connection.request(request.method, request.path, body=request.body, headers=request.headers)
    response = connection.getresponse()
    body = response.read()
    if response.status != request.status:
        raise BadAnswer(f"{request.method} {request.path} answered {response.status}: {body[:300]!r}")


def throughput(port: int, make: Callable[[int, int], Request], *, requests: int, clients: int) -> float:
    """Requests per second for ``requests`` requests from ``clients`` threads; ``make(client, i)`` builds each."""
    per_client = [requests // clients + (1 if c < requests % clients else 0) for c in range(clients)]
    errors: list[BaseException] = []
    start = threading.Barrier(clients + 1)

    def run(client: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start.wait()  # every thread reaches the barrier, or the main thread would wait for ever
        try:
            for i in range(per_client[client]):
                _send(connection, make(client, i))
        except BaseException as error:  # reported below: the sample fails
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise errors[0]
    return requests / elapsed


def wait_until_up(port: int, *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz/live")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"gunicorn on port {port} did not answer /healthz/live in {timeout:.0f} s")
        time.sleep(0.2)
