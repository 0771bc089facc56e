"""The measures P1-P8 of issue 9. Each compares two sides measured alternately in the same run
(A B A B ...) and quotes medians; HTTP sides are requests per second through gunicorn on loopback."""

import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test import Client

from bench import loadgen
from bench.dataset import Dataset, Person
from bench.probes import counting
from myApp.curriculum.models import KnowledgeBlock, Module
from myApp.curriculum.selectors import knowledge_block_search
from myApp.sessions.models import ModuleCompletion


@dataclass
class Row:
    id: str
    measure: str
    a: str
    b: str
    ratio: float | None
    target: str
    passed: bool | None
    note: str = ""


@dataclass
class Plan:
    rounds: int  # alternations: A B repeated this many times
    requests: int  # requests per HTTP sample of requests that differ (P5, P7)
    clients: int  # connections for the read measures (P1-P3)
    seconds: int = 2  # length of a read sample (P1-P3: wrk sends one request over and over)


def alternate(rounds: int, side_a: Callable[[], float], side_b: Callable[[], float]) -> tuple[float, float]:
    a, b = [], []
    for _ in range(rounds):
        a.append(side_a())
        b.append(side_b())
    return statistics.median(a), statistics.median(b)


def _rps(value: float) -> str:
    return f"{value:,.1f} req/s"


def _get(path: str, headers: dict[str, str]) -> loadgen.Request:
    return loadgen.Request("GET", path, headers)


def _reads(plan: Plan, port: int, request: loadgen.Request) -> Callable[[], float]:
    """One read sample: ``request`` sent for ``plan.seconds`` over ``plan.clients`` connections (wrk)."""
    return lambda: loadgen.fixed_throughput(port, request, seconds=plan.seconds, clients=plan.clients)


def _warm(port: int, request: loadgen.Request) -> None:
    loadgen.throughput(port, lambda client, i: request, requests=1, clients=1)


def _history_path(person: Person, base: str = "/api/session/history") -> str:
    return f"{base}?session_id={person.conversations[0].session_id}&limit=50"


def _client(person: Person) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {person.token}", HTTP_HOST="127.0.0.1")


# --- P1, P2: the history endpoint ---------------------------------------------------------------------


def p1(plan: Plan, data: Dataset, port: int) -> Row:
    project = _get(_history_path(data.reader), data.reader.auth)
    bare = _get(_history_path(data.reader, "/bench/bare/history"), data.reader.auth)
    _warm(port, project)  # fills the cache
    a, b = alternate(plan.rounds, _reads(plan, port, project), _reads(plan, port, bare))
    ratio = a / b
    return Row("P1", "history (limit 50): project ÷ bare Django view", _rps(a), _rps(b), ratio, "≥ 0.8", ratio >= 0.8)


def p2(plan: Plan, data: Dataset, port: int, port_no_cache: int) -> list[Row]:
    history = _get(_history_path(data.reader), data.reader.auth)
    _warm(port, history)
    a, b = alternate(plan.rounds, _reads(plan, port, history), _reads(plan, port_no_cache, history))
    ratio = a / b
    client = _client(data.reader)
    path = _history_path(data.reader)
    assert client.get(path).status_code == 200  # the cache is warm for the counted read
    with counting() as counts:
        assert client.get(path).status_code == 200
    ok = counts.sql <= 1 and counts.redis <= 1
    return [
        Row("P2", "history (limit 50): cache warm ÷ cache off", _rps(a), _rps(b), ratio, "≥ 2.0", ratio >= 2.0),
        Row(
            "P2",
            "one cached history read: SQL statements | Redis round trips",
            f"{counts.sql} SQL",
            f"{counts.redis} Redis",
            None,
            "≤ 1 SQL, ≤ 1 Redis",
            ok,
        ),
    ]


# --- P3: pages and lists with 100x the rows --------------------------------------------------------------


def p3_pages() -> list[tuple[str, str]]:
    module = Module.objects.order_by("level__number", "order").first()
    return [
        ("/", "cookie"),
        (f"/learn/modules/{module.pk}/", "cookie"),
        ("/chat/history/", "cookie"),
        ("/api/v1/messages/", "token"),
        ("/api/v1/conversations/", "token"),
        ("/api/v1/progress/", "token"),
        ("/report/", "cookie"),  # the learner report: every app's rows of one learner, charts included
        ("/api/v1/me/report/", "token"),
    ]


