"""How a milestone attempt is scored: the one place the rules live, shown to the learner as ``RULES``.

Two kinds of criteria:

- **Assessed** (``ASSESSED_CRITERIA``): clarity, structure, pacing, confidence, engagement, 0-100. The learner
  scores themselves; a teacher's score for a criterion, when a review gives one, counts instead of the learner's.
- **Measured** from the recording (``MEASURED_CRITERIA``), each 0-100 against the target bands of
  ``myApp.curriculum.speech.targets``:

  - pace: 100 inside ``PACE`` (words per minute over speaking time); 2 points less per word a minute outside it.
    Needs a transcript (typed by the learner or transcribed).
  - fillers: 100 at or under ``FILLERS.high`` a minute; 10 points less per filler a minute above it. Needs a
    transcript.
  - pitch variety: 100 at or above ``PITCH_VARIETY.low`` semitones; below it, in proportion (a flat voice, 0
    semitones, scores 0).
  - pauses: 100 when pauses a minute are inside ``PAUSES`` and the longest pause is at most ``LONGEST_PAUSE``;
    10 points less per pause a minute outside the band and 10 per second the longest pause runs over.

  A measure that is unknown (no recording, no transcript, too little voiced speech, analysis failed) is left out:
  it neither helps nor hurts.

The overall score is the mean of the assessed average and the measured average when any measured criterion is
known, else the assessed average alone; rounded to a whole number. The attempt passes when the overall score
reaches the level's threshold.

``evaluate`` is a pure function of its inputs: callers gather the self-scores, the teacher's scores and the
measures (``myApp.curriculum.services.milestones.attempt_evaluation``).
"""

from dataclasses import asdict, dataclass

from myApp.curriculum.speech import targets

ASSESSED_CRITERIA = ("clarity", "structure", "pacing", "confidence", "engagement")
MEASURED_CRITERIA = ("pace", "fillers", "pitch_variety", "pauses")

SELF = "self"
TEACHER = "teacher"
MEASURED = "measured"

# Points lost per unit outside a band.
PACE_POINTS_PER_WPM = 2
FILLER_POINTS_PER_EXTRA = 10
PAUSE_POINTS_PER_RATE = 10
PAUSE_POINTS_PER_SECOND = 10

_ASSESSED_RULE = "Scored by the learner; a teacher's score for it counts instead when a review gives one."
_MEASURED_RULES = {
    "pace": (
        f"100 for {targets.PACE.describe()} over your speaking time; {PACE_POINTS_PER_WPM} points less per word a "
        "minute outside that. Needs a transcript."
    ),
    "fillers": (
        f"100 for {targets.FILLERS.describe()}; {FILLER_POINTS_PER_EXTRA} points less per filler word a minute "
        "above that. Needs a transcript."
    ),
    "pitch_variety": (
        f"100 for {targets.PITCH_VARIETY.describe()} of pitch variation; below that, in proportion (a flat voice "
        "scores 0)."
    ),
    "pauses": (
        f"100 for {targets.PAUSES.describe()} with none longer than {targets.LONG_PAUSE_SECONDS:g} seconds; "
        f"{PAUSE_POINTS_PER_RATE} points less per pause a minute outside that and {PAUSE_POINTS_PER_SECOND} per "
        "second the longest pause runs over."
    ),
}
_LABELS = {
    "clarity": "Clarity",
    "structure": "Structure",
    "pacing": "Pacing",
    "confidence": "Confidence",
    "engagement": "Engagement",
    "pace": "Pace (measured)",
    "fillers": "Filler words (measured)",
    "pitch_variety": "Pitch variety (measured)",
    "pauses": "Pauses (measured)",
}

RULES = (
    "Clarity, structure, pacing, confidence and engagement are scored 0-100: by you, or by your teacher when "
    "their review scores one (their score then counts instead of yours).",
    "When your talk is recorded here, it is measured too: pace, filler words, pitch variety and pauses, each "
    "0-100 against its target band.",
    f"Pace: 100 for {targets.PACE.describe()}; {PACE_POINTS_PER_WPM} points less per word a minute outside that.",
    f"Filler words: 100 for {targets.FILLERS.describe()}; {FILLER_POINTS_PER_EXTRA} points less per extra one a "
    "minute.",
    f"Pitch variety: 100 for {targets.PITCH_VARIETY.describe()}; below that, in proportion.",
    f"Pauses: 100 for {targets.PAUSES.describe()}, none longer than {targets.LONG_PAUSE_SECONDS:g} seconds; "
    f"{PAUSE_POINTS_PER_RATE} points less per pause a minute outside that and {PAUSE_POINTS_PER_SECOND} per second "
    "over.",
    "Pace and filler words need a transcript (type one, or let it be transcribed); a measure that cannot be taken "
    "is left out, it neither helps nor hurts. A linked recording cannot be measured: it is scored on your scores "
    "alone.",
    "Your score is the average of your scored criteria and the average of the measured ones (or your scored "
    "criteria alone when nothing could be measured). You pass at the level's threshold.",
    "A pass stands: a teacher's review can lift an attempt to a pass, never take one back.",
)


