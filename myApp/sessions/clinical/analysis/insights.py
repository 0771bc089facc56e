"""Session insights from the client's sentences: cognitive distortions (``distortion_rules``) and risk
(the chat safety layer's own rules, ``assistant.triage.classify``: the risk wording lives once, there).

Only the client's speech counts; the clinician's sentences are context (the one just before an evidence
sentence is kept beside it, so the reviewer reads the evidence in context).

How the numbers are made, so a clinician can argue with them:

- **confidence**: each matching client sentence is independent evidence with its pattern's weight
  (``STRONG`` 0.6, ``WEAK`` 0.35; a risk sentence ``RISK_WEIGHT``), combined as 1 - the product of
  (1 - weight), capped at ``MAX_CONFIDENCE``: one strong sentence 0.6, two 0.84, three 0.94. A
  distortion below ``MIN_CONFIDENCE`` raises no insight (one weak sentence, 0.35, is noise in a review
  queue; two, 0.58, are not); risk always does;
- **severity** of a distortion from how many client sentences show it: ``HIGH_COUNT`` or more, or two or
  more that are at least ``HIGH_SHARE`` of the client's sentences, is high; two or more moderate; one low.
  Risk is critical;
- **intervention priority** follows severity: high → high, moderate → medium, low → low; risk → urgent.
"""

import itertools
from dataclasses import asdict, dataclass, field

from myApp.sessions.assistant.triage import Label, Risk, classify
from myApp.sessions.clinical.analysis import distortion_rules as rules
from myApp.sessions.clinical.analysis.text import negated

MAX_CONFIDENCE = 0.95
MIN_CONFIDENCE = 0.5
RISK_WEIGHT = 0.8
HIGH_COUNT = 4
HIGH_SHARE = 0.1
MAX_EVIDENCE = 5  # evidence sentences kept per insight (the count in the description covers all)
EVIDENCE_CHARS = 500
PRIORITY = {"low": "low", "moderate": "medium", "high": "high", "critical": "urgent"}
RISK_TITLES = {
    Risk.SELF_HARM: "Possible self-harm or suicidal ideation",
    Risk.ABUSE: "Possible abuse or violence against the client",
    Risk.HARM_TO_OTHERS: "Possible intent to harm others",
}
RISK_METHOD = "Risk assessment and safety planning"
RISK_RECOMMENDATIONS = (
    "Review the evidence sentences now and assess risk directly with the client.",
    "Follow the service's safeguarding protocol; review or make a safety plan.",
)


@dataclass(frozen=True)
class Evidence:
    sequence_number: int
    text: str
    matched: str  # the words (normal form) a distortion rule matched; for risk, the whole sentence
    context: dict | None = None  # the sentence just before, when it is not the client's: {sequence_number, ...}


@dataclass
class Insight:
    """One insight, with the fields of ``SessionInsight`` (``as_fields``) and its evidence sentences."""

    insight_type: str  # "cognitive_distortion" | "risk"
    rule: str  # the distortion rule's key, or the risk kind ("self_harm", ...)
    title: str
    description: str
    confidence: float
    severity: str  # low | moderate | high | critical
    therapeutic_method: str
    intervention_priority: str  # low | medium | high | urgent
    recommendations: dict = field(default_factory=dict)
    evidence_items: list[Evidence] = field(default_factory=list)

    @property
    def evidence(self) -> str:
        """The evidence as text, one sentence a line: '#12: I always ruin everything.'"""
        return "\n".join(f"#{item.sequence_number}: {item.text}" for item in self.evidence_items)

    def as_fields(self) -> dict:
        """Exactly ``SessionInsight``'s analysis fields (the clinician's status is not the analysis's)."""
        return {
            "insight_type": self.insight_type,
            "confidence": self.confidence,
            "severity": self.severity,
            "title": self.title,
            "description": self.description,
            "evidence": self.evidence,
            "recommendations": self.recommendations,
            "therapeutic_method": self.therapeutic_method,
            "intervention_priority": self.intervention_priority,
        }

    def as_dict(self) -> dict:
        return asdict(self) | {"evidence": self.evidence}


def combined_confidence(weights: list[float]) -> float:
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - weight
    return round(min(MAX_CONFIDENCE, 1.0 - remaining), 2)


def severity_of(count: int, client_sentences: int) -> str:
    if count >= HIGH_COUNT or (client_sentences and count / client_sentences >= HIGH_SHARE and count >= 2):
        return "high"
    return "moderate" if count >= 2 else "low"


def _token_index(normal: str, start: int) -> int:
    return normal.count(" ", 0, start)


