"""Issue 11's rows: clinical search, the client summary and the transcript analysis, in process (no HTTP).

- C1 keyword containment (``keywords @> '{"term": [...]}'``) and C2 ranked full-text search (the stored
  ``search_vector``) over every loaded transcript sentence, each against a 50 ms budget, with EXPLAIN saying
  whether the GIN index (``idx_keywords``, ``idx_text_search``) was used. Each has two rows: the project's own
  selector for the bench client (``keyword_sentences``, ``search_transcripts``: one client's sentences, in a
  table holding all of them) and, as reference rows without pass or fail, the same predicate over the whole
  table (seed 003's unscoped query: the 50 newest matches, the best 50). Every search a page or endpoint runs is
  one client's (a clinician sees their own clients only); nothing searches across clients;
- C3 the client summary of the bench client (100 sessions), ``clinical_trends.client_summary`` as the API and the
  client page call it, against 100 ms;
- C4 ``analyse_session`` on a 500-sentence session (``bench/analysis_probe.py``'s session), warm median,
  against 5 s (the issue asks for "seconds"); the first run of the process is in the note.

Each search is measured for the worst case (the keyword most sentences hold, the three words most sentences
contain, as P7 chooses its question) and a typical one (the 20th most common keyword, the 20th and 21st words).
"""

import datetime
import statistics
import time
from collections import Counter

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rich.console import Console

from bench.measures import Row
from myApp.accounts.models import Role, User
from myApp.accounts.services import user_create
from myApp.curriculum.search import SEARCH_CONFIG, query_words
from myApp.sessions import transcript_search
from myApp.sessions.clinical.terms import keyword_document
from myApp.sessions.clinical_selectors import keyword_sentences
from myApp.sessions.clinical_trends import client_summary
from myApp.sessions.models import Client, ClientProfile, SessionSentence, TherapySession

BENCH_CLINICIAN = "bench_clinician"
BENCH_CLIENT = "bench_client_100"
CLIENT_SESSIONS = 100
SEARCH_BUDGET_MS = 50
SUMMARY_BUDGET_MS = 100
ANALYSIS_BUDGET_S = 5
PAGE = 50
TOP_TERMS = 20


# --- The data set's part: one client with 100 sessions ------------------------------------------------------------


def bench_client(sentences_per_session: int, console: Console) -> Client:
    """``bench_client_100`` of ``bench_clinician``: ``CLIENT_SESSIONS`` weekly analysed sessions of
    ``sentences_per_session`` sentences each, made with ``load``'s own rows (made once)."""
    from myApp.lib.bulk_load import Table, bulk_insert
    from myApp.sessions.clinical_load import SESSION_CONSTANTS, insert_sentences

    clinician = User.objects.filter(username=BENCH_CLINICIAN).first() or user_create(
        username=BENCH_CLINICIAN, password=None, role=Role.PSYCHOLOGIST
    )
    client = Client.objects.filter(clinician=clinician, display_name=BENCH_CLIENT).first()
    if client is not None:
        return client
    client = Client.objects.create(clinician=clinician, display_name=BENCH_CLIENT)
    ClientProfile.objects.create(client=client)
    now = timezone.now()
    quiet = Console(quiet=True)
    bulk_insert(
        Table(TherapySession, ("client", "date", "duration_minutes", "created_at", "updated_at"), SESSION_CONSTANTS),
        (
            (client.pk, now - datetime.timedelta(days=7 * (CLIENT_SESSIONS - n)), 50, now, now)
            for n in range(CLIENT_SESSIONS)
        ),
        total=CLIENT_SESSIONS,
        console=quiet,
    )
    sessions = list(TherapySession.objects.filter(client=client).order_by("pk").values_list("pk", flat=True))
    insert_sentences(
        [(pk, sentences_per_session) for pk in sessions], seed=11, console=quiet, batch_size=50_000, pool_size=1_000
    )
    return client


# --- Helpers ------------------------------------------------------------------------------------------------------


