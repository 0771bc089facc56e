"""JSON from clients, parsed with bounds: nesting depth and NUL characters.

Python's decoder recurses once per nesting level, so a 20 KB body of brackets
raises ``RecursionError`` (a 500), and values nested a few hundred levels deep
reach fields that were never meant to see them. PostgreSQL refuses NUL in text
and ``\\u0000`` in jsonb, so such a value would fail at the database instead of
at the door. Every JSON body (the API's parsers, multipart fields that carry
JSON, page forms with JSON, the admin's JSON fields) goes through ``loads``.
"""

import json
import math
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

MAX_DEPTH = 32
NUL = "Text must not contain NUL (\\u0000) characters."
SURROGATE = "Text must be valid Unicode (no lone surrogates)."
NOT_FINITE = "Numbers must be finite."
_SURROGATES = re.compile("[\ud800-\udfff]")


class JSONInputError(ValueError):
    """Valid JSON that this server does not accept; the message names the limit, ``path`` the value
    (dotted keys and list indexes, e.g. ``completion_data.extra.1``; empty for the whole body)."""

    def __init__(self, message: str, path: str = ""):
        super().__init__(message)
        self.message = message
        self.path = path


def text_problem(text: str) -> str | None:
    """Why PostgreSQL could not store ``text`` (NUL, or a lone surrogate that is not UTF-8), else None."""
    if "\x00" in text:
        return NUL
    if _SURROGATES.search(text):
        return SURROGATE
    return None


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def check(value: Any, *, max_depth: int = MAX_DEPTH) -> Any:
    """Refuse containers nested deeper than ``max_depth`` (the error names the top-level field), text (keys
    too) PostgreSQL cannot store, and numbers too large to be finite (``1e400``)."""
    stack = [(value, 0, "")]
    while stack:
        node, depth, path = stack.pop()
        if isinstance(node, str):
            problem = text_problem(node)
            if problem:
                raise JSONInputError(problem, path)
            continue
        if isinstance(node, float) and not math.isfinite(node):
            raise JSONInputError(NOT_FINITE, path)
        if not isinstance(node, dict | list):
            continue
        if depth >= max_depth:
            raise JSONInputError(f"JSON is nested too deeply (at most {max_depth} levels).", path.split(".")[0])
        if isinstance(node, dict):
            for key, item in node.items():
                problem = text_problem(key)
                if problem:
                    raise JSONInputError(f"Key: {problem}", _join(path, repr(key)))
                stack.append((item, depth + 1, _join(path, key)))
        else:
            stack.extend((item, depth + 1, _join(path, index)) for index, item in enumerate(node))
    return value


def _refuse_constant(name: str) -> None:
    raise JSONInputError(f"{name} is not a JSON number.")


def loads(text: str | bytes | bytearray, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that raises ``ValueError`` (``json.JSONDecodeError`` or ``JSONInputError``) for
    anything it will not accept, never ``RecursionError``. ``NaN`` and ``Infinity`` are refused, as
    in strict JSON."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise JSONInputError(f"JSON is nested too deeply (at most {max_depth} levels).") from None
    return check(value, max_depth=max_depth)


def encoded_size(value: Any) -> int:
    """Bytes of ``value`` as compact JSON: what a stored document costs."""
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


@deconstructible
class JSONDocumentValidator:
    """For model JSON fields that keep a document as a client or staff sent it: a size bound, and
    optionally the top-level type. Runs in ModelSerializers, model forms (the admin) and ``full_clean``."""

    def __init__(self, *, max_bytes: int, kind: type | None = None):
        self.max_bytes = max_bytes
        self.kind = kind

    def __call__(self, value: Any) -> None:
        if self.kind is not None and not isinstance(value, self.kind):
            raise ValidationError(f"Must be a JSON {'object' if self.kind is dict else 'list'}.", code="invalid")
        if encoded_size(value) > self.max_bytes:
            raise ValidationError(f"At most {self.max_bytes // 1024} KB of JSON.", code="max_length")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JSONDocumentValidator) and (self.max_bytes, self.kind) == (
            other.max_bytes,
            other.kind,
        )


class BoundedJSONDecoder(json.JSONDecoder):
    """For Django's ``forms.JSONField``, which turns only ``JSONDecodeError`` into a form error."""

    def decode(self, s, *args, **kwargs):
        try:
            return loads(s)
        except JSONInputError as error:
            raise json.JSONDecodeError(str(error), s, 0) from None


class JSONFormField(forms.JSONField):
    """A form field for JSON documents with the same bounds as the API."""

    default_error_messages = {"invalid": "Enter valid JSON (at most %(depth)s levels deep, no NUL characters)."}

    def __init__(self, **kwargs):
        kwargs["decoder"] = BoundedJSONDecoder
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value, "depth": MAX_DEPTH}
            ) from error
