"""What counts as one line of text in a quest: its title and location, which everyone sees in the
marketplace. Shared by the quest services (which refuse anything else) and the builder (which reads a
parent's answer into one line before it can reach a quest)."""

import re
import unicodedata

from myApp.lib.text import BIDI_CONTROLS  # a title shown backwards from a U+202E on

ONE_LINE = "One line of text without control characters, line separators or direction overrides."
_BREAKS = re.compile(r"[\s\u2028\u2029]+")


def _breaks_the_line(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in BIDI_CONTROLS


def one_line_problem(text: str) -> str | None:
    """Why ``text`` is not one plain line of text (None when it is): a control character (a terminal escape,
    a bell, a line break), a Unicode line or paragraph separator (U+2028, U+2029: a line break too), or
    a direction override."""
    return ONE_LINE if any(_breaks_the_line(char) for char in text) else None


def one_line(text: str) -> str:
    """``text`` as one plain line: line breaks and runs of spaces become one space, other control
    characters and direction controls go."""
    spaced = _BREAKS.sub(" ", text)
    return "".join(char for char in spaced if not _breaks_the_line(char)).strip()
