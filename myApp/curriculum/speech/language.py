"""What the transcript of a talk tells: pace, filler words, repeated words and hedges.

Offsets (``start``/``end``) are character offsets into the transcript exactly as given (``transcript[start:end]``
is the text found). Words are runs of letters and digits, with inner apostrophes (``don't``, ``I'm``).
Matching ignores case.

Pace: ``words_per_minute`` is the word count over the speaking time (the audio's speech, pauses excluded), so a
long pause does not make a talk look slow; None without a speaking time or without words.

Fillers (``fillers``, ``filler_count``, ``fillers_per_minute`` over speaking time):
- always: um, uh, er, erm, ah, hmm (and drawn-out spellings: umm, uhh, hmmm), basically, actually, literally;
- "you know", unless it asks or states a knowing: never after do/did/does/don't/didn't/if/as/what/how/would/will/
  can/could/should/whether/that/now/why/where/when/who/let ("do you know", "as you know, ...") unless a comma
  comes between ("we should, you know, start" is a filler), nor before
  that/what/how/why/where/when/who/whether/it/him/her/them/me/us/this/the/a/an/about/everything/nothing/something/
  anything ("you know the answer") unless a comma or a sentence end comes first;
- "I mean", when followed by a comma or a sentence end, or at a clause start not followed by it/that/to/what/you/
  this/him/her/them, and never after what/that/which/how/if/whatever ("I mean it" and "what I mean is" are
  meanings, not fillers);
- "like", when set off by a comma ("it was, like, huge"; "like, I said"), or followed by an intensifier or another
  filler ("like really hard", "like um"); never after would/'d/should/could/might/will/do/does/did/don't/didn't/
  to or a subject pronoun ("I like pizza", "would like"), nor after look/sound/feel/seem/just/much/more/exactly/
  something/nothing/anything ("looks like rain");
- "so", only at a clause start (the start of the transcript, after . ! ? ; : or a line break, or right after
  another filler), and not before much/many/far/long/few/little/that ("So many people came" is no filler).
Hedges (``hedges``, ``hedge_count``): "kind of"/"sort of"/kinda/sorta (not after what/this/that/the/a/an/any/
every/some/which/same/one/each/these/those/another/no, where "kind" is a noun: "what kind of talk"), "I think",
"I guess", "I suppose", "maybe", "perhaps", "probably", "a little bit", "somewhat".
Repeats (``repeats``): the same word twice or more in a row with only spaces between ("the the"), one entry per
run; "had had" and "that that" are grammar, not stumbles.

Word timings: when the transcription gave them (``words``: [{"word", "start", "end"}, ...] in seconds), a filler's
``time`` is the start of its first word, found by matching the transcript's words in order to the timed words;
otherwise (or when no timed word matches) ``time`` is None.
"""

import re
from dataclasses import dataclass

WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
CLAUSE_END = re.compile(r"[.!?;:\n]")
SENTENCE_END = re.compile(r"[.!?;:\n]")

ALWAYS_FILLERS = re.compile(r"u+m+|u+h+|e+r+|e+r+m+|a+h+|h+m+|basically|actually|literally")
INTENSIFIERS = {"really", "so", "totally", "super", "very", "literally", "basically", "actually", "just", "um", "uh"}
LIKE_VERB_BEFORE = {
    "would", "'d", "should", "could", "might", "will", "do", "does", "did", "don't", "didn't", "doesn't", "to",
    "i", "you", "we", "they", "he", "she", "i'd", "you'd", "we'd", "they'd", "he'd", "she'd", "who", "people",
    "look", "looks", "looked", "looking", "sound", "sounds", "sounded", "feel", "feels", "felt", "seem", "seems",
    "seemed", "just", "much", "more", "exactly", "something", "nothing", "anything", "things", "not",
}  # fmt: skip
YOU_KNOW_BEFORE = {
    "do", "did", "does", "don't", "didn't", "doesn't", "if", "as", "what", "how", "would", "will", "can", "could",
    "should", "whether", "that", "now", "why", "where", "when", "who", "let",
}  # fmt: skip
YOU_KNOW_AFTER = {
    "that", "what", "how", "why", "where", "when", "who", "whether", "it", "him", "her", "them", "me", "us", "this",
    "the", "a", "an", "about", "everything", "nothing", "something", "anything",
}  # fmt: skip
I_MEAN_AFTER = {"it", "that", "to", "what", "you", "this", "him", "her", "them", "no", "business"}
I_MEAN_NOT_AFTER = {"what", "that", "which", "how", "if", "whatever"}
SO_NOT_BEFORE = {"much", "many", "far", "long", "few", "little", "that"}
KIND_NOUN_BEFORE = {
    "what", "this", "that", "the", "a", "an", "any", "every", "some", "which", "same", "one", "each", "these",
    "those", "another", "no", "different", "right", "wrong", "other", "whatever",
}  # fmt: skip
HEDGE_PAIRS = {("i", "think"), ("i", "guess"), ("i", "suppose")}
HEDGE_WORDS = {"maybe", "perhaps", "probably", "somewhat", "kinda", "sorta"}
REPEATS_ALLOWED = {"had", "that"}


@dataclass(frozen=True)
class _Token:
    text: str  # lower case, curly apostrophes made straight
    start: int
    end: int
    before: str  # what lies between the previous word and this one (or the transcript's start)
    after: str  # what lies between this word and the next (or the transcript's end)