def _ms(call) -> float:
    began = time.perf_counter()
    call()
    return (time.perf_counter() - began) * 1000


def _median_ms(call, runs: int) -> float:
    call()  # warm: plans, caches
    return statistics.median(_ms(call) for _ in range(runs))


def _uses(queryset, index: str) -> bool:
    return index in queryset.explain()


TYPICAL_RANK = 20  # a typical term or word: the 20th most common (the worst case is the first)


def ranked_terms(sample: int = 20_000) -> list[str]:
    """Keywords by how many sentences hold them (in a sample of the table), most common first."""
    counts: Counter[str] = Counter()
    for document in SessionSentence.objects.order_by("?").values_list("keywords", flat=True)[:sample]:
        counts.update((document or {}).get("term", []))
    return [term for term, _ in counts.most_common()]


def ranked_words(sample: int = 20_000) -> list[str]:
    """Search words (after the search's own stop words) by how many sentences contain them, most common first."""
    counts: Counter[str] = Counter()
    for text in SessionSentence.objects.order_by("?").values_list("text", flat=True)[:sample]:
        counts.update(set(query_words(text)))
    return [word for word, _ in counts.most_common()]


REFERENCE = "reference: no interface searches across clients"


def _row(
    ident: str, measure: str, ms: float, budget: float, index_used: bool | None, note: str, *, reference: bool = False
) -> Row:
    """A timed row against ``budget``; a ``reference`` row (seed 003's predicate over every client's sentences,
    which no page or endpoint runs) is printed without pass or fail."""
    used = "" if index_used is None else f"; index used: {'yes' if index_used else 'NO'}"
    if reference:
        return Row(ident, measure, f"{ms:.1f} ms", f"{budget:g} ms", ms / budget, REFERENCE, None, note + used)
    target = f"≤ {budget:g} ms" + (", GIN used" if index_used is not None else "")
    passed = ms <= budget and index_used is not False
    return Row(ident, measure, f"{ms:.1f} ms", f"{budget:g} ms", ms / budget, target, passed, note + used)


# --- C1, C2: search ------------------------------------------------------------------------------------------------


def _keyword_rows(client: Client, term: str, kind: str, runs: int, *, scoped_too: bool) -> list[Row]:
    total = SessionSentence.objects.count()
    document = keyword_document(term)
    everywhere = (
        SessionSentence.objects.filter(keywords__contains=document)
        .select_related("session")
        .order_by("-session_id", "sequence_number")[:PAGE]
    )
    matches = SessionSentence.objects.filter(keywords__contains=document).count()
    note = f"{kind} term {term!r} ({matches:,} sentences hold it)"
    rows = []
    if scoped_too:
        scoped = keyword_sentences(client=client, term=term)[:PAGE]
        rows.append(
            _row(
                "C1",
                f"keyword containment, {kind} term, {client.display_name}'s sentences ({total:,} in the table)",
                _median_ms(lambda: list(scoped.all()), runs),
                SEARCH_BUDGET_MS,
                _uses(scoped, "idx_keywords"),
                note,
            )
        )
    rows.append(
        _row(
            "C1",
            f"keyword containment, {kind} term, over all {total:,} sentences, {PAGE} of the newest sessions",
            _median_ms(lambda: list(everywhere.all()), runs),
            SEARCH_BUDGET_MS,
            _uses(everywhere, "idx_keywords"),
            note,
            reference=True,
        )
    )
    return rows


