"""What a JSON document must avoid to be stored as PostgreSQL ``jsonb`` (and read back unchanged).

Python's JSON parser accepts a few things ``jsonb`` refuses or cannot hold:
``\\u0000`` in a string, lone surrogates (not encodable as UTF-8), and numbers
too large for a float (``1e400`` parses as infinity). Client-sent documents
that are stored as given go through ``jsonb_errors`` first, so they answer 400
instead of failing in the database.
"""

import math
from typing import Any

from myApp.lib.json_input import NOT_FINITE, text_problem

MAX_ERRORS = 10


def jsonb_errors(value: Any, path: str) -> dict[str, list[str]]:
    """``{dotted.path: [message]}`` for the values under ``path`` that jsonb cannot store (at most 10)."""
    errors: dict[str, list[str]] = {}
    pending = [(path, value)]
    while pending and len(errors) < MAX_ERRORS:  # iterative: nesting depth costs no stack
        where, item = pending.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                problem = text_problem(key) if isinstance(key, str) else None
                if problem:
                    errors[f"{where}.{key!r}"] = [f"Key: {problem}"]
                else:
                    pending.append((f"{where}.{key}", child))
        elif isinstance(item, list):
            pending.extend((f"{where}.{index}", child) for index, child in enumerate(item))
        elif isinstance(item, str):
            problem = text_problem(item)
            if problem:
                errors[where] = [problem]
        elif isinstance(item, float) and not math.isfinite(item):
            errors[where] = [NOT_FINITE]
    return errors
