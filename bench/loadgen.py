"""The HTTP load generators. A sample sends requests over ``clients`` connections and returns requests
per second (wall time of the whole sample). Every answer must have the expected status, otherwise
the sample fails loudly: a benchmark that counts errors as fast answers measures nothing.

- ``fixed_throughput``: one request sent over and over for some seconds (the read measures), by wrk, a load
  generator written in C (Debian's ``wrk``, installed by ``bench/run`` and ``scripts/test``). The client
  shares the machine's CPUs with the servers. Measured on a cached history read (2 CPUs): the Python threads
  below spent 0.22 ms of CPU per request, wrk 0.08 ms, and the gunicorn workers 0.85-0.90 ms; the threads'
  share was counted on both sides of every ratio and pulled it towards 1.
- ``throughput``: ``requests`` requests that differ from one to the next (``make(client, i)``), from Python
  threads, each with one keep-alive ``http.client`` connection.
"""

import http.client
import json
import re
import shutil
import subprocess
import tempfile
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


# wrk's script: counts the answers whose status is not the expected one (its argument); ``done`` prints the
# totals (answers, microseconds, unexpected statuses, socket errors) and the first unexpected answer.
_WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) expected, bad, first_bad = tonumber(args[1]), 0, "" end
function response(status, headers, body)
  if status ~= expected then
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " " .. string.sub(body or "", 1, 300) end
  end
end
function done(summary, latency, requests)
  local bad, first = 0, ""
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("bad")
    if first == "" then first = thread:get("first_bad") end
  end
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d\n", summary.requests, summary.duration, bad,
    e.connect + e.read + e.write + e.timeout))
  io.write("BENCH_FIRST_BAD " .. first:gsub("%s", " ") .. "\n")
end
"""


def fixed_throughput(port: int, request: Request, *, seconds: int, clients: int) -> float:
    """Requests per second for ``request`` sent for ``seconds`` over ``clients`` connections, by wrk (one
    thread: an event loop keeps every connection busy)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed: bash bench/run installs it (Debian's package wrk)")
    if request.method != "GET" or request.body is not None:
        raise ValueError("fixed_throughput sends GET requests without a body")
    headers = [item for name, value in request.headers.items() for item in ("-H", f"{name}: {value}")]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(_WRK_SCRIPT)
        script.flush()
        command = [wrk, "-t1", f"-c{clients}", f"-d{seconds}s", "--timeout", "120s", "-s", script.name, *headers]
        command += [f"http://127.0.0.1:{port}{request.path}", "--", str(request.status)]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    totals = re.search(r"^BENCH (\d+) (\d+) (\d+) (\d+)$", output, re.MULTILINE)
    if totals is None:
        raise BadAnswer(f"wrk printed no totals: {output[-500:]!r}")
    answered, microseconds, bad, errors = map(int, totals.groups())
    if bad or errors or not answered:
        first = re.search(r"^BENCH_FIRST_BAD (.*)$", output, re.MULTILINE)
        raise BadAnswer(
            f"GET {request.path}: {bad} of {answered} answers not {request.status}, {errors} socket errors;"
            f" first: {first.group(1) if first else ''!r}"
        )
    return answered / (microseconds / 1_000_000)


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