def _queries(person: Person, path: str, auth: str) -> int:
    client = Client(
        HTTP_HOST="127.0.0.1", **({"HTTP_AUTHORIZATION": f"Token {person.token}"} if auth == "token" else {})
    )
    if auth == "cookie":
        client.force_login(person.user)
    client.get(path)  # warm whatever a first visit fills
    with counting() as counts:
        status = client.get(path).status_code
    if status != 200:
        raise loadgen.BadAnswer(f"GET {path} answered {status} in process")
    return counts.sql


def p3(plan: Plan, data: Dataset, port: int, page_rows: int) -> list[Row]:
    rows = []
    for path, auth in p3_pages():
        big = _get(path, data.big.cookie if auth == "cookie" else data.big.auth)
        small = _get(path, data.small.cookie if auth == "cookie" else data.small.auth)
        a, b = alternate(plan.rounds, _reads(plan, port, big), _reads(plan, port, small))
        q_big, q_small = _queries(data.big, path, auth), _queries(data.small, path, auth)
        ratio = b / a  # time per request with 100x the rows ÷ time with 1x
        rows.append(
            Row(
                "P3",
                f"{path}: time with {page_rows:,} rows ÷ with {max(page_rows // 100, 1):,}",
                f"{_rps(a)} · {q_big} q",
                f"{_rps(b)} · {q_small} q",
                ratio,
                "≤ 1.3, same queries",
                ratio <= 1.3 and q_big == q_small,
            )
        )
    return rows


# --- P5: concurrent module completions ----------------------------------------------------------------


