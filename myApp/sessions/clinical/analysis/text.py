"""Input bounds and the one normal form every rule of the analysis reads.

The normal form is the chat triage's (``assistant.text.normalise``: lower case, contractions expanded,
punctuation as separate tokens: "i do not think i am a failure ."), so the distortion rules here and the
risk rules of the safety layer are written against the same spelling.

Bounds: a transcript sentence is cleaned of NUL and other control characters and analysed on its first
``MAX_SENTENCE_CHARS`` characters (a 1 MB "sentence" is a broken upload, not speech; the result says it
was truncated). A session of more than ``MAX_SESSION_SENTENCES`` sentences is refused
(``AnalysisRefused``), so one bad transcript cannot hold a worker for hours.
"""

import re

from myApp.sessions.assistant.text import normalise

MAX_SENTENCE_CHARS = 2_000
MAX_SESSION_SENTENCES = 20_000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What ends a clause in the normal form: a negation or a rule's window never crosses one.
CLAUSE_BREAK = frozenset([".", "!", "?", ",", ";", ":", "but", "though", "although", "however", "yet"])
NEGATORS = frozenset(["not", "no", "never", "hardly", "barely", "without", "nor", "neither", "nobody", "nothing"])
NEGATION_WINDOW = 3  # words before a term that can negate it ("not really very happy")


class AnalysisRefused(ValueError):
    """The input is outside what the analysis accepts (the reason is the message)."""


def clean(text: str | None) -> tuple[str, bool]:
    """``text`` without control characters (tabs and newlines become spaces), whitespace folded, cut to
    ``MAX_SENTENCE_CHARS``; and whether it was cut."""
    if not text:
        return "", False
    truncated = len(text) > MAX_SENTENCE_CHARS * 2
    text = text[: MAX_SENTENCE_CHARS * 2]  # bound the work below before cleaning
    text = " ".join(_CONTROL.sub(" ", text).split())
    if len(text) > MAX_SENTENCE_CHARS:
        text, truncated = text[:MAX_SENTENCE_CHARS].rsplit(" ", 1)[0], True
    return text, truncated


def normal_form(text: str) -> str:
    return normalise(text) if text else ""


def negated(tokens: list[str], index: int) -> bool:
    """Whether a negator stands within ``NEGATION_WINDOW`` words before ``tokens[index]`` in the same clause
    ("i am not happy", "i do not feel so scared"; in "i was not late , just angry" the comma ends it)."""
    for step in range(1, NEGATION_WINDOW + 1):
        position = index - step
        if position < 0 or tokens[position] in CLAUSE_BREAK:
            return False
        if tokens[position] in NEGATORS:
            return True
    return False
