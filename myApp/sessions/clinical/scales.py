"""The analysis' scales as the read side needs them, without loading the analysis (YAKE, VADER) into web
workers: the emotions scored, VADER's polarity thresholds, the speaker labels that are the client.
``tests/test_clinical_trends.py`` checks they are the analysis package's own."""

from collections.abc import Iterable

EMOTIONS = ("joy", "sadness", "anger", "fear", "surprise", "disgust", "trust", "anticipation")
POSITIVE = 0.05  # sentiment at least this: positive
NEGATIVE = -0.05  # at most this: negative
CLIENT_SPEAKERS = frozenset(["client", "patient"])
# Titles that label the clinician's own lines, alone or before a number or name, and "Dr" before a name
# (``analysis.session.is_clinician_label``): the only ones the risk screen skips (a clinician asking "have you
# thought about suicide?" is not a risk statement). Anything else, however labelled, is screened.
CLINICIAN_SPEAKERS = frozenset(
    ["therapist", "clinician", "counsellor", "counselor", "psychologist", "psychotherapist", "interviewer"]
)
# A name's first word that is no first name: a client "Ms Ash" or "Dr Patel" is not labelled "Ms" or "Dr".
_NOT_FIRST_NAMES = CLINICIAN_SPEAKERS | CLIENT_SPEAKERS | {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir"}


def speaker_label(text: str) -> str:
    """A speaker label as the analysis compares labels: lower case, spaces collapsed."""
    return " ".join(text.lower().split())


def _first_name(name: str) -> str:
    """A name's first word when it can stand for the person ("Jordan" of "Jordan Ash"), else ''."""
    first, _, rest = name.partition(" ")
    if not rest or len(first) < 2 or not first.isalpha() or first.lower() in _NOT_FIRST_NAMES:
        return ""
    return first


def client_speaker_names(display_name: str, former_names: Iterable[str] = ()) -> list[str]:
    """The speaker labels that are the client, as a page shows them: the usual ones, the client's name as written
    and the names they had before a rename (``Client.former_names``: transcripts saved then still label the
    client's lines), and each name's first name alone ("Jordan" for "Jordan Ash"), as transcripts often label a
    client. Each once, whatever its case."""
    names = [" ".join(name.split()) for name in (display_name, *former_names)]
    found: dict[str, str] = {label: label for label in sorted(CLIENT_SPEAKERS)}
    for label in (found for name in names for found in (name, _first_name(name)) if found):
        found.setdefault(speaker_label(label), label)
    return list(found.values())


def client_speakers(display_name: str, former_names: Iterable[str] = ()) -> frozenset[str]:
    """``client_speaker_names`` as the analysis compares labels (``speaker_label``: lower case)."""
    return frozenset(speaker_label(name) for name in client_speaker_names(display_name, former_names))
