"""Settings for the benchmark's gunicorn and in-process probes: the project's own, plus bench-only routes.

Production never loads this module, so the bare baseline views exist only under the benchmark.
``BENCH_SEARCH_PATH`` puts a schema in front of ``public`` on every connection: the chat-at-N-blocks
measure (P7) points one server at a schema holding a smaller copy of the knowledge-block table.
"""

import os

from myProject.settings import *  # noqa: F403
from myProject.settings import DATABASES

ROOT_URLCONF = "bench.urls"

_search_path = os.environ.get("BENCH_SEARCH_PATH", "")
if _search_path:
    if not _search_path.replace("_", "").isalnum():
        raise ValueError(f"BENCH_SEARCH_PATH must be a plain schema name, got {_search_path!r}")
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c search_path={_search_path},public"