def _tokens(transcript: str) -> list[_Token]:
    matches = list(WORD.finditer(transcript))
    tokens: list[_Token] = []
    for index, match in enumerate(matches):
        previous_end = matches[index - 1].end() if index else 0
        next_start = matches[index + 1].start() if index + 1 < len(matches) else len(transcript)
        text = match.group().lower().replace("\u2019", "'")
        before, after = transcript[previous_end : match.start()], transcript[match.end() : next_start]
        tokens.append(_Token(text, match.start(), match.end(), before, after))
    return tokens


def _word(tokens: list[_Token], index: int) -> str:
    return tokens[index].text if 0 <= index < len(tokens) else ""


def _clause_start(tokens: list[_Token], index: int) -> bool:
    return index == 0 or bool(CLAUSE_END.search(tokens[index].before))


def _comma_or_end_after(tokens: list[_Token], index: int) -> bool:
    after = tokens[index].after
    return index == len(tokens) - 1 or "," in after or bool(SENTENCE_END.search(after))


def _fillers(tokens: list[_Token]) -> list[tuple[int, int]]:
    """(first token, last token) of each filler, in order."""
    found: list[tuple[int, int]] = []
    index = 0
    while index < len(tokens):
        word, nxt, prev = tokens[index].text, _word(tokens, index + 1), _word(tokens, index - 1)
        span = None
        if ALWAYS_FILLERS.fullmatch(word):
            span = (index, index)
        elif word == "you" and nxt == "know" and (prev not in YOU_KNOW_BEFORE or "," in tokens[index].before):
            if _comma_or_end_after(tokens, index + 1) or _word(tokens, index + 2) not in YOU_KNOW_AFTER:
                span = (index, index + 1)
        elif word == "i" and nxt == "mean" and prev not in I_MEAN_NOT_AFTER:
            after = _word(tokens, index + 2)
            if _comma_or_end_after(tokens, index + 1) or (_clause_start(tokens, index) and after not in I_MEAN_AFTER):
                span = (index, index + 1)
        elif word == "like" and prev not in LIKE_VERB_BEFORE:
            token = tokens[index]
            set_off = "," in token.after or (index > 0 and "," in token.before)
            if set_off or nxt in INTENSIFIERS or ALWAYS_FILLERS.fullmatch(nxt or "-"):
                span = (index, index)
        elif word == "so" and nxt not in SO_NOT_BEFORE:
            after_filler = bool(found) and found[-1][1] == index - 1
            if _clause_start(tokens, index) or after_filler:
                span = (index, index)
        if span is not None:
            found.append(span)
            index = span[1] + 1
        else:
            index += 1
    return found


def _hedges(tokens: list[_Token]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        word, nxt = token.text, _word(tokens, index + 1)
        kind_of = word in ("kind", "sort") and nxt == "of" and _word(tokens, index - 1) not in KIND_NOUN_BEFORE
        if kind_of or (word, nxt) in HEDGE_PAIRS:
            found.append((index, index + 1))
        elif word == "a" and nxt == "little" and _word(tokens, index + 2) == "bit":
            found.append((index, index + 2))
        elif word in HEDGE_WORDS:
            found.append((index, index))
    return found


def _repeats(tokens: list[_Token]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    index = 0
    while index < len(tokens) - 1:
        last = index
        while (
            last + 1 < len(tokens)
            and tokens[last + 1].text == tokens[index].text
            and not tokens[last + 1].before.strip()
            and tokens[index].text not in REPEATS_ALLOWED
        ):
            last += 1
        if last > index:
            found.append((index, last))
        index = last + 1
    return found


def _normal(word: str) -> str:
    return "".join(part for part in WORD.findall(str(word).lower().replace("\u2019", "'")))


def _align(tokens: list[_Token], words: list[dict], lookahead: int = 4) -> list[float | None]:
    """Each token's start time from the timed words, matched in order (a timed word may be skipped or split)."""
    times: list[float | None] = [None] * len(tokens)
    timed = [(_normal(item.get("word", "")), item.get("start")) for item in words if isinstance(item, dict)]
    position = 0
    for index, token in enumerate(tokens):
        target = _normal(token.text)
        for candidate in range(position, min(position + lookahead, len(timed))):
            if timed[candidate][0] == target:
                start = timed[candidate][1]
                times[index] = round(float(start), 2) if isinstance(start, int | float) else None
                position = candidate + 1
                break
    return times


def _per_minute(count: int, seconds: float | None) -> float | None:
    if not seconds or seconds <= 0:
        return None
    return round(count / (seconds / 60), 2)


def measure(transcript: str, *, speaking_seconds: float | None, words: list[dict] | None = None) -> dict:
    """The transcript's measures (see the module's docstring for every rule)."""
    tokens = _tokens(transcript or "")
    times = _align(tokens, words) if words else [None] * len(tokens)

    def entry(first: int, last: int) -> dict:
        start, end = tokens[first].start, tokens[last].end
        return {"text": transcript[start:end], "start": start, "end": end}

    fillers = [{**entry(first, last), "time": times[first]} for first, last in _fillers(tokens)]
    hedges = [entry(first, last) for first, last in _hedges(tokens)]
    return {
        "word_count": len(tokens),
        "words_per_minute": _per_minute(len(tokens), speaking_seconds) if tokens else None,
        "fillers": fillers,
        "filler_count": len(fillers),
        "fillers_per_minute": _per_minute(len(fillers), speaking_seconds),
        "repeats": [entry(first, last) for first, last in _repeats(tokens)],
        "hedges": hedges,
        "hedge_count": len(hedges),
    }
