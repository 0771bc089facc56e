"""The local builder's quest: a template graph filled from the parent's answers (no model needed).

start → memory → choice → (skill | trusted person) → ending, with the reveal naming the shared memory."""

from myApp.quests.builder.context import title_for

# Per therapeutic aim: the challenge the child meets, the skill the quest practises, and the choice labels.
SKILLS = {
    "DBT": (
        "A wave of big feelings rolls in, like a storm.",
        "Ride the wave",
        "You name the feeling and let it pass like a wave, breathing slowly until the storm is quieter.",
    ),
    "CBT": (
        "A worried voice whispers that something will go wrong.",
        "Check the thought",
        "You ask the worry: is that really true? You find three things that show you can cope.",
    ),
    "IFS": (
        "A small part of you wants to hide, and another part wants to be brave.",
        "Listen to each part",
        "You thank the hiding part for keeping you safe and let the brave part lead for a while.",
    ),
    "ACT": (
        "Something hard is here and it will not go away just now.",
        "Make room for it",
        "You let the hard feeling sit beside you and still take one step towards what matters to you.",
    ),
    "NARRATIVE": (
        "The map of your story has a torn page.",
        "Tell your story",
        "You draw the missing page yourself: what happened, and what you did to get through it.",
    ),
    "MINDFULNESS": (
        "Everything is rushing and noisy.",
        "Notice five things",
        "You notice five things you see, four you hear, three you can touch, and your breath slows down.",
    ),
    "PLAY": (
        "A puzzle blocks the path.",
        "Play it out",
        "You turn the puzzle into a game and find the answer by trying, laughing and trying again.",
    ),
}
DEFAULT_SKILL = SKILLS["MINDFULNESS"]


def template_graph(context: dict) -> dict:
    location = context.get("location") or "a faraway land"
    interests = context.get("interests") or "the things you love"
    memory = context.get("memory") or "a day you spent together"
    challenge, skill_title, skill_text = SKILLS.get(context.get("psychological_module", ""), DEFAULT_SKILL)
    simple = int(context.get("child_age") or 10) <= 6
    return {
        "nodes": [
            {
                "id": "start",
                "type": "start",
                "title": title_for(context),
                "text": f"You arrive in {location}. Everywhere you look there is something about {interests}.",
            },
            {
                "id": "memory",
                "type": "scene",
                "title": "A warm memory",
                "text": f"A picture floats by and you remember: {memory}",
            },
            {"id": "challenge", "type": "choice", "title": "What now?", "text": challenge},
            {"id": "skill", "type": "scene", "title": skill_title, "text": skill_text},
            {
                "id": "helper",
                "type": "scene",
                "title": "Ask for help",
                "text": "You find someone you trust and tell them how you feel. Together it is easier."
                if not simple
                else "You find a grown-up you love and hold their hand.",
            },
            {
                "id": "end",
                "type": "ending",
                "title": "Home again",
                "text": f"You leave {location} feeling stronger than before.",
                "reveal": f"This quest was made for you by your parent, who remembers: {memory}",
            },
        ],
        "edges": [
            {"id": "e1", "source": "start", "target": "memory", "label": "Look around"},
            {"id": "e2", "source": "memory", "target": "challenge", "label": "Walk on"},
            {"id": "e3", "source": "challenge", "target": "skill", "label": skill_title},
            {"id": "e4", "source": "challenge", "target": "helper", "label": "Ask for help"},
            {"id": "e5", "source": "skill", "target": "end", "label": "Go home"},
            {"id": "e6", "source": "helper", "target": "end", "label": "Go home together"},
        ],
    }
