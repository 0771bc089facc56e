"""The analysis' scales as the read side needs them, without loading the analysis (YAKE, VADER) into web
workers: the emotions scored, VADER's polarity thresholds, the speaker labels that are the client.
``tests/test_clinical_trends.py`` checks they are the analysis package's own."""

from collections.abc import Iterable

EMOTIONS = ("joy", "sadness", "anger", "fear", "surprise", "disgust", "trust", "anticipation")
POSITIVE = 0.05  # sentiment at least this: positive
NEGATIVE = -0.05  # at most this: negative
CLIENT_SPEAKERS = frozenset(["client", "patient"])


def speaker_label(text: str) -> str:
    """A speaker label as the analysis compares labels: lower case, spaces collapsed."""
    return " ".join(text.lower().split())


def client_speakers(display_name: str, former_names: Iterable[str] = ()) -> frozenset[str]:
    """Speaker labels (lower case) that are the client: the usual ones, the client's name as written and the names
    they had before a rename (``Client.former_names``: transcripts saved then still label the client's lines)."""
    return CLIENT_SPEAKERS | {speaker_label(name) for name in (display_name, *former_names) if speaker_label(name)}
