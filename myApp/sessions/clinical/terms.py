"""How a keyword is stored in ``SessionSentence.keywords`` and found again: one rule for the analysis that
writes it and the searches that read it. Kept apart from the analysis package, so that searching does not
load YAKE and VADER into every web worker."""

MAX_TERM_CHARS = 100  # a keyword, stored or searched


def normal_term(term: str) -> str:
    """A term as stored and searched: lower case, single spaces, at most ``MAX_TERM_CHARS``."""
    return " ".join(term.lower().split())[:MAX_TERM_CHARS]


def keyword_document(term: str) -> dict:
    """The JSON containment document that finds sentences with ``term`` (``keywords @> '{"term": [term]}'``)."""
    return {"term": [normal_term(term)]}