def rule_match(rule: rules.Rule, normal: str) -> tuple[float, str] | None:
    """(weight, matched words) of the strongest pattern of ``rule`` in a normal-form sentence, or None."""
    if any(pattern.search(normal) for pattern in (*rule.exceptions, *rules.DISTANCING)):
        return None
    tokens = normal.split(" ")
    for weight, patterns in ((rules.STRONG, rule.strong), (rules.WEAK, rule.weak)):
        for pattern in patterns:
            for match in pattern.finditer(normal):
                if not negated(tokens, _token_index(normal, match.start())):
                    return weight, match.group()
    return None


def risk_in(text: str) -> Risk | None:
    """The risk the safety layer's rules see in ``text`` (None: none, or a denial such as "I'm not suicidal")."""
    triage = classify(text)
    return triage.risk if triage.label == Label.RISK else None


def _evidence(sentence, matched: str, previous) -> Evidence:
    context = None
    if previous is not None and previous.speaker.strip().lower() != sentence.speaker.strip().lower():
        context = {
            "sequence_number": previous.sequence_number,
            "speaker": previous.speaker,
            "text": previous.text[:EVIDENCE_CHARS],
        }
    return Evidence(sentence.sequence_number, sentence.text[:EVIDENCE_CHARS], matched, context)


def session_insights(sentences: list) -> list[Insight]:
    """The insights of a session's prepared sentences (``session.Prepared``: sequence_number, speaker, text,
    normal, is_client, is_clinician), risk first, then distortions in ``RULES`` order. Safety first: the risk
    screen reads every sentence that is not the clinician's; distortions read the client's only."""
    client = [sentence for sentence in sentences if sentence.is_client]
    screened = [sentence for sentence in sentences if not sentence.is_clinician]
    previous_of = {id(b): a for a, b in itertools.pairwise(sentences)}
    found: dict[tuple[str, str], list[tuple[float, Evidence]]] = {}
    for sentence in screened:
        risk = risk_in(sentence.text) if sentence.text else None
        if risk is not None:
            found.setdefault(("risk", risk.value), []).append(
                (RISK_WEIGHT, _evidence(sentence, sentence.normal, previous_of.get(id(sentence))))
            )
    for sentence in client:
        previous = previous_of.get(id(sentence))
        for rule in rules.RULES:
            hit = rule_match(rule, sentence.normal)
            if hit is not None:
                found.setdefault(("cognitive_distortion", rule.key), []).append(
                    (hit[0], _evidence(sentence, hit[1], previous))
                )
    insights = [_risk_insight(Risk(key), hits, len(screened)) for (kind, key), hits in found.items() if kind == "risk"]
    for rule in rules.RULES:
        hits = found.get(("cognitive_distortion", rule.key))
        if hits and combined_confidence([weight for weight, _ in hits]) >= MIN_CONFIDENCE:
            insights.append(_distortion_insight(rule, hits, len(client)))
    return insights


def _distortion_insight(rule: rules.Rule, hits: list, client_sentences: int) -> Insight:
    severity = severity_of(len(hits), client_sentences)
    return Insight(
        insight_type="cognitive_distortion",
        rule=rule.key,
        title=rule.title,
        description=(
            f"{rule.description} Seen in {len(hits)} of the client's {client_sentences} sentences (rule '{rule.key}')."
        ),
        confidence=combined_confidence([weight for weight, _ in hits]),
        severity=severity,
        therapeutic_method=rule.therapeutic_method,
        intervention_priority=PRIORITY[severity],
        recommendations={"rule": rule.key, "actions": list(rule.recommendations)},
        evidence_items=[evidence for _, evidence in hits[:MAX_EVIDENCE]],
    )


def _risk_insight(risk: Risk, hits: list, screened: int) -> Insight:
    return Insight(
        insight_type="risk",
        rule=risk.value,
        title=RISK_TITLES[risk],
        description=(
            f"The safety rules matched {len(hits)} of the {screened} sentences not labelled as the clinician's "
            f"({risk.value.replace('_', ' ')}). Automatic screening: it misses indirect wording and can "
            "misread; the clinician's judgement decides."
        ),
        confidence=combined_confidence([weight for weight, _ in hits]),
        severity="critical",
        therapeutic_method=RISK_METHOD,
        intervention_priority=PRIORITY["critical"],
        recommendations={"rule": risk.value, "actions": list(RISK_RECOMMENDATIONS)},
        evidence_items=[evidence for _, evidence in hits[:MAX_EVIDENCE]],
    )
