"""What the builder learns about the quest (``QuestBuilderSession.quest_context``): its declared keys,
their checks, and the questions that ask for them, in the order the builder asks them."""

import re
import unicodedata
from dataclasses import dataclass

from myApp.lib.exceptions import ServiceError
from myApp.quests.models import AgeRange, PsychologicalModule

MIN_AGE, MAX_AGE = 4, 18
LIMITS = {"interests": 500, "memory": 2000, "location": 120, "title": 200}


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
MODULE_WORDS = {
    PsychologicalModule.DBT: ("feeling", "anger", "angry", "temper", "emotion", "upset", "meltdown", "dbt"),
    PsychologicalModule.CBT: ("worry", "worries", "anxious", "anxiety", "thought", "fear", "scared", "cbt"),
    PsychologicalModule.IFS: ("part", "parts", "inner", "ifs"),
    PsychologicalModule.ACT: ("accept", "acceptance", "values", "act"),
    PsychologicalModule.NARRATIVE: ("story", "narrative", "divorce", "change", "loss"),
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
    text = plain(text)[: LIMITS[key]].strip()
    return text or None


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
        else:
            cleaned[key] = value.strip()
    if errors:
        raise ServiceError("Invalid quest context.", errors=errors)
    return cleaned


def title_for(context: dict) -> str:
    return context.get("title") or f"An adventure in {context.get('location') or 'a faraway land'}"[: LIMITS["title"]]
