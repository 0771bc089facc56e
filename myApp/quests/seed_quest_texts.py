"""The demo quests' words: quests a parent wrote to do together with a child, with the psychologist's
review of each. Read by ``seeds_quests``; the graphs are validated by ``services.quest_create``."""

from dataclasses import dataclass

APPROVING_SCORES = (
    ("emotional_safety_score", 5),
    ("therapeutic_correctness_score", 4),
    ("age_appropriateness_score", 5),
    ("reveal_timing_score", 4),
)


@dataclass(frozen=True)
class DemoQuest:
    title: str
    module: str
    age_range: str
    location: str
    graph: dict
    # approved, rejected, pending (reviewed, awaiting the decision) or waiting (submitted, no review yet)
    verdict: str = "approved"
    scores: tuple[tuple[str, int], ...] = APPROVING_SCORES
    strengths: str = ""
    concerns: str = ""
    recommendations: str = ""


def _node(node_id: str, node_type: str, title: str, text: str = "", reveal: str = "") -> dict:
    return {"id": node_id, "type": node_type, "title": title, "text": text, "reveal": reveal}


def _edge(edge_id: str, source: str, target: str, label: str) -> dict:
    return {"id": edge_id, "source": source, "target": target, "label": label}


def _two_paths(start, left, right, left_on, right_on, ending_left, ending_right, labels) -> dict:
    """start → (left | right) → (left_on | right_on) → two endings: e1..e6."""
    return {
        "nodes": [
            _node("start", "start", *start),
            _node("left", "choice", *left),
            _node("right", "choice", *right),
            _node("left_on", "scene", *left_on),
            _node("right_on", "scene", *right_on),
            _node("end_left", "ending", *ending_left),
            _node("end_right", "ending", *ending_right),
        ],
        "edges": [
            _edge("e1", "start", "left", labels[0]),
            _edge("e2", "start", "right", labels[1]),
            _edge("e3", "left", "left_on", labels[2]),
            _edge("e4", "right", "right_on", labels[3]),
            _edge("e5", "left_on", "end_left", labels[4]),
            _edge("e6", "right_on", "end_right", labels[5]),
        ],
    }


def _one_ending(start, left, right, ending, labels) -> dict:
    """start → (left | right) → one ending: e1..e4."""
    return {
        "nodes": [
            _node("start", "start", *start),
            _node("left", "scene", *left),
            _node("right", "scene", *right),
            _node("end", "ending", *ending),
        ],
        "edges": [
            _edge("e1", "start", "left", labels[0]),
            _edge("e2", "start", "right", labels[1]),
            _edge("e3", "left", "end", labels[2]),
            _edge("e4", "right", "end", labels[3]),
        ],
    }


COUNCIL = _two_paths(
    (
        "The council of helpers",
        "Sit somewhere cosy together. Inside everyone live little helpers: parts of us that worry, that "
        "want to play, that want to keep us safe. Today you will meet two of yours. Who knocks first?",
    ),
    ("The worried helper", "A small helper with a big hat says: 'What if it goes wrong?' How do you greet it?"),
    ("The playful helper", "A bouncy helper says: 'Let's do something fun!' What do you ask it?"),
    (
        "Listening",
        "Ask the worried helper what it is trying to protect you from. Your grown-up writes the answer down. "
        "Thank the helper: it has been working hard for you.",
    ),
    (
        "Playing",
        "Ask the playful helper to choose a game for the two of you, for five minutes. Play it together, "
        "then notice how your body feels.",
    ),
    (
        "Home base",
        "The worried helper takes off its big hat and sits down to rest beside you.",
        "Mum wrote this quest for you. She wants you to know that every helper inside you is welcome, the "
        "worried ones too, and that you can always bring them to her.",
    ),
    (
        "Home base",
        "The playful helper is happy and a little tired. It waves goodbye until next time.",
        "Dad wrote this quest for you. He loves playing with you, and he loves the quiet parts of you as "
        "much as the loud ones.",
    ),
    (
        "Say hello kindly",
        "Ask it to play",
        "Ask what it needs",
        "Choose a game together",
        "Say thank you",
        "Wave goodbye",
    ),
)

