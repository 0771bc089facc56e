"""Emotion scores of a sentence from the lexicon that ships beside this file (``emotion_lexicon.txt``).

Eight emotions (Plutchik's basic set: joy, sadness, anger, fear, surprise, disgust, trust, anticipation),
each scored 0..1 for a sentence: the sum of the weights of the lexicon terms the sentence uses, a term
right after an intensifier ("very", "so", "really" ...) counting ``INTENSIFIED`` times and after a
softener ("a bit", "slightly" ...) ``SOFTENED`` times, capped at 1. A term with a negator within three
words before it in its clause ("not happy", "never felt so scared") does not count: the lexicon cannot
say what a negated feeling is ("not happy" is not joy, but not certainly sadness either), so it says
nothing. Terms are matched longest first on whole words of the normal form, so "panic attack" counts
once, not as "panic" and "attack".
"""

from functools import cache
from pathlib import Path

from myApp.sessions.clinical.analysis.text import negated

EMOTIONS = ("joy", "sadness", "anger", "fear", "surprise", "disgust", "trust", "anticipation")
LEXICON_FILE = Path(__file__).with_name("emotion_lexicon.txt")
_INTENSIFIERS_WORDS = (
    "very so really extremely incredibly totally completely absolutely deeply terribly super utterly truly awfully "
    "massively hugely"
)
INTENSIFIERS = frozenset(_INTENSIFIERS_WORDS.split())
SOFTENERS = frozenset(["slightly", "somewhat", "bit", "little", "mildly", "fairly"])
INTENSIFIED = 1.5
SOFTENED = 0.5
_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("es", ""), ("ed", ""), ("ed", "e"), ("s", ""))
_SUFFIXES += (("ly", ""), ("ily", "y"), ("ness", ""), ("ings", ""))

Lexicon = dict[tuple[str, ...], dict[str, float]]


def parse_lexicon(text: str) -> Lexicon:
    """The lexicon file's text as {term's words: {emotion: weight}}; a term listed twice under one emotion
    keeps its highest weight. A malformed line or an unknown section raises ValueError (caught by tests)."""
    lexicon: Lexicon = {}
    emotion = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("["):
            emotion = line.strip("[]")
            if emotion not in EMOTIONS:
                raise ValueError(f"line {number}: unknown emotion {emotion!r}")
            continue
        weight_text, sep, terms = line.partition(":")
        if not sep or emotion is None:
            raise ValueError(f"line {number}: expected 'weight: term, term' under an [emotion]")
        weight = float(weight_text)
        for term in terms.split(","):
            words = tuple(term.split())
            if not words:
                continue
            scores = lexicon.setdefault(words, {})
            scores[emotion] = max(scores.get(emotion, 0.0), weight)
    return lexicon


@cache
def lexicon() -> Lexicon:
    return parse_lexicon(LEXICON_FILE.read_text(encoding="utf-8"))


@cache
def _index() -> tuple[dict[str, list[tuple[str, ...]]], frozenset[str]]:
    """Terms by their first word (longest first), and the single words (for the suffix fallback)."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for words in lexicon():
        by_first.setdefault(words[0], []).append(words)
    for terms in by_first.values():
        terms.sort(key=len, reverse=True)
    return by_first, frozenset(words[0] for words in lexicon() if len(words) == 1)


def _base(token: str, singles: frozenset[str]) -> str | None:
    """The lexicon word ``token`` is an inflection of ("worried" → "worry"), or None."""
    for suffix, replacement in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            stem = token[: -len(suffix)] + replacement
            if stem in singles:
                return stem
            doubled = suffix in ("ing", "ed") and len(stem) > 3 and stem[-1] == stem[-2]
            if doubled and stem[:-1] in singles:  # "sobbing" → "sob"
                return stem[:-1]
    return None


def matches(normal: str) -> list[tuple[tuple[str, ...], int, bool]]:
    """The lexicon terms in a normal-form sentence, in order: (term, its first word's index, negated)."""
    by_first, singles = _index()
    tokens = normal.split()
    found = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        term = None
        for candidate in by_first.get(token, ()):
            if tuple(tokens[index : index + len(candidate)]) == candidate:
                term = candidate
                break
        if term is None:
            base = _base(token, singles)
            term = (base,) if base else None
        if term is None:
            index += 1
            continue
        found.append((term, index, negated(tokens, index)))
        index += len(term)
    return found


def emotion_scores(normal: str) -> dict[str, float]:
    """{emotion: 0..1} for every emotion of ``EMOTIONS`` (zeros for a sentence without any term)."""
    totals = dict.fromkeys(EMOTIONS, 0.0)
    if not normal:
        return totals
    tokens = normal.split()
    table = lexicon()
    for term, index, is_negated in matches(normal):
        if is_negated:
            continue
        before = tokens[index - 1] if index else ""
        factor = INTENSIFIED if before in INTENSIFIERS else SOFTENED if before in SOFTENERS else 1.0
        for emotion, weight in table[term].items():
            totals[emotion] += weight * factor
    return {emotion: round(min(1.0, total), 3) for emotion, total in totals.items()}