@dataclass(frozen=True)
class CriterionResult:
    name: str
    label: str
    score: int | None
    source: str  # SELF | TEACHER | MEASURED
    rule: str


@dataclass(frozen=True)
class Evaluation:
    criteria: tuple[CriterionResult, ...]
    assessed_average: float | None
    measured_average: float | None
    score: int
    threshold: int
    passed: bool

    @property
    def assessed(self) -> tuple[CriterionResult, ...]:
        return tuple(row for row in self.criteria if row.source != MEASURED)

    @property
    def measured(self) -> tuple[CriterionResult, ...]:
        return tuple(row for row in self.criteria if row.source == MEASURED)

    def as_dict(self) -> dict:
        return asdict(self)


def _clamp(points: float) -> int:
    return round(min(100.0, max(0.0, points)))


def _number(mapping: dict | None, key: str) -> float | None:
    if not mapping:
        return None
    value = mapping.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def pace_score(words_per_minute: float | None) -> int | None:
    if words_per_minute is None:
        return None
    low, high = targets.PACE.low, targets.PACE.high
    outside = max(0.0, low - words_per_minute, words_per_minute - high)
    return _clamp(100 - PACE_POINTS_PER_WPM * outside)


def fillers_score(fillers_per_minute: float | None) -> int | None:
    if fillers_per_minute is None:
        return None
    over = max(0.0, fillers_per_minute - targets.FILLERS.high)
    return _clamp(100 - FILLER_POINTS_PER_EXTRA * over)


def pitch_variety_score(variability_semitones: float | None) -> int | None:
    if variability_semitones is None:
        return None
    low = targets.PITCH_VARIETY.low
    if variability_semitones >= low:
        return 100
    return _clamp(100 * max(0.0, variability_semitones) / low)


def pauses_score(pauses_per_minute: float | None, longest_pause_seconds: float | None) -> int | None:
    if pauses_per_minute is None:
        return None
    low, high = targets.PAUSES.low, targets.PAUSES.high
    outside = max(0.0, low - pauses_per_minute, pauses_per_minute - high)
    over = max(0.0, (longest_pause_seconds or 0.0) - targets.LONGEST_PAUSE.high)
    return _clamp(100 - PAUSE_POINTS_PER_RATE * outside - PAUSE_POINTS_PER_SECOND * over)


def _measured_scores(acoustic: dict | None, language: dict | None) -> dict[str, int | None]:
    pitch = (acoustic or {}).get("pitch") if isinstance((acoustic or {}).get("pitch"), dict) else None
    return {
        "pace": pace_score(_number(language, "words_per_minute")),
        "fillers": fillers_score(_number(language, "fillers_per_minute")),
        "pitch_variety": pitch_variety_score(_number(pitch, "variability_semitones")),
        "pauses": pauses_score(_number(acoustic, "pauses_per_minute"), _number(acoustic, "longest_pause_seconds")),
    }


def _mean(scores: list[int]) -> float | None:
    return sum(scores) / len(scores) if scores else None


def evaluate(
    *,
    self_scores: dict,
    teacher_scores: dict | None,
    acoustic: dict | None,
    language: dict | None,
    threshold: int,
) -> Evaluation:
    """Score an attempt by the rules above. Criteria the learner did not score (and no teacher did) are left out;
    unknown measures are listed with no score. Scores outside 0-100 or of unknown criteria are ignored (the
    services validate what they store)."""
    teacher_scores = teacher_scores or {}
    rows: list[CriterionResult] = []
    for name in ASSESSED_CRITERIA:
        teacher = teacher_scores.get(name)
        own = self_scores.get(name)
        if _valid_score(teacher):
            rows.append(CriterionResult(name, _LABELS[name], teacher, TEACHER, _ASSESSED_RULE))
        elif _valid_score(own):
            rows.append(CriterionResult(name, _LABELS[name], own, SELF, _ASSESSED_RULE))
    for name, score in _measured_scores(acoustic, language).items():
        rows.append(CriterionResult(name, _LABELS[name], score, MEASURED, _MEASURED_RULES[name]))
    assessed_average = _mean([row.score for row in rows if row.source != MEASURED])
    measured_average = _mean([row.score for row in rows if row.source == MEASURED and row.score is not None])
    known = [average for average in (assessed_average, measured_average) if average is not None]
    score = round(sum(known) / len(known)) if known else 0
    return Evaluation(
        criteria=tuple(rows),
        assessed_average=None if assessed_average is None else round(assessed_average, 2),
        measured_average=None if measured_average is None else round(measured_average, 2),
        score=score,
        threshold=threshold,
        passed=bool(known) and score >= threshold,
    )


def _valid_score(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100
