"""``python -m bench``: build the data set, start gunicorn, print every measure of issue 9 as a ratio.

See bench/README.md. PostgreSQL and Redis only (DATABASE_URL, REDIS_URL); not part of CI's pass/fail.
"""

import argparse
import contextlib
import json
import os
import sys
import time
from dataclasses import asdict

SMOKE = {
    "users": 200,
    "conversations": 200,
    "messages": 2000,
    "blocks": 300,
    "page_rows": 200,
    "chat_blocks": 100,
    "rounds": 1,
    "p6_rounds": 1,
    "requests": 24,
    "seconds": 1,
}
# load's other sizes at the smoke size (the full run takes load's own defaults)
SMOKE_LOAD = {
    "enrolments": 200,
    "progress": 200,
    "lesson_sessions": 200,
    "submissions": 400,
    "completions": 100,
    "clinicians": 2,
    "clients": 20,
    "clinical_sessions": 100,
    "sentences": 2000,
}
SMOKE_CLIENT_SENTENCES = 5  # C3's client keeps its 100 sessions, with 5 sentences each


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--blocks", type=int, default=10_000, help="knowledge blocks (P7 searches them all)")
    parser.add_argument("--page-rows", type=int, default=20_000, help="P3: the big learner's rows (the small: 1/100)")
    parser.add_argument("--chat-blocks", type=int, default=1_000, help="P7: chat at this many blocks vs 10")
    parser.add_argument("--rounds", type=int, default=5, help="alternations A B per measure (medians quoted)")
    parser.add_argument("--p6-rounds", type=int, default=2, help="alternations of P6 (each side inserts --messages)")
    parser.add_argument("--requests", type=int, default=400, help="requests per sample of differing requests (P5, P7)")
    parser.add_argument("--seconds", type=int, default=2, help="seconds per read sample (P1-P3, sent by wrk)")
    parser.add_argument("--clients", type=int, default=4, help="connections for the read measures")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server")
    parser.add_argument("--smoke", action="store_true", help="a tiny size that runs in under a minute")
    parser.add_argument("--rebuild", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--only", default="", help="comma-separated ids to run, e.g. P1,P2")
    parser.add_argument("--json", dest="json_path", default="", help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    if args.smoke:
        for name, value in SMOKE.items():
            setattr(args, name, value)
    args.only = {item.strip().upper() for item in args.only.split(",") if item.strip()}
    return args


def _recreate_database(url: str) -> None:
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    admin.close()


def _ensure_database(url: str) -> None:
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    try:
        psycopg2.connect(
            dbname=config["NAME"],
            user=config["USER"] or "postgres",
            password=config["PASSWORD"] or None,
            host=config["HOST"] or "127.0.0.1",
            port=config["PORT"] or 5432,
        ).close()
    except psycopg2.OperationalError as error:
        if "does not exist" not in str(error):
            raise
        _recreate_database(url)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")) or not os.environ.get("REDIS_URL"):
        print(
            "The benchmark needs PostgreSQL and Redis: set DATABASE_URL=postgres://... and REDIS_URL.", file=sys.stderr
        )
        return 2
    if args.rebuild:
        _recreate_database(url)
    else:
        _ensure_database(url)

    from bench.server import server_environment

    os.environ.update(server_environment())  # the in-process probes run the server's settings
    os.environ.pop("BENCH_SEARCH_PATH", None)
    import django

    django.setup()

    from rich.console import Console

    from bench import clinical, dashboard_probe, export_probe, measures
    from bench.dataset import LARGE_KB_SCHEMA, SMALL_KB_SCHEMA, Sizes, build
    from bench.report import print_table
    from bench.server import Gunicorn

    console = Console()
    if not console.is_terminal:
        console = Console(width=150)  # a log file keeps the table's rows on one line each
    began = time.perf_counter()
    sizes = Sizes(
        users=args.users,
        conversations=args.conversations,
        messages=args.messages,
        blocks=args.blocks,
        page_rows=args.page_rows,
        chat_blocks=args.chat_blocks,
        load_extra=SMOKE_LOAD if args.smoke else {},
        client_sentences=SMOKE_CLIENT_SENTENCES if args.smoke else 100,
    )

    def wanted(ident: str) -> bool:
        return not args.only or ident in args.only

    if args.only and args.only <= NO_DATA_SET:  # measures that need no data set, database rows nor server
        rows = [row for ident, step in no_data_steps(args) if wanted(ident) for row in step()]
        print_table(
            console, rows, sizes=sizes, plan=plan_of(args), seconds=time.perf_counter() - began, smoke=args.smoke
        )
        console.print("no data set was built or checked: " + ", ".join(sorted(args.only)) + " need none")
        _write_json(args.json_path, sizes, rows)
        return 0

    data = build(sizes, console)

    measured_from = time.perf_counter()
    plan = plan_of(args)
    rows: list[measures.Row] = []
    servers = contextlib.ExitStack()
    with servers, console.status("starting gunicorn") as status:
        main_server, no_cache, kb_large, kb_small = (
            Gunicorn(workers=args.workers, env=env, name=name)
            for name, env in (
                ("bench-main", {}),
                ("bench-nocache", {"CHAT_HISTORY_CACHE": "false"}),
                ("bench-kb-large", {"BENCH_SEARCH_PATH": LARGE_KB_SCHEMA}),
                ("bench-kb-small", {"BENCH_SEARCH_PATH": SMALL_KB_SCHEMA}),
            )
        )
        for server in (main_server, no_cache, kb_large, kb_small):
            servers.callback(server.stop)
            server.start()
        for server in (main_server, no_cache, kb_large, kb_small):
            server.wait()
        steps = [
            ("P1", lambda: [measures.p1(plan, data, main_server.port)]),
            ("P2", lambda: measures.p2(plan, data, main_server.port, no_cache.port)),
            ("P3", lambda: measures.p3(plan, data, main_server.port, sizes.page_rows)),
            ("P5", lambda: [measures.p5(plan, data, main_server.port)]),
            ("P6", lambda: [measures.p6(data, args.p6_rounds, sizes.messages)]),
            ("P7", lambda: measures.p7(plan, data, sizes.blocks, kb_large.port, kb_small.port)),
            ("P8", lambda: [measures.p8(plan, data)]),
            ("C1", lambda: clinical.c1(data.clinic_client, max(plan.rounds * 3, 3))),
            ("C2", lambda: clinical.c2(data.clinic_client, max(plan.rounds * 3, 3))),
            ("C3", lambda: [clinical.c3(data.clinic_client, max(plan.rounds * 3, 3))]),
            ("C4", lambda: [clinical.c4(plan.rounds)]),
            ("P9", lambda: [dashboard_probe.p9(plan.rounds * 3), *dashboard_probe.p9_page(plan.rounds * 3)]),
            ("P10", lambda: [export_probe.p10(main_server.port, plan.rounds)]),
            *no_data_steps(args),
        ]
        timings = []
        for ident, step in steps:
            if wanted(ident):
                status.update(f"measuring {ident}")
                step_began = time.perf_counter()
                rows.extend(step())
                timings.append(f"{ident} {time.perf_counter() - step_began:.0f} s")
    print_table(console, rows, sizes=sizes, plan=plan, seconds=time.perf_counter() - began, smoke=args.smoke)
    console.print(f"setup {measured_from - began:.0f} s; " + ", ".join(timings))
    _write_json(args.json_path, sizes, rows)
    return 0


# Measures that run in process on generated input: ``--only`` with these alone skips the data set and servers.
NO_DATA_SET = {"P11"}


def no_data_steps(args: argparse.Namespace) -> list:
    from bench import speech_probe

    return [("P11", lambda: [speech_probe.p11(args.rounds, 30.0 if args.smoke else 120.0)])]


def plan_of(args: argparse.Namespace):
    from bench.measures import Plan

    return Plan(rounds=args.rounds, requests=args.requests, clients=args.clients, seconds=args.seconds)


def _write_json(path: str, sizes, rows) -> None:
    if path:
        with open(path, "w") as out:
            json.dump({"sizes": asdict(sizes), "rows": [asdict(row) for row in rows]}, out, indent=2)


if __name__ == "__main__":
    sys.exit(main())
