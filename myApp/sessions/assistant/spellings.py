"""Other spellings of a message, read by the risk rules only: someone may hide what they mean, or type it in a
hurry, in ways the normal form (``text.normalise``) keeps apart from the rules' words.

- look-alike letters from other scripts ("kill" with a Cyrillic i, U+0456), and every invisible or combining mark;
- letters standing in for ``l`` ("kilI", "ki11", "k!ll", "kiłl", "|<ill") next to the usual digit stand-ins;
- words spelled out letter by letter ("k i l l", "k.i.l.l", "s-u-i-c-i-d-e") or run together
  ("Iwanttokillmyself", "I_want_to_kill_myself");
- punctuation between the words of a phrase ("kill... myself").

Messages in a few other languages are matched by ``FOREIGN_RISK`` on the raw text (the rules are English).
Reading more spellings can only add risk, never remove it: the triage takes the first spelling that shows it.
"""

import re
import unicodedata

# Letters of Cyrillic, Greek and other scripts that look like Latin ones (the common homoglyphs).
_LOOKALIKES = str.maketrans(
    {
        **dict.fromkeys("\u0430\u0251\u03b1", "a"),
        **dict.fromkeys("\u0432\u03b2", "b"),
        **dict.fromkeys("\u0441\u03f2", "c"),
        **dict.fromkeys("\u0501", "d"),
        **dict.fromkeys("\u0435\u0454\u03b5", "e"),
        **dict.fromkeys("\u0261", "g"),
        **dict.fromkeys("\u04bb", "h"),
        **dict.fromkeys("\u0456\u0457\u0269\u03b9\u0131", "i"),
        **dict.fromkeys("\u0458", "j"),
        **dict.fromkeys("\u043a\u03ba", "k"),
        **dict.fromkeys("\u04cf\u0142", "l"),
        **dict.fromkeys("\u043c", "m"),
        **dict.fromkeys("\u0578\u043f", "n"),
        **dict.fromkeys("\u043e\u03bf\u03c3", "o"),
        **dict.fromkeys("\u0440\u03c1", "p"),
        **dict.fromkeys("\u051b", "q"),
        **dict.fromkeys("\u0455", "s"),
        **dict.fromkeys("\u0442\u03c4", "t"),
        **dict.fromkeys("\u03c5", "u"),
        **dict.fromkeys("\u03bd\u0475", "v"),
        **dict.fromkeys("\u051d\u03c9", "w"),
        **dict.fromkeys("\u0445\u03c7", "x"),
        **dict.fromkeys("\u0443\u03b3", "y"),
        **dict.fromkeys("\u1d22", "z"),
    }
)
_HIDDEN_CATEGORIES = ("Mn", "Me", "Cf", "Cc", "Co", "Cn")
# Stand-ins inside a word: for an "l" a capital I, a one, a bar or "!" ("kilI", "ki11", "ki!!"); for an "i" a
# one, a bar, "!" or a star ("k!ll", "k*ll"); "|<" for a "k".
# The second branch starts only where a run of stand-ins starts and takes the run whole (possessive): a
# run is followed by a letter or it is not, and retrying from every position inside it made a line of
# "!!!!" cost time in the square of its length (0.15 s for 4,000 characters; a quest graph has 130 such).
_AS_L = re.compile(r"(?<=[A-Za-z])[I1|!]+|(?<![1|!])[1|!]++(?=[a-z])")
_AS_I = re.compile(r"(?<=[A-Za-z])[1|!*#](?=[A-Za-z])|(?<= )[1|!](?=[a-z])")
_K_STANDIN = re.compile(r"\|<")
# Three or more single letters separated by a space or a mark: "k i l l", "k.i.l.l", "s-u-i-c-i-d-e".
_SPELLED_OUT = re.compile(r"\b[a-z](?:[ .\-_*] ?[a-z]\b){2,}")
_BETWEEN_WORDS = re.compile(r"(?<=[a-z])\s*(?:[.,;:!?\u2026]+|\s-+)\s*(?=[a-z])")

# Run-together phrases ("iwanttokillmyself"), matched within one written word (so "hurt myself playing
# football", written apart, stays with the rules and their exceptions).
COMPACT_RISK = re.compile(
    r"killmyself|killmeself|endmylife|endingmylife|takemyownlife|takemylife|wanttodie|wannadie|hurtmyself|"
    r"cutmyself|unalivemyself|notwanttolive|dontwanttolive|donotwanttolive"
)

# A few other languages' plain words for it, on the raw (case-folded) text.
FOREIGN_RISK = re.compile(
    r"umbringen|selbstmord|suizid|nicht mehr leben|will sterben|"  # German
    r"matarme|suicidarme|\bsuicidio\b|quiero morir(?:me)?|no quiero vivir|"  # Spanish
    r"me suicider|me tuer|je veux mourir|envie de mourir|"  # French
    r"me matar|suic[ií]dio|quero morrer|"  # Portuguese
    r"uccidermi|suicidarmi|voglio morire|"  # Italian
    r"zelfmoord|"  # Dutch
    "убить себя|убью себя|покончить \u0441 собой|суицид|хочу умереть|"  # Russian
    r"आत्महत्या|मरना चाहत|खुद को मार"  # Hindi
)


def _visible(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(char for char in text if unicodedata.category(char) not in _HIDDEN_CATEGORIES or char in "\n\t")


def _joined(match: re.Match) -> str:
    return re.sub(r"[ .\-_*]", "", match.group())


def _lowered(text: str) -> list[str]:
    lowered = text.casefold().translate(_LOOKALIKES).replace("_", " ")
    spelled = _SPELLED_OUT.sub(_joined, lowered)
    return [lowered, spelled, _BETWEEN_WORDS.sub(" ", spelled)]


def spellings(message: str) -> list[str]:
    """``message`` as the person may have meant it, in raw form (each goes through ``normalise`` after)."""
    visible = _K_STANDIN.sub("k", _visible(message).translate(_LOOKALIKES))
    as_l = _AS_L.sub(lambda match: "l" * len(match.group()), visible)
    as_i = _AS_I.sub("i", visible)
    variants = [visible, *_lowered(visible), *_lowered(as_l), *_lowered(as_i)]
    return [variant for variant in dict.fromkeys(variants) if variant != message]


def hidden_risk(message: str) -> bool:
    """Risk that only shows once spaces and marks are gone, or in another language."""
    words = (re.sub(r"[^a-z]", "", word) for word in _visible(message).casefold().translate(_LOOKALIKES).split())
    # Scripts such as Devanagari write vowels as combining marks: the raw text keeps them.
    return bool(
        FOREIGN_RISK.search(unicodedata.normalize("NFKC", message).casefold()) or any(map(COMPACT_RISK.search, words))
    )
