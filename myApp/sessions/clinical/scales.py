"""The analysis' scales as the read side needs them, without loading the analysis (YAKE, VADER) into web
workers: the emotions scored, VADER's polarity thresholds, the speaker labels that are the client.
``tests/test_clinical_trends.py`` checks they are the analysis package's own."""

EMOTIONS = ("joy", "sadness", "anger", "fear", "surprise", "disgust", "trust", "anticipation")
POSITIVE = 0.05  # sentiment at least this: positive
NEGATIVE = -0.05  # at most this: negative
CLIENT_SPEAKERS = frozenset(["client", "patient"])


def client_speakers(display_name: str) -> frozenset[str]:
    """Speaker labels (lower case) that are the client: the usual ones and the client's name as written."""
    return CLIENT_SPEAKERS | {" ".join(display_name.lower().split())}
