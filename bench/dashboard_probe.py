"""Issue 12's row P9: the staff dashboard's figures (seed 004's ``GET /api/admin/dashboard``), uncached, at the
data set's size, against a 250 ms budget.

Measured in process: ``analytics.dashboard.dashboard_figures()`` (the function the endpoint calls on a cache
miss; it never reads the cache), median of ``runs`` calls after a warm call. In process rather than over HTTP
because what grows with the data is the eight aggregate queries; the request around them (token look-up, DRF,
JSON) costs the same at any size and P1 already measures it. The note gives the query count and the three slowest
queries of one call, so a regression says where it is.

``python -m bench.dashboard_probe [--runs 15]`` prints the row on its own against ``DATABASE_URL``.
"""

import datetime
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

BUDGET_MS = 250
QUERY_BUDGET = 8


def _label(sql: str) -> str:
    """The table a query reads first, enough to tell the dashboard's eight apart."""
    after = sql.split(" FROM ", 1)[-1].strip()
    return after.split()[0].strip('"') if after else sql[:30]


def _median_ms(call, runs: int) -> tuple[float, float]:
    call()  # warm: plans, connection
    timings = []
    for _ in range(max(runs, 1)):
        began = time.perf_counter()
        call()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings), max(timings)


def p9_page(runs: int):
    """The admin dashboard page's figures (``dashboard_range.range_figures``) for the default 7 days and for the
    longest range the form accepts (366 days, a reference row: the issue gives the page no budget, and a year holds
    nearly every loaded row)."""
    from bench.measures import Row
    from myApp.analytics import dashboard_range

    last = dashboard_range.default_range().last
    rows = []
    for days in (dashboard_range.default_range(), dashboard_range.DayRange(last - datetime.timedelta(days=365), last)):
        with CaptureQueriesContext(connection) as queries:
            dashboard_range.range_figures(days)
        ms, slowest = _median_ms(lambda days=days: dashboard_range.range_figures(days), runs)
        longest = len(days.days) > dashboard_range.DEFAULT_RANGE_DAYS  # the issue sets no budget for a year
        rows.append(
            Row(
                "P9",
                f"admin dashboard page's figures, {len(days.days)} days, in process",
                f"{ms:.1f} ms",
                f"{BUDGET_MS} ms",
                ms / BUDGET_MS,
                "reference (printed, no pass or fail)" if longest else f"≤ {BUDGET_MS} ms",
                None if longest else ms <= BUDGET_MS,
                f"{len(queries)} queries; median of {max(runs, 1)} calls (slowest {slowest:.1f} ms)",
            )
        )
    return rows


def p9(runs: int):
    """The row (a ``bench.measures.Row``; imported here, since that module needs Django set up)."""
    from bench import clinical  # noqa: F401 - first, as ``python -m bench`` does: measures and clinical import each other
    from bench.measures import Row
    from myApp.analytics.dashboard import dashboard_figures

    dashboard_figures()  # warm: plans, connection
    with CaptureQueriesContext(connection) as queries:
        figures = dashboard_figures()
    timings = []
    for _ in range(max(runs, 1)):
        began = time.perf_counter()
        dashboard_figures()
        timings.append((time.perf_counter() - began) * 1000)
    ms = statistics.median(timings)
    slowest = sorted(queries.captured_queries, key=lambda query: float(query["time"]), reverse=True)[:3]
    return Row(
        "P9",
        f"staff dashboard figures, uncached ({figures['total_users']:,} users, "
        f"{figures['total_messages']:,} messages), in process",
        f"{ms:.1f} ms",
        f"{BUDGET_MS} ms",
        ms / BUDGET_MS,
        f"≤ {BUDGET_MS} ms, ≤ {QUERY_BUDGET} queries",
        ms <= BUDGET_MS and len(queries) <= QUERY_BUDGET,
        f"{len(queries)} queries; median of {len(timings)} calls (slowest {max(timings):.1f} ms); slowest queries of"
        " one call: " + ", ".join(f"{_label(q['sql'])} {float(q['time']) * 1000:.0f} ms" for q in slowest),
    )


if __name__ == "__main__":
    import argparse
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "myProject.settings")
    import django

    django.setup()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    for row in [p9(runs), *p9_page(runs)]:
        print(f"{row.id} {row.measure}: {row.a} (budget {row.b}, ratio {row.ratio:.3f}) - {row.note}")
