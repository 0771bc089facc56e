"""Keywords of a sentence (YAKE, unsupervised, statistical; its stop-word lists ship inside the package and
nothing is downloaded: lemmatisation, the one feature that would fetch data, stays off) and the JSON
document they are stored as.

The document (``SessionSentence.keywords``): ``{"term": ["panic attack", "work"], "score": {"panic attack":
0.04, "work": 0.16}}``. Terms are lower case, best first (YAKE's score: lower is more relevant). The seed's
search ``keywords @> '{"term": ...}'`` becomes ``keywords @> keyword_filter(term)``, i.e.
``{"term": ["panic attack"]}``: containment of an array element, which a GIN index on the column answers
(a whole term: "panic" does not find "panic attack"). Keyword frequency in SQL reads
``jsonb_array_elements_text(keywords -> 'term')``; in Python, ``aggregate.keyword_frequency``.
"""

import re
import threading

import yake

from myApp.sessions.clinical.terms import keyword_document as keyword_filter  # noqa: F401 (the package's name)
from myApp.sessions.clinical.terms import normal_term

MAX_KEYWORDS = 5
MAX_NGRAM = 3
MIN_TERM_CHARS = 3
# Fillers of speech that YAKE's stop-word list does not hold and that carry no topic (a term with one is dropped).
_FILLERS_WORDS = (
    "yeah yes okay ok um uh erm hmm mm mhm like just really kind sort know mean guess think thing things stuff lot "
    "bit maybe gonna wanna feel feels feeling felt said say says get got going want sure right"
)
FILLERS = frozenset(_FILLERS_WORDS.split())
_WORD = re.compile(r"[^\W\d_][\w'-]*")


_local = threading.local()


def extractor() -> yake.KeywordExtractor:
    """One extractor per thread, kept for the thread's life (building one reads the stop-word file; an
    extractor keeps caches it clears as it goes, so threads do not share one)."""
    found = getattr(_local, "extractor", None)
    if found is None:
        found = _local.extractor = yake.KeywordExtractor(lan="en", n=MAX_NGRAM, dedup_lim=0.9, top=MAX_KEYWORDS * 3)
    return found


def reset_extractor() -> None:
    _local.extractor = None


def _useful(term: str) -> bool:
    words = _WORD.findall(term)
    return (
        bool(words)
        and len(term) >= MIN_TERM_CHARS
        and len(words) == len(term.split())
        and not any(word in FILLERS for word in words)
    )


def _within(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    size = len(shorter)
    return any(longer[start : start + size] == shorter for start in range(len(longer) - size + 1))


def _overlaps(words: tuple[str, ...], kept: list[tuple[str, ...]]) -> bool:
    """Whether ``words`` is part of a term already kept, or holds one ("step forward" and "real step forward")."""
    return any(_within(words, other) or _within(other, words) for other in kept)


def extract(text: str) -> list[tuple[str, float]]:
    """Up to ``MAX_KEYWORDS`` (term, score) of ``text``, best first; the same text gives the same answer.
    A term with a stop word inside ("friend who told") or overlapping a better term is left out."""
    if not text or not _WORD.search(text):
        return []
    stopwords = extractor().stopword_set
    found: dict[str, float] = {}
    kept: list[tuple[str, ...]] = []
    for term, score in extractor().extract_keywords(text):
        term = normal_term(term)
        words = tuple(term.split())
        if not _useful(term) or any(word in stopwords for word in words) or _overlaps(words, kept):
            continue
        found[term] = round(float(score), 4)
        kept.append(words)
        if len(found) == MAX_KEYWORDS:
            break
    return sorted(found.items(), key=lambda item: (item[1], item[0]))


def keywords_document(keywords: list[tuple[str, float]]) -> dict:
    return {"term": [term for term, _ in keywords], "score": dict(keywords)}


def terms_of(document: dict | None) -> list[str]:
    """The terms of a stored keywords document (an empty or foreign document has none)."""
    if not isinstance(document, dict):
        return []
    terms = document.get("term")
    return [term for term in terms if isinstance(term, str)] if isinstance(terms, list) else []
