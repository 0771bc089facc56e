"""The session page's transcript as a clinician reads it (issue 11): consecutive sentences of one speaker as one
turn, each sentence's tone from its analysed sentiment (VADER's thresholds, ``clinical.scales``), and the
keywords the analysis found in it marked (its ``KEYWORDS_MARKED`` best: all of them underlined nearly every word).

A sentence that is the evidence of a risk insight not rejected is shown as ``risk`` whatever its sentiment: VADER
reads "Some nights I think everyone would be better off without me." as positive (+0.44), and a green tint on it
would tell the clinician the opposite of what matters.

Marked text is HTML-safe: the sentence is escaped piece by piece and only the keyword matches are wrapped in
``<mark class="keyword">``, so no transcript text can inject markup.
"""

import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from myApp.sessions.clinical.scales import NEGATIVE, POSITIVE
from myApp.sessions.models import InsightStatus, InsightType, SessionInsight, SessionSentence
from myApp.sessions.risk_selectors import evidence_numbers

KEYWORDS_MARKED = 3


def tone(sentiment: float | None) -> str:
    """``positive``, ``negative`` or ``neutral`` by the analysis' own thresholds; ``""`` when not analysed."""
    if sentiment is None:
        return ""
    if sentiment >= POSITIVE:
        return "positive"
    if sentiment <= NEGATIVE:
        return "negative"
    return "neutral"


def keyword_terms(sentence: SessionSentence, limit: int = KEYWORDS_MARKED) -> list[str]:
    """The sentence's ``limit`` best terms as the analysis stored them (``{"term": [...], "score": {term: s}}``,
    YAKE's score: lower is more relevant); none before analysis."""
    keywords = sentence.keywords if isinstance(sentence.keywords, dict) else {}
    scores = keywords.get("score") if isinstance(keywords.get("score"), dict) else {}
    terms = [term for term in keywords.get("term") or [] if isinstance(term, str) and term.strip()]

    def score(term: str) -> float:
        value = scores.get(term)
        return value if isinstance(value, int | float) else float("inf")

    return sorted(terms, key=score)[:limit]


def risk_sentence_numbers(insights: list[SessionInsight]) -> set[int]:
    """The sequence numbers of the evidence of the session's risk insights the clinician has not rejected."""
    return {
        number
        for insight in insights
        if insight.insight_type == InsightType.RISK and insight.status != InsightStatus.REJECTED
        for number in evidence_numbers(insight)
    }


def with_evidence_lines(insights: list[SessionInsight], sentences: list[SessionSentence]) -> None:
    """Sets ``evidence_lines`` on each insight: its evidence sentences found in ``sentences`` (the transcript the
    page shows), in order, so the page names each by its time and speaker and links it, as the transcript
    does; the stored evidence text names them by 0-based number ('#1: ...'), which the page shows nowhere."""
    by_number = {sentence.sequence_number: sentence for sentence in sentences}
    for insight in insights:
        insight.evidence_lines = [by_number[n] for n in evidence_numbers(insight) if n in by_number]


def marked(text: str, terms: list[str]) -> SafeString:
    """``text`` escaped, each whole-word, case-insensitive occurrence of a term (longest first) in a mark."""
    if not terms:
        return escape(text)
    words = sorted({" ".join(term.split()) for term in terms}, key=len, reverse=True)
    spaced = (r"\s+".join(re.escape(part) for part in word.split(" ")) for word in words)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(spaced) + r")(?!\w)", re.IGNORECASE)
    pieces, at = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[at : match.start()]))
        pieces.append(f'<mark class="keyword">{escape(match.group(0))}</mark>')
        at = match.end()
    pieces.append(escape(text[at:]))
    return mark_safe("".join(pieces))  # every piece is escaped above


@dataclass
class Line:
    sentence: SessionSentence
    tone: str
    html: SafeString


@dataclass
class Turn:
    speaker: str
    lines: list[Line] = field(default_factory=list)

    @property
    def start_clock(self) -> str:
        return self.lines[0].sentence.start_clock


def turns(sentences, *, risk_numbers: set[int] = frozenset()) -> list[Turn]:
    """The sentences (in transcript order) grouped into speaker turns, each line with its tone and marks; the
    sentences in ``risk_numbers`` have the tone ``risk``."""
    grouped: list[Turn] = []
    for sentence in sentences:
        if not grouped or grouped[-1].speaker != sentence.speaker:
            grouped.append(Turn(sentence.speaker))
        sentence_tone = "risk" if sentence.sequence_number in risk_numbers else tone(sentence.sentiment)
        line = Line(sentence, sentence_tone, marked(sentence.text, keyword_terms(sentence)))
        grouped[-1].lines.append(line)
    return grouped
