"""Transcript analysis for clinical sessions (issue 11): plain Python, no models, no network.

- ``analyse_session(sentences, client_speakers=...)`` → ``SessionAnalysis``: per sentence keywords (YAKE),
  sentiment (VADER) and emotion scores (the lexicon in ``emotion_lexicon.txt``), per session insights
  (``distortion_rules`` and the safety layer's risk rules), each insight with its evidence sentences;
- ``aggregate``: emotion trends over sessions, keyword frequency, sentiment and emotion summaries;
- ``risk_in(text)``: the safety layer's risk reading of any text (a chat message, a self-check answer);
- ``keywords.keyword_filter(term)``: the JSON containment document that finds a term in stored keywords.

Wiring it into the analysis task: read the session's sentences in transcript order (sequence_number, text,
speaker), call ``analyse_session(rows, client_speakers=...)``, write each ``SentenceAnalysis.as_fields()``
back by sequence number (one bulk update), and replace the session's draft insights with
``Insight.as_fields()`` of each (status draft; ``evidence_items`` carry the sequence numbers for the review
page); ``AnalysisRefused`` is the failure reason to record.

Both libraries and the lexicon are read once per process (module-level caches), and nothing is fetched at
run time. The package imports the chat safety layer's rules, so it runs inside the configured project.
"""

from myApp.sessions.clinical.analysis.aggregate import (
    emotion_summary,
    emotion_trend,
    keyword_frequency,
    sentiment_summary,
)
from myApp.sessions.clinical.analysis.emotions import EMOTIONS
from myApp.sessions.clinical.analysis.insights import Evidence, Insight, risk_in
from myApp.sessions.clinical.analysis.keywords import keyword_filter
from myApp.sessions.clinical.analysis.session import (
    CLIENT_SPEAKERS,
    Sentence,
    SentenceAnalysis,
    SessionAnalysis,
    analyse_sentence,
    analyse_session,
)
from myApp.sessions.clinical.analysis.text import MAX_SENTENCE_CHARS, MAX_SESSION_SENTENCES, AnalysisRefused

__all__ = [
    "CLIENT_SPEAKERS",
    "EMOTIONS",
    "MAX_SENTENCE_CHARS",
    "MAX_SESSION_SENTENCES",
    "AnalysisRefused",
    "Evidence",
    "Insight",
    "Sentence",
    "SentenceAnalysis",
    "SessionAnalysis",
    "analyse_sentence",
    "analyse_session",
    "emotion_summary",
    "emotion_trend",
    "keyword_filter",
    "keyword_frequency",
    "risk_in",
    "sentiment_summary",
]
