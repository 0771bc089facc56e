"""Text handling for the assistant: the normal form the triage rules read, and sentence-safe trimming.

``normalise`` turns what people type into one predictable spelling, so each rule is written once:
Unicode folded (NFKC, accents and zero-width characters gone, curly apostrophes straight), lower
case, runs of one letter cut to two ("sooo" → "soo"), digits inside words read as letters ("su1cide"),
contractions and chat shorthand expanded ("can't" → "can not", "im" → "i am", "wanna" → "want to",
"kms" → "kill myself"), a few emoji read as the word they stand for, and a word one typo away from a
word the rules care about ("anxius", "myslef", "suicdal") read as that word. Punctuation stays, as
separate tokens, because the rules use clause ends ("I can't go on." is not "I can't go on stage").
"""

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'", "\uff07": "'", "\u201c": '"', "\u201d": '"'}
)
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
# A word (letters, with digits or @/$ standing in for letters), or one punctuation mark.
_TOKEN = re.compile(r"[^\W_](?:[\w@$]|'(?=[^\W\d_]))*|[.!?,;:]")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_EMOJI = {
    "😢": " sad ",
    "😭": " crying ",
    "😞": " sad ",
    "😔": " sad ",
    "☹": " sad ",
    "🙁": " sad ",
    "💔": " heartbroken ",
    "😰": " anxious ",
    "😨": " scared ",
    "😱": " scared ",
    "😟": " worried ",
    "😡": " angry ",
    "😠": " angry ",
    "😴": " tired ",
    "🙏": " thanks ",
    "👋": " hi ",
}
_EMOJI_PATTERN = re.compile("|".join(map(re.escape, _EMOJI)))

# One token → its expansion. Contractions with and without the apostrophe, and chat shorthand.
_EXPANSIONS = {
    "i'm": "i am",
    "im": "i am",
    "i've": "i have",
    "ive": "i have",
    "i'd": "i would",
    "i'll": "i will",
    "you're": "you are",
    "youre": "you are",
    "it's": "it is",
    "that's": "that is",
    "thats": "that is",
    "what's": "what is",
    "whats": "what is",
    "there's": "there is",
    "theres": "there is",
    "he's": "he is",
    "she's": "she is",
    "they're": "they are",
    "we're": "we are",
    "let's": "let us",
    "he'll": "he will",
    "she'll": "she will",
    "they'll": "they will",
    "he'd": "he would",
    "she'd": "she would",
    "can't": "can not",
    "cant": "can not",
    "cannot": "can not",
    "won't": "will not",
    "wont": "will not",
    "shan't": "shall not",
    "ain't": "am not",
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "isnt": "is not",
    "wasnt": "was not",
    "arent": "are not",
    "werent": "were not",
    "havent": "have not",
    "hasnt": "has not",
    "hadnt": "had not",
    "couldnt": "could not",
    "wouldnt": "would not",
    "shouldnt": "should not",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "kinda": "kind of",
    "u": "you",
    "ur": "your",
    "r": "are",
    "ppl": "people",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "rn": "right now",
    "idk": "i do not know",
    "tbh": "to be honest",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "ty": "thanks",
    "tysm": "thanks",
    "kms": "kill myself",
    "unalive": "kill",
    "kil": "kill",
    "kll": "kill",
    "wnat": "want",
    "wnt": "want",
    "wan": "want",
    "ded": "dead",
    "noone": "no one",
    "nobody's": "nobody is",
    "everyone's": "everyone is",
    "sh": "self harm",
    "od": "overdose",
}
# Words the rules match on; a token one edit (or one swap) away from one of them is read as it.
FUZZY_TARGETS = frozenset(
    """
    suicide suicidal myself himself herself themselves overdose overdosing worthless hopeless pointless
    anxious anxiety nervous stressed stress overwhelmed exhausted depressed depression lonely loneliness
    isolated panicking frightened terrified worried worrying miserable frustrated furious embarrassed insomnia
    sleeping asleep awake tired drained restless alive living anymore burden disappear presentation
    presentations audience speech speeches speaking speaker confidence confident breathing storytelling
    rehearse rehearsal practise practice microphone slides nervousness interview pronunciation remember
    earlier previous conversation abused abusive violence punches punched threatened threatens assaulted
    molested bullied hitting beating strangled choked
    """.split()  # noqa: SIM905
)
# Real words one edit away from a target (found with a dictionary when the targets were chosen):
# never "corrected", or "lovely" would read as "lonely" and "shared" as "scared".
PROTECTED = frozenset(
    """
    abased abuse abuser abuses aired alice alike aline amused assaulter audiences awaked awaken awakes aware
    awoke bating beading beaming beaning bearing beatings behaviour bellied belting berating besting betting
    bleating bleeping boating borden brained breaching brightened bulled bullies bunched bunches burdens bused
    chocked choke choker chokes chowed clive coked colour confidant confidences conversations cooked curious
    defence depresses depressions disappears diving drainer eating elides embarrasses favour fired fitting
    frustrate frustrates giving glides hatting heating hinting hired hiving homeless hunched hunches insomniac
    interviews isolate isolates jiving liking liming lining lively livings loudly loveliness lovely loving
    lunched lunches microphones mired miserably molester munched munches olive overdoes overdoing overdone
    overdosed overdoses paunches peaking pearlier pinched pinches pitting practiced practices practised
    practises precious pronunciations rained rehearsals rehearsed rehearses remembers repressed repression
    seating seeping shitting sides sired sitting sleeking sleep sleepy sleeting slices slide slider sliders
    sneaker sneaking speakers spearing specking steeping straggled strangle strangler strangles stresses
    strews suicides sullied sweeping tared terrifies threaten tided tiled timed tires trained tress tried
    wired witting worrier worries worryings wreathing
    """.split()  # noqa: SIM905
)
_DELETES_INDEX: dict[str, set[str]] = {}


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