def c1(client: Client, runs: int) -> list[Row]:
    terms = ranked_terms()
    typical = terms[min(TYPICAL_RANK, len(terms) - 1)]
    rare = terms[len(terms) // 2]  # the median keyword: half of all keywords are rarer
    every = SessionSentence.objects.filter(keywords__contains=keyword_document(rare)).values_list("id", flat=True)
    return [
        *_keyword_rows(client, terms[0], "worst-case", runs, scoped_too=True),
        *_keyword_rows(client, typical, "typical", runs, scoped_too=True),
        _row(
            "C1",
            f"keyword containment, median term, over all {SessionSentence.objects.count():,} sentences, every match",
            _median_ms(lambda: list(every.all()), runs),
            SEARCH_BUDGET_MS,
            _uses(every, "idx_keywords"),
            f"median term {rare!r} ({every.count():,} sentences hold it; seed 003's unordered containment)",
            reference=True,
        ),
    ]


def _text_rows(client: Client, words: list[str], kind: str, runs: int) -> list[Row]:
    question = " ".join(words)
    total = SessionSentence.objects.count()
    scoped = transcript_search.ranked_postgresql(client=client, words=words)[:PAGE]
    query = SearchQuery(" | ".join(words), search_type="raw", config=SEARCH_CONFIG)
    everywhere = (
        SessionSentence.objects.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-session_id", "sequence_number")[:PAGE]
    )
    matches = SessionSentence.objects.filter(search_vector=query).count()
    note = f"{kind} question {question!r} ({matches:,} sentences match a word)"
    return [
        _row(
            "C2",
            f"ranked full-text search with snippets, {kind} words, {client.display_name}'s sentences "
            f"({total:,} in the table)",
            _median_ms(lambda: transcript_search.search_transcripts(client=client, text=question), runs),
            SEARCH_BUDGET_MS,
            _uses(scoped, "idx_text_search"),
            note,
        ),
        _row(
            "C2",
            f"ranked full-text search, {kind} words, over all {total:,} sentences, best {PAGE}",
            _median_ms(lambda: list(everywhere.all()), runs),
            SEARCH_BUDGET_MS,
            _uses(everywhere, "idx_text_search"),
            note,
            reference=True,
        ),
    ]


def c2(client: Client, runs: int) -> list[Row]:
    words = ranked_words()
    typical = words[TYPICAL_RANK : TYPICAL_RANK + 2] or words[-2:]
    return [*_text_rows(client, words[:3], "worst-case", runs), *_text_rows(client, typical, "typical", runs)]


# --- C3: the client summary -----------------------------------------------------------------------------------------


def c3(client: Client, runs: int) -> Row:
    with CaptureQueriesContext(connection) as queries:
        summary = client_summary(client)
    ms = _median_ms(lambda: client_summary(client), runs)
    stats = summary["session_stats"]
    return _row(
        "C3",
        f"client summary, {stats['total_sessions']} sessions, {summary['sentiment']['count']:,} analysed sentences",
        ms,
        SUMMARY_BUDGET_MS,
        None,
        f"clinical_trends.client_summary: {len(queries)} queries (session statistics, keyword frequency,"
        " sentiment and emotions, approved insights)",
    )


# --- C4: analysis of a 500-sentence session --------------------------------------------------------------------


def c4(runs: int, sentences: int = 500) -> Row:
    from bench.analysis_probe import session
    from myApp.sessions.assistant.triage import classify
    from myApp.sessions.clinical.analysis import analyse_session

    rows = session(sentences)
    began = time.perf_counter()
    result = analyse_session(rows)
    first = time.perf_counter() - began
    timings = []
    for _ in range(max(runs, 1)):
        classify.cache_clear()  # the safety rules' memo would answer repeated runs for free
        began = time.perf_counter()
        analyse_session(rows)
        timings.append(time.perf_counter() - began)
    seconds = statistics.median(timings)
    return Row(
        "C4",
        f"analyse_session, {len(rows)} sentences (keywords, sentiment, emotions, insights), warm median",
        f"{seconds:.2f} s",
        f"{ANALYSIS_BUDGET_S} s",
        seconds / ANALYSIS_BUDGET_S,
        f"≤ {ANALYSIS_BUDGET_S} s",
        seconds <= ANALYSIS_BUDGET_S,
        f"first run in the process {first:.2f} s (builds YAKE, VADER, the lexicon); {len(result.insights)} insights",
    )
