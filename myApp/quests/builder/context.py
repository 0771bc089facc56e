"""What the builder learns about the quest (``QuestBuilderSession.quest_context``): its declared keys,
their checks, and the questions that ask for them, in the order the builder asks them."""

import re
import unicodedata
from dataclasses import dataclass

from myApp.lib.exceptions import ServiceError
from myApp.quests.models import AgeRange, PsychologicalModule
from myApp.quests.text_rules import one_line, one_line_problem

MIN_AGE, MAX_AGE = 4, 18
LIMITS = {"interests": 500, "memory": 2000, "location": 120, "title": 200}
# What becomes the quest's title or location, one line in the marketplace (``text_rules``).
ONE_LINE_KEYS = frozenset({"location", "title"})


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    stage: str  # the stage in which the builder asks it


MODULE_HINTS = (
    "big feelings (DBT), worries and thoughts (CBT), the different parts of us (IFS), "
    "accepting what is hard (ACT), telling their own story (Narrative), calm attention (Mindfulness) "
    "or play (Play)"
)

QUESTIONS = (
    Question("child_age", "How old is your child?", "collecting_info"),
    Question("interests", "What does your child love? Animals, football, dragons, drawing ...", "collecting_info"),
    Question(
        "memory",
        "Tell me a happy memory you share with your child. The quest will be built around it.",
        "collecting_info",
    ),
    Question(
        "psychological_module",
        f"What should the quest help with? For example {MODULE_HINTS}.",
        "clarifying",
    ),
    Question("location", "Where should the quest take place? A forest, a castle, the seaside ...", "clarifying"),
)
KEYS = frozenset(question.key for question in QUESTIONS) | {"title"}

# Words a parent may use for each therapeutic aim (the module's own name works too).
# The examples in MODULE_HINTS must be understood word for word ("big feelings", "accepting what is hard").
MODULE_WORDS = {
    PsychologicalModule.DBT: (
        "feeling",
        "feelings",
        "anger",
        "angry",
        "temper",
        "emotion",
        "emotions",
        "upset",
        "meltdown",
        "dbt",
    ),
    PsychologicalModule.CBT: (
        "worry",
        "worries",
        "worried",
        "anxious",
        "anxiety",
        "thought",
        "thoughts",
        "fear",
        "fears",
        "scared",
        "cbt",
    ),
    PsychologicalModule.IFS: ("part", "parts", "inner", "ifs"),
    PsychologicalModule.ACT: ("accept", "accepting", "acceptance", "values", "act"),
    PsychologicalModule.NARRATIVE: ("story", "stories", "narrative", "divorce", "change", "loss"),
    PsychologicalModule.MINDFULNESS: ("calm", "mindful", "mindfulness", "breath", "breathing", "focus", "sleep"),
    PsychologicalModule.PLAY: ("play", "game", "fun"),
}