WAVE = _one_ending(
    (
        "Riding the wave",
        "Big feelings come like waves: they rise, they peak and they always pass. Think of a time this week "
        "a feeling wave was big. Together, pick a way to ride it.",
    ),
    (
        "Cold water splash",
        "Fill a bowl with cold water. Each of you holds your hands in it for a slow count of twenty, and "
        "notices the wave getting smaller.",
    ),
    (
        "Paced breathing",
        "Breathe in for four and out for six, ten times, side by side. Your grown-up counts out loud first, "
        "then you do.",
    ),
    (
        "The beach",
        "The wave has gone back out to sea. Name one thing you can see, one you can hear and one you can touch.",
        "Your parent wrote this quest because waves come to them too. You are not alone with big feelings: "
        "you can ride them together.",
    ),
    ("Try the cold water", "Try the slow breathing", "Feel the wave pass", "Feel the wave pass"),
)

DETECTIVE = _two_paths(
    (
        "The thought detective",
        "Every detective needs a case. Write down one thought that bothered you lately, like 'Everyone "
        "thinks I'm boring.' Your grown-up writes one of theirs too.",
    ),
    ("Clue one: the evidence", "What facts support the thought? What facts do not? List both, honestly."),
    ("Clue one: a friend's view", "What would your best friend say if they heard you think this?"),
    (
        "Clue two: another explanation",
        "Find one other way to explain what happened. It does not have to be the true one, just possible.",
    ),
    (
        "Clue two: the kind sentence",
        "Write the thought again, the way a kind friend would say it. Read it out loud to each other.",
    ),
    (
        "Case closed",
        "You looked at the evidence like a real detective. Thoughts are guesses, not facts.",
        "Your mum made this case for you because she had the same kind of thoughts at your age. She is proud "
        "of how carefully you looked.",
    ),
    (
        "Case closed",
        "You heard the thought through a friend's ears. It sounds different now, doesn't it?",
        "Your dad wrote this quest. He thinks you deserve to talk to yourself the way you talk to friends.",
    ),
    (
        "Look at the evidence",
        "Ask a friend's view",
        "Find another explanation",
        "Rewrite it kindly",
        "Close the case",
        "Close the case",
    ),
)

COMPASS = _one_ending(
    (
        "The compass walk",
        "Go for a walk together, phones in pockets. On the way you will each find your compass: what "
        "matters most to you, whatever happens.",
    ),
    (
        "North: people",
        "Take turns naming someone you care about and one thing you would like to do for them this month.",
    ),
    (
        "North: doing",
        "Take turns naming something you love doing, and what it says about who you want to be.",
    ),
    (
        "Back at the door",
        "Before you go in, each of you says one small step you will take this week, even if it feels hard.",
        "Your parent planned this walk to hear what matters to you. Whatever you choose, they want to walk beside you.",
    ),
    ("Talk about people", "Talk about doing", "Head home", "Head home"),
)

GARDEN = _one_ending(
    (
        "The listening garden",
        "Sit together outside or by an open window. Close your eyes if you like. Let's go on a listening hunt!",
    ),
    ("Far away sounds", "Can you hear something far away? A car, a bird, the wind? Hold up a finger for each."),
    ("Close sounds", "Can you hear something very close? Your breath? Your grown-up's breath? A clock?"),
    (
        "Quiet garden",
        "Open your eyes slowly. Tell each other your favourite sound.",
        "Grandma made this game for you. She loves listening to the world with you.",
    ),
    ("Listen far away", "Listen very close", "Open your eyes", "Open your eyes"),
)

STORM_CLOUD = _one_ending(
    (
        "Grumble the storm cloud",
        "Sometimes a storm cloud called Grumble visits. Grumble is not you: Grumble is a visitor. Draw "
        "Grumble together. What colour is it?",
    ),
    ("When Grumble comes", "Tell each other when Grumble last visited, and what it tried to make you do."),
    ("Grumble's weak spot", "Every storm cloud has a weak spot. Find Grumble's: a hug? a run? a song?"),
    (
        "Clear sky",
        "Give your drawing of Grumble a name tag and a place on the fridge, where you can both keep an eye on it.",
        "Your dad wrote this story. Grumble visits him too, and he is glad you are on the same team against it.",
    ),
    ("Tell about Grumble", "Look for its weak spot", "Pin Grumble up", "Pin Grumble up"),
)

