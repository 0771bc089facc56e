"""The target bands of a talk, in one place: feedback, the milestone rubric and the progress charts read them.

Sources for the bands: conversational English runs at roughly 120-160 words a minute, and presentation coaches
usually aim for about 130-150; listeners hear a voice whose pitch varies by less than about two semitones (its
standard deviation over voiced speech) as flat; filler words at a few a minute go unnoticed, more become a habit
listeners hear. These are product choices, stated to the learner on the feedback page, not clinical norms.
"""

from dataclasses import dataclass

# A silence between two stretches of speech counts as a pause from this long.
PAUSE_MIN_SECONDS = 0.5
# A pause longer than this reads as losing the thread rather than a deliberate pause.
LONG_PAUSE_SECONDS = 3.0


@dataclass(frozen=True)
class Band:
    """A measure's target: ``low`` to ``high`` inclusive (either may be None for one-sided)."""

    name: str
    label: str
    unit: str
    low: float | None
    high: float | None

    def contains(self, value: float | None) -> bool | None:
        if value is None:
            return None
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    def describe(self) -> str:
        if self.low is not None and self.high is not None:
            return f"{self.low:g}-{self.high:g} {self.unit}"
        if self.low is not None:
            return f"at least {self.low:g} {self.unit}"
        return f"at most {self.high:g} {self.unit}"


PACE = Band("pace", "Pace", "words per minute", 110, 160)
FILLERS = Band("fillers", "Filler words", "per minute", None, 3)
PITCH_VARIETY = Band("pitch_variety", "Pitch variety", "semitones", 2.0, None)
PAUSES = Band("pauses", "Pauses", "per minute", 2, 12)
LONGEST_PAUSE = Band("longest_pause", "Longest pause", "seconds", None, LONG_PAUSE_SECONDS)
LOUDNESS_VARIABILITY = Band("loudness", "Loudness consistency", "dB", None, 6.0)

# Below PITCH_VARIETY.low the talk is flagged monotone.
MONOTONE_BELOW_SEMITONES = PITCH_VARIETY.low

BANDS = {band.name: band for band in (PACE, FILLERS, PITCH_VARIETY, PAUSES, LONGEST_PAUSE, LOUDNESS_VARIABILITY)}
