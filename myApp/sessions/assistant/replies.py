"""The fixed words of the safety layer: the crisis response and the wellbeing reply.

Written once and reviewed here, not generated: a person at risk gets the same calm text whichever
backend is configured, with the helplines the operator set (``CRISIS_HELPLINES``). A wellbeing message
gets a reply that reflects the feeling in the person's own word where it reads naturally, and offers
the guided module that fits it, never a lesson excerpt.
"""

from django.conf import settings

from myApp.sessions.assistant.triage import Feeling, Risk, Triage
from myApp.sessions.models import WellbeingModule

SAFETY_MODEL = "safety-layer"

_CRISIS_OPENING = {
    Risk.SELF_HARM: (
        "I'm really glad you told me, and I'm sorry you're going through this. You deserve support right now, "
        "and you don't have to face it alone."
    ),
    Risk.ABUSE: (
        "Thank you for telling me. What you describe is not okay and it is not your fault. You deserve to be safe."
    ),
    Risk.HARM_TO_OTHERS: (
        "Thank you for telling me. Thoughts about hurting someone can be frightening, and reaching out is the "
        "right thing to do."
    ),
}
_CRISIS_HELP = "I'm an automated coach, so I can't give you the help you need with this, but there are people who can:"
_CRISIS_CLOSING = (
    "If you can, tell someone you trust how you are feeling, or stay near someone while you reach out. "
    "I'm still here if you want to keep talking."
)


def helpline_lines() -> list[str]:
    return [f"• {line}" for line in settings.CRISIS_HELPLINES]


def crisis_answer(risk: Risk) -> str:
    return "\n\n".join([_CRISIS_OPENING[risk], "\n".join([_CRISIS_HELP, *helpline_lines()]), _CRISIS_CLOSING])


# --- Wellbeing ------------------------------------------------------------------------------

GROUP_MODULE = {
    "anxious": WellbeingModule.BREATHING,
    "panic": WellbeingModule.BREATHING,
    "stressed": WellbeingModule.BREATHING,
    "sleep": WellbeingModule.BREATHING,
    "tired": WellbeingModule.QUICK_ASSESSMENT,
    "check_in": WellbeingModule.QUICK_ASSESSMENT,
    "low": WellbeingModule.EMOTION_LABELING,
    "lonely": WellbeingModule.EMOTION_LABELING,
    "angry": WellbeingModule.EMOTION_LABELING,
    "grief": WellbeingModule.EMOTION_LABELING,
    "support": WellbeingModule.EMOTION_LABELING,
    "wordless": WellbeingModule.INNER_DOODLING,
}
# Groups whose reply also says where to find people who can help.
SUPPORT_GROUPS = frozenset(["low", "support"])
# Words that read well in "you're feeling ___"; anything else is reflected with the group's own word.
_ADJECTIVES = {
    "anxious": "anxious",
    "anxiety": "anxious",
    "nervous": "nervous",
    "nervousness": "nervous",
    "worried": "worried",
    "worrying": "worried",
    "worries": "worried",
    "worry": "worried",
    "scared": "scared",
    "afraid": "afraid",
    "frightened": "frightened",
    "terrified": "terrified",
    "fear": "afraid",
    "fearful": "afraid",
    "tense": "tense",
    "uneasy": "uneasy",
    "on edge": "on edge",
    "stressed": "stressed",
    "stress": "stressed",
    "stressful": "stressed",
    "stressing": "stressed",
    "overwhelmed": "overwhelmed",
    "overwhelming": "overwhelmed",
    "too much": "overwhelmed",
    "under pressure": "under pressure",
    "sad": "sad",
    "sadness": "sad",
    "depressed": "really low",
    "depression": "really low",
    "unhappy": "unhappy",
    "miserable": "miserable",
    "hopeless": "hopeless",
    "empty": "empty",
    "numb": "numb",
    "down": "down",
    "low": "low",
    "worthless": "worthless",
    "like a failure": "like a failure",
    "lonely": "lonely",
    "loneliness": "lonely",
    "alone": "alone",
    "isolated": "isolated",
    "left out": "left out",
    "homesick": "homesick",
    "angry": "angry",
    "anger": "angry",
    "furious": "furious",
    "frustrated": "frustrated",
    "frustration": "frustrated",
    "frustrating": "frustrated",
    "annoyed": "annoyed",
    "upset": "upset",
    "embarrassed": "embarrassed",
    "embarrassment": "embarrassed",
    "ashamed": "ashamed",
    "shame": "ashamed",
    "guilty": "guilty",
    "jealous": "jealous",
    "exhausted": "exhausted",
    "drained": "drained",
    "burnt out": "burnt out",
    "burned out": "burnt out",
    "tired": "tired",
}
_REFLECTION = {
    "anxious": ("It sounds like you're feeling {adj}, and that can be really uncomfortable.", "anxious"),
    "panic": ("That sounds frightening. Panic can make your whole body feel out of control, and it does pass.", ""),
    "stressed": ("It sounds like you're feeling {adj}, with a lot on your plate right now.", "stressed"),
    "sleep": ("Not sleeping well is exhausting, and it makes everything else feel harder.", ""),
    "tired": ("It sounds like you're feeling {adj}, and running on empty is hard.", "worn out"),
    "low": ("I'm sorry you're feeling {adj}. That sounds heavy, and it's okay to say so.", "low"),
    "grief": ("I'm so sorry for your loss. Grief comes in waves, and there's no right way to feel.", ""),
    "lonely": ("Feeling {adj} is really hard, and I'm glad you told me.", "lonely"),
    "angry": (
        "It sounds like you're feeling {adj}, and that makes sense when things don't go the way you hoped.",
        "upset",
    ),
    "wordless": ("Sometimes feelings are hard to put into words, and that's okay.", ""),
    "check_in": ("Checking in with yourself is a good habit.", ""),
    "support": ("I'm here, and I'm glad you reached out.", ""),
}
# A second feeling, said briefly after the first one's reflection.
_ALSO = {
    "anxious": "Feeling anxious on top of that is a lot.",
    "panic": "Panic on top of that is a lot to carry.",
    "stressed": "Having so much on your plate doesn't help.",
    "sleep": "Not sleeping well on top of that makes everything harder.",
    "tired": "Being this tired makes it all heavier.",
    "low": "Feeling low on top of that is a lot.",
    "lonely": "Feeling alone with it makes it harder.",
    "angry": "It makes sense to feel upset about it too.",
}
_INVITATION = {
    WellbeingModule.BREATHING: (
        "Would you like to try the Breathing exercise? Following a slow pace for a few breaths, with a longer "
        "breath out, can settle a racing body. You'll find it under Guided exercises."
    ),
    WellbeingModule.EMOTION_LABELING: (
        "It can help to name what you're feeling: the Mood check-in takes a minute, and you can add a note if you like."
    ),
    WellbeingModule.INNER_DOODLING: (
        "When words are hard, the Doodle pad is there: draw whatever comes, no skill needed."
    ),
    WellbeingModule.QUICK_ASSESSMENT: (
        "The Quick self-check (ten short statements about your past week) can show how you've been doing."
    ),
}
_SLEEP_INVITATION = (
    "A few minutes of slow breathing before bed can help your body wind down: the Breathing exercise under "
    "Guided exercises walks you through it."
)
_SUPPORT = "If things ever feel unsafe or too much, people can help any time:"
# After a reply to a message about the person that the triage did not recognise: rules catch about half of
# risk disclosures worded in new ways (tests/test_chat_triage.py), so such a message is never answered
# without a door to help.
_UNRECOGNISED_CHECK_IN = (
    "I may not have understood what you meant. If you're going through something hard, you can tell me how "
    "you feel. If you are not safe or are thinking about hurting yourself or someone else, please reach out now:"
)
_CLOSING = "I'm here if you want to tell me more."