MIDNIGHT = _one_ending(
    (
        "The midnight monster hunt",
        "It is midnight and the house is dark. Something scratches under your bed. Grab a torch!",
    ),
    ("Under the bed", "You shine the torch under the bed. Two eyes look back at you."),
    ("In the cupboard", "You open the cupboard door. A shadow moves."),
    (
        "Caught it",
        "It was the cat all along.",
        "There are no monsters, so you never need to be scared again.",
    ),
    ("Look under the bed", "Open the cupboard", "Switch on the light", "Switch on the light"),
)

TEDDY = _one_ending(
    (
        "Teddy's brave day",
        "Teddy is going to the doctor today and feels a bit wobbly. Can you help Teddy get ready?",
    ),
    ("Teddy's backpack", "Pack three things that help Teddy feel safe. What do you pick?"),
    ("Teddy's brave breath", "Show Teddy how to blow out five birthday candles slowly."),
    (
        "Teddy did it",
        "Teddy went to the doctor and came home proud. Give Teddy a big hug.",
        "Mummy made this game for you before your own doctor visit. You can be wobbly and brave at the same time.",
    ),
    ("Pack the backpack", "Practise brave breathing", "Go to the doctor", "Go to the doctor"),
)

WORRY_JAR = _one_ending(
    (
        "The worry jar",
        "Find an empty jar and some paper. Worries feel smaller once they are out of your head and on paper.",
    ),
    ("Write it down", "Each of you writes or draws one worry and folds it up small. Into the jar it goes!"),
    ("Worry or problem?", "Together, sort your worries: ones you can do something about, and ones you cannot."),
    (
        "Lid on",
        "Put the lid on. Choose a time tomorrow to open the jar together, and leave the worries there until then.",
        "Your mum made this jar with you because her worries shrink when she shares them with you, too.",
    ),
    ("Write a worry", "Sort the worries", "Close the jar", "Close the jar"),
)

DEMO_QUESTS = (
    DemoQuest(
        "The council of helpers",
        "IFS",
        "7-9",
        "Living room",
        COUNCIL,
        strengths="Welcomes every part without judging it; the child leads, the parent listens.",
        recommendations="Invite the parent to share one of their own helpers too.",
    ),
    DemoQuest(
        "Riding the wave",
        "DBT",
        "10-12",
        "Kitchen",
        WAVE,
        strengths="Two concrete distress-tolerance skills, practised together, short enough to finish.",
        recommendations="Remind families to use cool, not icy, water.",
    ),
    DemoQuest(
        "The thought detective",
        "CBT",
        "13-15",
        "Kitchen table",
        DETECTIVE,
        strengths="Clear cognitive restructuring; the parent models it with a thought of their own.",
    ),
    DemoQuest(
        "The compass walk",
        "ACT",
        "16-18",
        "Park",
        COMPASS,
        strengths="Values work suited to older teens; walking side by side makes talking easier.",
    ),
    DemoQuest(
        "The listening garden",
        "MINDFULNESS",
        "4-6",
        "Garden",
        GARDEN,
        strengths="Playful attention practice, short and concrete for young children.",
    ),
    DemoQuest(
        "Grumble the storm cloud",
        "NARRATIVE",
        "7-9",
        "Home",
        STORM_CLOUD,
        strengths="Externalises anger kindly: the child and parent team up against the problem.",
    ),
    DemoQuest(
        "The midnight monster hunt",
        "PLAY",
        "4-6",
        "Bedroom",
        MIDNIGHT,
        verdict="rejected",
        scores=(
            ("emotional_safety_score", 2),
            ("therapeutic_correctness_score", 2),
            ("age_appropriateness_score", 2),
            ("reveal_timing_score", 3),
        ),
        strengths="A playful idea that many young children enjoy in daylight.",
        concerns="A dark, scary bedtime scene for 4-6 year olds without a grown-up in the story; the reveal "
        "tells the child never to be scared, which dismisses the feeling instead of accepting it.",
        recommendations="Play it in daylight with the parent in the story, and let the reveal say that feeling "
        "scared is fine and that the parent is there.",
    ),
    DemoQuest(
        "Teddy's brave day",
        "PLAY",
        "4-6",
        "Home",
        TEDDY,
        verdict="pending",
        strengths="Rehearses a real doctor's visit through play, with a simple calming skill.",
        recommendations="Add a step where the child says what Teddy might feel.",
    ),
    DemoQuest("The worry jar", "CBT", "7-9", "Kitchen table", WORRY_JAR, verdict="waiting"),
)