def p5(plan: Plan, data: Dataset, port: int) -> Row:
    clients = 8
    requests = max(plan.requests // 2, clients * 2)
    conversations = data.modules.conversations
    body = {"completion_data": {}}

    def completion(on: Callable[[int], int]) -> Callable[[int, int], loadgen.Request]:
        requests_by_client = {
            client: loadgen.json_request(
                "POST", f"/conversations/{on(client)}/modules/breathing_exercise/complete", body, data.modules.auth
            )
            for client in range(clients)
        }
        return lambda client, i: requests_by_client[client]

    one = completion(lambda client: conversations[0].pk)
    spread = completion(lambda client: conversations[client].pk)
    sent = 0
    before = ModuleCompletion.objects.filter(user=data.modules.user).count()

    def side(make) -> float:
        nonlocal sent
        sent += requests
        return loadgen.throughput(port, make, requests=requests, clients=clients)

    a, b = alternate(plan.rounds, lambda: side(one), lambda: side(spread))
    lost = sent - (ModuleCompletion.objects.filter(user=data.modules.user).count() - before)
    document_lost = _lost_in_documents(conversations)
    ratio = a / b
    return Row(
        "P5",
        "module completions, 8 clients: one conversation ÷ eight",
        _rps(a),
        _rps(b),
        ratio,
        "≥ 0.9, 0 lost",
        ratio >= 0.9 and lost == 0 and document_lost == 0,
        f"{sent} sent, {lost} completion rows lost, {document_lost} module_status entries missing",
    )


def _lost_in_documents(conversations) -> int:
    """Each conversation's metadata must record the breathing_exercise completion (a lost update would drop it)."""
    missing = 0
    for conversation in conversations:
        conversation.refresh_from_db()
        if not conversation.module_status.get("breathing_exercise", {}).get("completed_at"):
            missing += 1
    return missing


# --- P6: the bulk load ---------------------------------------------------------------------------------


def p6(data: Dataset, rounds: int, messages: int) -> Row:
    """``load``'s own message path (text made, COPY, constraints) ÷ one ``INSERT ... SELECT generate_series``
    of the same rows, both into the loaded conversations and rolled back (``myApp/sessions/load.py``)."""
    from myApp.sessions.load import generate_series_floor, message_load_seconds

    def vacuumed(side: Callable[[], float]) -> Callable[[], float]:
        def run() -> float:
            seconds = side()
            with connection.cursor() as cursor:  # the rolled-back rows are dead tuples: clear them
                cursor.execute("VACUUM ANALYZE messages")
            return seconds

        return run

    a, b = alternate(
        rounds,
        vacuumed(lambda: message_load_seconds(messages)),
        vacuumed(lambda: generate_series_floor(messages)),
    )
    ratio = a / b
    note = f"the data set's own load run took {data.load.seconds:.0f} s ({data.load.added_messages:,} messages added)"
    return Row(
        "P6",
        f"load of {messages:,} messages ÷ generate_series floor",
        f"{a:.3f} s" if a < 10 else f"{a:.1f} s",
        f"{b:.3f} s" if b < 10 else f"{b:.1f} s",
        ratio,
        "≤ 2.0",
        ratio <= 2.0,
        note,
    )


# --- P7: knowledge search and chat ---------------------------------------------------------------------


_WORD = re.compile(r"[^\W\d_]{4,}")
_STOP_WORDS = set(
    [
        "about",
        "also",
        "from",
        "have",
        "into",
        "more",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "what",
        "when",
        "where",
        "which",
        "will",
        "with",
        "your",
        "yours",
    ]
)


def common_words_question() -> str:
    """The worst case for search: a question made of the words most knowledge blocks contain."""
    documents: Counter[str] = Counter()
    for title, summary, body in KnowledgeBlock.objects.order_by("?").values_list("title", "summary", "body")[:2000]:
        words = set(_WORD.findall(f"{title} {summary} {body}".lower())) - _STOP_WORDS
        documents.update(words)
    words = [word for word, _ in documents.most_common(6)]
    return "How can I get better at " + ", ".join(words) + "?"


def p7(plan: Plan, data: Dataset, blocks: int, port_large: int, port_small: int) -> list[Row]:
    question = common_words_question()
    knowledge_block_search(question)

    def search_ms() -> float:
        began = time.perf_counter()
        knowledge_block_search(question)
        return (time.perf_counter() - began) * 1000

    timings = [search_ms() for _ in range(max(plan.rounds * 3, 3))]
    ms = statistics.median(timings)
    chatters = data.chatters
    chat = {
        client: loadgen.json_request("POST", "/api/chat", {"message": question}, person.auth)
        for client, person in enumerate(chatters)
    }
    requests = max(plan.requests // 10, len(chatters))
    a, b = alternate(
        plan.rounds,
        lambda: loadgen.throughput(port_large, lambda c, i: chat[c], requests=requests, clients=len(chatters)),
        lambda: loadgen.throughput(port_small, lambda c, i: chat[c], requests=requests, clients=len(chatters)),
    )
    ratio = a / b
    return [
        Row(
            "P7",
            f"knowledge search, {blocks:,} blocks, common words (ms ÷ 20 ms budget)",
            f"{ms:.1f} ms",
            "20 ms",
            ms / 20,
            "≤ 1.0",
            ms <= 20,
            f"question: {question}",
        ),
        Row(
            "P7",
            f"chat at {data.chat_blocks:,} blocks ÷ chat at 10 blocks",
            _rps(a),
            _rps(b),
            ratio,
            "≥ 0.8",
            ratio >= 0.8,
        ),
    ]


# --- P8: one chat turn --------------------------------------------------------------------------------


def p8(plan: Plan, data: Dataset) -> Row:
    client = _client(data.turn)
    payload = {"message": "How do I pause well when I speak?"}
    assert client.post("/api/chat", payload, content_type="application/json").status_code == 200
    samples = []
    for _ in range(max(plan.rounds, 2)):
        with counting() as counts:
            status = client.post("/api/chat", payload, content_type="application/json").status_code
        if status != 200:
            raise loadgen.BadAnswer(f"POST /api/chat answered {status} in process")
        samples.append((counts.sql, counts.redis, counts.history_writes))
    sql, redis, writes = (statistics.median(values) for values in zip(*samples, strict=True))
    ratio = max(sql / 10, redis / 3)
    return Row(
        "P8",
        "one chat turn: SQL statements | Redis round trips (÷ budget 10 | 3)",
        f"{sql:g} SQL",
        f"{redis:g} Redis",
        ratio,
        "≤ 1.0, history cached once",
        ratio <= 1.0 and writes <= 1,
        f"history cache written {writes:g}x per turn",
    )
