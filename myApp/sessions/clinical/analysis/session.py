"""Analysis of one session's transcript: per sentence keywords, sentiment and emotion scores, per session
insights. Plain data in, plain data out: no database, no network (the caller, a background task, reads
the sentences and stores the results).

Sentences are mappings or objects with ``sequence_number``, ``text`` and ``speaker`` (a dict, a
``Sentence``, or a model row). Which speakers are the client is given (``client_speakers``); by default
the labels in ``CLIENT_SPEAKERS``. Every sentence gets keywords, sentiment and emotions (the clinician's
too: a transcript page colours every turn). Distortion insights read only the client's sentences; the risk
screen reads every sentence not labelled as the clinician's (``CLINICIAN_SPEAKERS``), so a client labelled by
"Speaker 2" or a family member in a family session is still screened. The client's labels include their name and
its first name ("Tom" for "Tom Reed": ``scales.client_speakers``).
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from myApp.sessions.clinical.analysis import emotions, keywords, sentiment
from myApp.sessions.clinical.analysis.insights import Insight, session_insights
from myApp.sessions.clinical.analysis.text import MAX_SESSION_SENTENCES, AnalysisRefused, clean, normal_form
from myApp.sessions.clinical.scales import CLIENT_SPEAKERS, CLINICIAN_SPEAKERS


def label_words(speaker: str) -> tuple[str, ...]:
    """A speaker label's words as the clinician rule compares them: compatibility forms folded ("<U+FF34>herapist"),
    invisible format characters dropped ("Therapist<U+2060>"), case folded, punctuation a separator
    ("therapist:", "Dr.Smith", "Therapist (Anna)")."""
    text = "".join(ch for ch in unicodedata.normalize("NFKC", speaker) if unicodedata.category(ch) != "Cf")
    return tuple(re.sub(r"[^\w']+|_", " ", text.casefold()).split())


def is_clinician_label(speaker: str, client_speakers: Iterable[str] = CLIENT_SPEAKERS) -> bool:
    """Whether ``speaker`` labels the clinician's lines, which the risk screen skips: a clinician's title alone or
    first ("Therapist", "Therapist 1", "Counsellor Jane", "therapist:"), or "Dr" and a name. Never a label that
    is one of ``client_speakers`` (a client "Dr Patel" is the client: their lines went unscreened)."""
    words = label_words(speaker)
    if not words or words in {label_words(label) for label in client_speakers} or CLIENT_SPEAKERS & set(words):
        return False  # the client's, or mixed ("Therapist/Client"): screened
    return words[0] in CLINICIAN_SPEAKERS or (words[0] == "dr" and len(words) > 1)


@dataclass(frozen=True)
class Sentence:
    sequence_number: int
    text: str
    speaker: str = "client"


@dataclass
class SentenceAnalysis:
    """``SessionSentence``'s analysis fields for one sentence (``as_fields``)."""

    sequence_number: int
    keywords: dict
    sentiment: float
    emotion_scores: dict[str, float]
    truncated: bool = False  # the text was longer than the analysis reads (``text.MAX_SENTENCE_CHARS``)

    def as_fields(self) -> dict:
        return {"keywords": self.keywords, "sentiment": self.sentiment, "emotion_scores": self.emotion_scores}


@dataclass
class SessionAnalysis:
    sentences: list[SentenceAnalysis] = field(default_factory=list)
    insights: list[Insight] = field(default_factory=list)

    @property
    def urgent(self) -> list[Insight]:
        return [insight for insight in self.insights if insight.intervention_priority == "urgent"]


@dataclass(frozen=True)
class Prepared:
    """A sentence cleaned and in the normal form, as the insight rules read it."""

    sequence_number: int
    speaker: str
    text: str
    normal: str
    is_client: bool
    is_clinician: bool
    truncated: bool


def _field(sentence, name: str, default=None):
    if isinstance(sentence, Mapping):
        return sentence.get(name, default)
    return getattr(sentence, name, default)


def prepare(sentence, client_speakers: frozenset[str] = CLIENT_SPEAKERS) -> Prepared:
    text, truncated = clean(_field(sentence, "text", "") or "")
    speaker = str(_field(sentence, "speaker", "") or "")
    return Prepared(
        sequence_number=int(_field(sentence, "sequence_number", 0) or 0),
        speaker=speaker,
        text=text,
        normal=normal_form(text),
        is_client=" ".join(speaker.lower().split()) in client_speakers,
        is_clinician=is_clinician_label(speaker, client_speakers),
        truncated=truncated,
    )


def analyse_prepared(sentence: Prepared) -> SentenceAnalysis:
    return SentenceAnalysis(
        sequence_number=sentence.sequence_number,
        keywords=keywords.keywords_document(keywords.extract(sentence.text)),
        sentiment=sentiment.sentiment(sentence.text),
        emotion_scores=emotions.emotion_scores(sentence.normal),
        truncated=sentence.truncated,
    )


def analyse_sentence(text: str) -> SentenceAnalysis:
    """One sentence on its own (sequence number 0, spoken by the client)."""
    return analyse_prepared(prepare(Sentence(0, text)))


def analyse_session(sentences: Iterable, *, client_speakers: Iterable[str] = CLIENT_SPEAKERS) -> SessionAnalysis:
    """Every sentence's analysis (in the order given, which should be the transcript's) and the session's
    insights. More than ``MAX_SESSION_SENTENCES`` sentences raise ``AnalysisRefused``."""
    speakers = frozenset(speaker.strip().lower() for speaker in client_speakers)
    prepared = []
    for sentence in sentences:
        if len(prepared) == MAX_SESSION_SENTENCES:
            raise AnalysisRefused(f"A session is analysed up to {MAX_SESSION_SENTENCES} sentences.")
        prepared.append(prepare(sentence, speakers))
    return SessionAnalysis(
        sentences=[analyse_prepared(sentence) for sentence in prepared],
        insights=session_insights(prepared),
    )