def module_for(feelings: tuple[Feeling, ...]) -> str | None:
    """The guided module that fits: a check-in or a wordless feeling if named, else the first feeling's."""
    groups = [feeling.group for feeling in feelings]
    for preferred in ("check_in", "wordless"):
        if preferred in groups:
            return GROUP_MODULE[preferred]
    return GROUP_MODULE[groups[0]] if groups else None


def invitation(module: str, feelings: tuple[Feeling, ...] = ()) -> str:
    if module == WellbeingModule.BREATHING and feelings and feelings[0].group == "sleep":
        return _SLEEP_INVITATION
    return _INVITATION[module]


def _reflection(feelings: tuple[Feeling, ...]) -> list[str]:
    if not feelings:
        return ["Thank you for telling me how things are."]
    first = feelings[0]
    template, default = _REFLECTION[first.group]
    said = [template.format(adj=_ADJECTIVES.get(first.word, default) if default else "")]
    second = next((f for f in feelings[1:] if f.group != first.group and f.group in _ALSO), None)
    if second is not None:
        said.append(_ALSO[second.group])
    return said


def unrecognised_check_in() -> str:
    return "\n".join([_UNRECOGNISED_CHECK_IN, *helpline_lines()])


def wellbeing_answer(triage: Triage, *, recent_risk: bool = False) -> tuple[str, str]:
    """The reply to a wellbeing message and the module it offers (emotion labelling when it named none)."""
    module = module_for(triage.feelings) or WellbeingModule.EMOTION_LABELING
    paragraphs = [" ".join(_reflection(triage.feelings)), invitation(module, triage.feelings)]
    groups = {feeling.group for feeling in triage.feelings}
    if recent_risk or triage.risk_denied or groups & SUPPORT_GROUPS:
        paragraphs.append("\n".join([_SUPPORT, *helpline_lines()]))
    paragraphs.append(_CLOSING)
    return "\n\n".join(paragraphs), module
