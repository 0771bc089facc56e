"""The benchmark's read load generator (wrk, ``bench.loadgen.fixed_throughput``) against a real HTTP server on
loopback: it counts answers, sends the request's headers, and fails the sample on any unexpected status."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import loadgen


class _Handler(BaseHTTPRequestHandler):
    seen_headers: list[str] = []

    def do_GET(self):
        _Handler.seen_headers.append(self.headers.get("Authorization", ""))
        status = 200 if self.path == "/ok" else 404
        body = b'{"ok": true}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Handler.seen_headers = []
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_it_measures_answers_per_second_and_sends_the_headers(server):
    request = loadgen.Request("GET", "/ok", {"Authorization": "Token abc"})
    rate = loadgen.fixed_throughput(server, request, seconds=1, clients=2)
    assert rate > 0
    # every request carried the header, and the rate is what the server answered in about a second
    assert set(_Handler.seen_headers) == {"Token abc"}
    assert 0.5 * len(_Handler.seen_headers) <= rate <= 1.5 * len(_Handler.seen_headers)


def test_an_unexpected_status_fails_the_sample_with_the_answer(server):
    with pytest.raises(loadgen.BadAnswer, match=r"GET /missing: (\d+) of \1 answers not 200.*404"):
        loadgen.fixed_throughput(server, loadgen.Request("GET", "/missing"), seconds=1, clients=2)


def test_the_expected_status_can_be_another_one(server):
    assert loadgen.fixed_throughput(server, loadgen.Request("GET", "/missing", status=404), seconds=1, clients=1) > 0


def test_it_refuses_requests_it_cannot_send():
    with pytest.raises(ValueError):
        loadgen.fixed_throughput(1, loadgen.Request("POST", "/x", body=b"{}"), seconds=1, clients=1)