def plain(text: str) -> str:
    """``text`` without what a quest graph refuses: control characters (but newline and tab), NUL and
    lone surrogates."""
    return "".join(char for char in text if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cs")).strip()


def next_question(context: dict) -> Question | None:
    return next((question for question in QUESTIONS if question.key not in context), None)


def age_range(age: int) -> str:
    for choice in AgeRange.values:
        low, high = (int(part) for part in choice.split("-"))
        if low <= age <= high:
            return choice
    raise ValueError(age)


# Words that acknowledge or fill a turn without answering anything ("ok", "looks good", "not sure"): a
# reply made only of these is no interest, memory or place, however politely it is meant.
FILLER_WORDS = frozenset(
    [
        "ok",
        "okay",
        "k",
        "yes",
        "yeah",
        "yep",
        "yup",
        "ya",
        "no",
        "nope",
        "nah",
        "sure",
        "fine",
        "good",
        "great",
        "nice",
        "cool",
        "perfect",
        "lovely",
        "awesome",
        "alright",
        "right",
        "correct",
        "looks",
        "look",
        "seems",
        "sounds",
        "it",
        "its",
        "it's",
        "that",
        "that's",
        "thats",
        "is",
        "all",
        "very",
        "so",
        "really",
        "thanks",
        "thank",
        "you",
        "ty",
        "cheers",
        "please",
        "hi",
        "hello",
        "hey",
        "hmm",
        "hm",
        "um",
        "umm",
        "uh",
        "er",
        "erm",
        "well",
        "idk",
        "dunno",
        "don't",
        "dont",
        "know",
        "not",
        "sure",
        "maybe",
        "perhaps",
        "whatever",
        "anything",
        "nothing",
        "something",
        "continue",
        "next",
        "skip",
        "go",
        "on",
        "ahead",
        "done",
        # "I don't know", "n/a", "none", "you decide", "can you choose", "let me think" (a new user's answers)
        "i",
        "n",
        "a",
        "none",
        "unsure",
        "decide",
        "choose",
        "pick",
        "can",
        "could",
        "let",
        "me",
        "think",
        "lol",
        "any",
        "whichever",
        "pass",
    ]
)
# An age given where something else was asked ("She is 8", "8 years old").
AGE_WORDS = frozenset(
    [
        "she",
        "he",
        "they",
        "is",
        "s",
        "is's",
        "are",
        "my",
        "child",
        "son",
        "daughter",
        "kid",
        "aged",
        "age",
        "years",
        "year",
        "old",
    ]
)
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# A message that asks to change something instead of answering ("no, change the age", "wait, go back", "fix the
# title"): an imperative at its start, followed by something that can be changed. "Change her fears about school"
# (an aim) and "go back in time to the age of dinosaurs" (a place) are answers (attack review).
# What a change request names: an answer the builder asked for, or the builder's own words ("the title").
_CHANGE_TARGETS = (
    r"(?:age|interests?|hobby|hobbies|memory|aim|module|approach|place|location|setting|title|name|answers?"
    r"|question|previous one|last one)"
)
CHANGE_REQUEST = re.compile(
    r"^\W*(?:(?:no|nope|wait|actually|sorry|oops|hang on|please)\b\W*)*"
    r"(?:go back(?:\W*$|\s+to\s+(?:the\s+)?" + _CHANGE_TARGETS + r"\b)"  # "go back" alone, or to a target
    r"|(?:change|edit|fix|correct|undo|redo|rename)\s+(?:(?:the|my|her|his|its|that|this)\s+)?"
    + _CHANGE_TARGETS
    + r"\b"
    r"|(?:change|edit|fix|correct|undo|redo)\s+(?:that|it|this)\W*$)",  # "change that", and nothing more
    re.IGNORECASE,
)
# Rows of a keyboard: four keys in a row along one ("asdf", "lkjh") is a hand on the keys, not a word.
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_MASHED_RUN = 4


def _mashed(word: str) -> bool:
    """A word no one writes as an answer: no vowel (and long enough to be no "hm"), one letter three times
    running, or opening with four keys in a row along a keyboard row. Only words in plain Latin letters are judged
    (the vowels and keyboard rows are English ones: "Кошки" or "Bjørn" is an answer)."""
    if not word.isascii():
        return False
    if len(word) >= 4 and not re.search(r"[aeiouy]", word):
        return True
    if re.search(r"(.)\1\1", word):
        return True
    # The run opens the word: inside one it is part of a word ("Liberty", "Property Brothers": attack review).
    start = word[:_MASHED_RUN]
    return len(start) == _MASHED_RUN and any(start in row or start in row[::-1] for row in _KEY_ROWS)


def asks_to_change(message: str) -> bool:
    """Whether a message asks to change or go back rather than answer the question."""
    return bool(CHANGE_REQUEST.match(plain(message)))


def problem_with(key: str, message: str) -> str:
    """Why a chat message is no answer to the free-text question for ``key`` (an empty string when it is
    one): nothing written, only an acknowledgement, a question back, or no words at all."""
    text = plain(message)
    if not text:
        return "I did not get an answer there."
    words = WORD.findall(text.lower())
    if not words:
        return "That does not look like an answer to my question."
    if text.rstrip().endswith("?"):
        return "Good question: I am asking so the quest can be built around your child."
    if all(word in FILLER_WORDS for word in words):
        return "Thank you, but I still need your answer to this question."
    if len(words) <= 2 and any(_mashed(word) for word in words if word not in FILLER_WORDS):
        return "That does not look like an answer to my question."
    if re.search(r"\d", text) and all(word in AGE_WORDS | FILLER_WORDS for word in words):
        return "That sounds like your child's age, which I already have."
    return ""


def parse_answer(key: str, message: str) -> object | None:
    """The answer a chat message gives to the question for ``key``, or None when it gives none."""
    text = message.strip()
    if key == "child_age":
        match = re.search(r"\b(\d{1,2})\b", text)
        age = int(match.group(1)) if match else None
        return age if age is not None and MIN_AGE <= age <= MAX_AGE else None
    if key == "psychological_module":
        lowered = text.lower()
        for module in PsychologicalModule:
            if lowered in (module.value.lower(), module.label.lower()):
                return module.value
        words = set(re.findall(r"[a-z]+", lowered))
        for module, hints in MODULE_WORDS.items():
            if words & set(hints):
                return module.value
        return None
    if problem_with(key, text):
        return None
    text = one_line(text) if key in ONE_LINE_KEYS else plain(text)
    return text[: LIMITS[key]].strip() or None


# What a parent names when a summarised answer is wrong ("the place is wrong", "change the age").
CORRECTION_WORDS = {
    "child_age": ("age", "old", "years"),
    "interests": ("interest", "interests", "loves", "hobby", "hobbies"),
    "memory": ("memory", "remember", "memories"),
    "psychological_module": ("aim", "module", "approach", "therapy"),
    "location": ("place", "location", "where", "setting", "takes", "world"),
}
LABELS = {
    "child_age": "Age",
    "interests": "Loves",
    "memory": "The memory",
    "psychological_module": "Help with",
    "location": "Takes place in",
}


def named_for_correction(message: str) -> list[str]:
    """The context keys a message asks to change, in question order."""
    words = set(WORD.findall(message.lower()))
    return [question.key for question in QUESTIONS if words & set(CORRECTION_WORDS[question.key])]


def summary(context: dict) -> str:
    """What the builder understood, one line per answer, for the parent to confirm before it builds."""
    lines = []
    for question in QUESTIONS:
        value = context.get(question.key)
        if question.key == "psychological_module" and value in PsychologicalModule.values:
            value = PsychologicalModule(value).label
        lines.append(f"{LABELS[question.key]}: {value}")
    return "\n".join(lines)


def clean(changes: object) -> dict:
    """A partial context a client sends (PATCH), checked key by key; ``ServiceError`` naming the keys."""
    if not isinstance(changes, dict):
        raise ServiceError("Invalid quest context.", errors={"quest_context": ["Send an object."]})
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    for key, value in changes.items():
        name = f"quest_context.{key}"
        if key not in KEYS:
            errors[name] = [f"Unknown key; the context has {', '.join(sorted(KEYS))}."]
        elif key == "child_age":
            if isinstance(value, bool) or not isinstance(value, int) or not MIN_AGE <= value <= MAX_AGE:
                errors[name] = [f"A whole number from {MIN_AGE} to {MAX_AGE}."]
            else:
                cleaned[key] = value
        elif key == "psychological_module":
            if value not in PsychologicalModule.values:
                errors[name] = [f"One of {', '.join(PsychologicalModule.values)}."]
            else:
                cleaned[key] = value
        elif not isinstance(value, str) or not value.strip():
            errors[name] = ["Write some text."]
        elif len(value) > LIMITS[key]:
            errors[name] = [f"At most {LIMITS[key]} characters."]
        elif plain(value) != value.strip():
            errors[name] = ["Text without control characters."]
        elif key in ONE_LINE_KEYS and one_line_problem(value):
            errors[name] = [one_line_problem(value)]
        else:
            cleaned[key] = value.strip()
    if errors:
        raise ServiceError("Invalid quest context.", errors=errors)
    return cleaned


def title_for(context: dict) -> str:
    return context.get("title") or f"An adventure in {context.get('location') or 'a faraway land'}"[: LIMITS["title"]]
