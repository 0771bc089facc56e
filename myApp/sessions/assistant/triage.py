"""Which path answers a chat message: risk, wellbeing, skill, small talk, memory or off-topic.

Rule-based on purpose: it runs on every message before any backend, offline, in microseconds, and
every decision can be read and argued with (``triage_rules.py`` for risk, ``triage_topics.py`` for the
rest). Its limits are measured in ``tests/test_chat_triage.py``: all of the labelled set, but only about
half of risk messages worded in ways the rules were not written from. The order is the policy:

1. **risk**: self-harm, suicide, abuse or violence against the person, or urges to hurt others. Nothing
   outranks it: "Hi! what's the point anymore" is risk, not small talk. Everyday readings ("hurt
   myself playing football", "a talk on suicide prevention") are removed first; a message that
   mentions risk only to deny it ("I'm not suicidal") is not risk, and is answered as wellbeing.
2. **memory**: the person asks about earlier in this conversation ("what is my name?").
3. **skill** when a feeling comes with a request about speaking or the course ("I'm nervous, how do
   I open my talk?"): the answer comes from the lessons and still offers the guided module.
4. **wellbeing**: a feeling (not negated: "I'm not anxious about it" is no feeling), sleep, stress,
   loneliness, or asking to check in.
5. **small talk**: greetings, thanks, questions about the assistant, good news ("my talk went well"), a
   feeling named only to deny it ("I'm not anxious about it any more").
6. **skill**: anything about speaking, presenting or the platform's courses and lessons.
7. **off-topic**: everything else.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from myApp.sessions.assistant import triage_rules as rules
from myApp.sessions.assistant import triage_topics as topics
from myApp.sessions.assistant.spellings import hidden_risk, spellings
from myApp.sessions.assistant.text import normalise


class Label(StrEnum):
    RISK = "risk"
    WELLBEING = "wellbeing"
    SKILL = "skill"
    SMALL_TALK = "small_talk"
    MEMORY = "memory"
    OFF_TOPIC = "off_topic"


class Risk(StrEnum):
    """What kind of risk a message shows (stored on the message as its safety flag)."""

    SELF_HARM = "self_harm"
    ABUSE = "abuse"
    HARM_TO_OTHERS = "harm_to_others"


@dataclass(frozen=True)
class Feeling:
    word: str  # the user's own word for it, normalised ("anxious", "can not sleep")
    group: str  # triage_topics.FEELINGS's group: anxious, panic, stressed, sleep, tired, low, ...
    start: int


@dataclass(frozen=True)
class Triage:
    label: Label
    risk: Risk | None = None
    feelings: tuple[Feeling, ...] = field(default=())
    # The message spoke of risk only to deny it ("I'm not suicidal, just tired").
    risk_denied: bool = False


_RISK_RULES = (
    (Risk.SELF_HARM, rules.RISK_SELF_HARM),
    (Risk.ABUSE, rules.RISK_ABUSE),
    (Risk.HARM_TO_OTHERS, rules.RISK_HARM_OTHERS),
)


def _blank(text: str, patterns) -> str:
    """``text`` with every match of ``patterns`` replaced by a neutral token (so positions stay apart)."""
    for pattern in patterns:
        text = pattern.sub(" _ ", text)
    return text


def death_near_self(text: str) -> bool:
    """A word about dying within five words of the person themselves, in one clause (``rules.DEATH_WORDS``)."""
    tokens = rules.DEATH_IDIOMS.sub(" _ ", text).split()
    for index, token in enumerate(tokens):
        if token not in rules.DEATH_WORDS:
            continue
        start = index
        while start > 0 and tokens[start - 1] not in rules.CLAUSE_BREAK and index - start < 5:
            start -= 1
        end = index
        while end < len(tokens) - 1 and tokens[end + 1] not in rules.CLAUSE_BREAK and end - index < 5:
            end += 1
        if rules.SELF_WORDS & set(tokens[start : end + 1]):
            return True
    return False


def hidden_in_spelling(message: str) -> Risk | None:
    """Risk that shows only in another spelling of ``message`` (``spellings``): look-alike letters, stand-ins,
    letters spelled out or run together, another language."""
    for spelling in spellings(message):
        risk, _ = risk_of(normalise(spelling))
        if risk is not None:
            return risk
    return Risk.SELF_HARM if hidden_risk(message) else None


def risk_of(text: str) -> tuple[Risk | None, bool]:
    """The risk a normalised message shows, and whether it only denied one."""
    text = _blank(text, rules.RISK_EXCEPTIONS)
    if death_near_self(_blank(text, rules.RISK_DENIALS)):
        return Risk.SELF_HARM, False
    for kind, patterns in _RISK_RULES:
        if any(pattern.search(text) for pattern in patterns):
            # A denial next to another risk phrase ("not suicidal but I don't see the point anymore") is still risk.
            remainder = _blank(text, rules.RISK_DENIALS)
            if any(pattern.search(remainder) for _, group in _RISK_RULES for pattern in group):
                return kind, False
            return None, True
    return None, False


def _negated(text: str, start: int) -> bool:
    """Whether the words just before ``start`` (same clause, four at most) negate what starts there."""
    before = text[:start].split()
    window: list[str] = []
    for token in reversed(before):
        if token in rules.CLAUSE_BREAK or len(window) == 4:
            break
        window.insert(0, token)
    following = text[start:].split()[:3]
    for index, token in enumerate(window):
        if token not in topics.NEGATORS or (token == "less" and index != len(window) - 1):
            continue  # "less" negates only right before the feeling ("less anxious")
        if not topics.NOT_NEGATING.match(" ".join(window[index:] + following)):
            return True
    return False


def feelings_in(text: str) -> tuple[tuple[Feeling, ...], int]:
    """The feelings a normalised message states, in order, and how many more it named only to negate."""
    found: dict[int, Feeling] = {}
    negated: set[int] = set()
    for pattern, group in topics.FEELINGS:
        for match in pattern.finditer(text):
            start = match.start("w")
            if start in found or start in negated:
                continue
            if _negated(text, match.start()):
                negated.add(start)
            else:
                found[start] = Feeling(word=match.group("w"), group=group, start=start)
    return tuple(found[start] for start in sorted(found)), len(negated)


def _positive(text: str) -> bool:
    return any(not _negated(text, match.start()) for pattern in topics.POSITIVE for match in pattern.finditer(text))


@lru_cache(maxsize=512)  # the safety layer re-reads the last turns of the history with every message
def classify(message: str) -> Triage:
    text = normalise(message)
    risk, denied = risk_of(text)
    if risk is None:
        risk = hidden_in_spelling(message)
    if risk is not None:
        return Triage(Label.RISK, risk=risk)
    feelings, negated = feelings_in(text)
    if topics.MEMORY.search(text):
        return Triage(Label.MEMORY, feelings=feelings)
    skill = bool(topics.SKILL.search(text))
    request = bool(topics.REQUEST.search(text))
    if feelings and skill and request:
        return Triage(Label.SKILL, feelings=feelings, risk_denied=denied)
    if feelings or denied:
        return Triage(Label.WELLBEING, feelings=feelings, risk_denied=denied)
    if (_positive(text) or negated) and not request:
        return Triage(Label.SMALL_TALK)  # good news, or "I'm not anxious about it any more"
    if skill:
        return Triage(Label.SKILL)
    if topics.SMALL_TALK.search(text):
        return Triage(Label.SMALL_TALK)
    return Triage(Label.OFF_TOPIC)