for _target in FUZZY_TARGETS:
    for _variant in _deletes(_target) | {_target}:
        _DELETES_INDEX.setdefault(_variant, set()).add(_target)


def _one_edit_apart(a: str, b: str) -> bool:
    """Levenshtein distance 1, or one adjacent swap (optimal string alignment distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diffs) == 1 or (
            len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
        )
    shorter, longer = sorted((a, b), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


@lru_cache(maxsize=4096)
def corrected(token: str) -> str:
    """``token``, or the rule word it is one typo away from (only for words of five letters or more)."""
    if len(token) < 5 or token in FUZZY_TARGETS or token in PROTECTED or not token.isalpha():
        return token
    candidates = set(_DELETES_INDEX.get(token, ()))
    for variant in _deletes(token):
        candidates |= _DELETES_INDEX.get(variant, set())
    matches = sorted(target for target in candidates if _one_edit_apart(token, target))
    return matches[0] if len(matches) == 1 else token


def _expand(token: str) -> str:
    if token in _EXPANSIONS:
        return _EXPANSIONS[token]
    if token.endswith("n't") and len(token) > 3:
        return f"{token[:-3]} not"
    return token


def normalise(text: str) -> str:
    """``text`` in the triage rules' normal form: lower-case tokens separated by single spaces."""
    text = _EMOJI_PATTERN.sub(lambda match: _EMOJI[match.group()], text)
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).translate(_APOSTROPHES))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _INVISIBLE.sub("", text).casefold()
    # "self-harm" and "self harm", "check-in" and "check in": a hyphen between letters is a space.
    text = re.sub(r"(?<=[^\W\d_])[-\u2010\u2011\u2013\u2014/](?=[^\W\d_])", " ", text)
    text = _REPEATS.sub(r"\1\1", text)
    words = []
    for token in _TOKEN.findall(text):
        if any(char.isalpha() for char in token) and any(char in "0134570@$" for char in token):
            token = token.translate(_LEET)
        words.append(_expand(corrected(token)) if token.isalpha() else _expand(token))
    return re.sub(r"\bmy self\b", "myself", " ".join(words))


# --- Sentences --------------------------------------------------------------------------------

_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "dr.", "mr.", "mrs.", "ms.", "prof.", "approx.", "no.", "st.")
# A sentence ends at . ! or ?, with a closing quote or bracket kept on its side, before a capital.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]\u2019\u201d]))\s+(?=[\"'(\[\u2018\u201c]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """``text`` split into sentences (whitespace folded), not splitting after "e.g." and the like."""
    text = " ".join(text.split())
    if not text:
        return []
    parts, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start()].rstrip()
        if candidate.lower().endswith(_ABBREVIATIONS):
            continue
        parts.append(candidate)
        start = match.end()
    parts.append(text[start:].strip())
    return [part for part in parts if part]


def first_sentences(text: str, budget: int) -> str:
    """Whole sentences from the start of ``text`` up to ``budget`` characters (at least the first one,
    cut at a word with "…" only when that single sentence is longer than the budget)."""
    kept: list[str] = []
    for sentence in sentences(text):
        if len(" ".join([*kept, sentence])) > budget:
            break
        kept.append(sentence)
    if kept:
        return " ".join(kept)
    first = sentences(text)[0] if text.strip() else ""
    return first if len(first) <= budget else first[: budget - 1].rsplit(" ", 1)[0] + "…"
