"""Level 1 ("Foundations"), its modules A-D and their lessons.

Each lesson's ``steps`` follow the format documented on ``Lesson``: a prompt and a kind
(``text`` for a written answer, ``choice`` with its ``choices``, ``scale`` for 1-5).
"""

LEVEL = {
    "number": 1,
    "title": "Foundations",
    "description": (
        "Calm your nerves, build a clear message, use your voice well and connect with the people "
        "in front of you. Finish every module, then record a two-minute milestone talk."
    ),
    "milestone_threshold": 70,
    "milestone_xp_reward": 100,
    "milestone_coin_reward": 20,
}


def _text(prompt: str) -> dict:
    return {"prompt": prompt, "kind": "text"}


def _choice(prompt: str, *choices: str) -> dict:
    return {"prompt": prompt, "kind": "choice", "choices": list(choices)}


def _scale(prompt: str) -> dict:
    return {"prompt": prompt, "kind": "scale"}


MODULE_A = {
    "code": "A",
    "order": 1,
    "title": "Presence and nerves",
    "description": "Understand stage fright, settle your body, and get through the first thirty seconds with ease.",
    "xp_reward": 50,
    "coin_reward": 10,
    "ticket_reward": 2,
    "lessons": [
        {
            "order": 1,
            "title": "Name the nerves",
            "summary": "Notice what your body does before you speak and give the feeling a more useful name.",
            "xp_reward": 10,
            "steps": [
                _text(
                    "Think of the last time you spoke in front of others. What did your body do in the first "
                    "minute (heart, hands, breath, voice)?"
                ),
                _choice(
                    "Your heart is racing just before a talk. Which reading of that feeling helps most?",
                    "My body is getting ready to perform",
                    "Something is wrong and I should stop",
                    "The audience can see exactly how nervous I am",
                ),
                _scale("How nervous do you usually feel before speaking to a group? (1 = calm, 5 = very nervous)"),
                _text("Write one short sentence you will say to yourself before you begin, such as 'I'm excited'."),
            ],
        },
        {
            "order": 2,
            "title": "Breathe, ground, begin",
            "summary": "A one-minute routine of slow exhales and a steady stance that you can use anywhere.",
            "xp_reward": 10,
            "steps": [
                _text(
                    "Take five slow breaths: in through the nose for four counts, out through the mouth for "
                    "six to eight. What changed in your body?"
                ),
                _choice(
                    "Where should your weight be while you speak standing up?",
                    "Evenly on both feet, knees soft",
                    "On one hip, leaning to the side",
                    "Rocking from heel to toe",
                ),
                _scale("After the breathing exercise, how steady does your voice feel? (1 = shaky, 5 = steady)"),
            ],
        },
        {
            "order": 3,
            "title": "Your first thirty seconds",
            "summary": "Prepare and rehearse an opening that earns attention and carries you past the peak of nerves.",
            "xp_reward": 15,
            "steps": [
                _text("Write the very first sentence you would say in a two-minute talk about your work or studies."),
                _choice(
                    "Which opening earns the audience's attention fastest?",
                    "A question or surprising fact tied to the topic",
                    "An apology for being nervous",
                    "Reading the agenda from the first slide",
                ),
                _text("Whose face will you look at while you say that first sentence, and where will you stand?"),
                _scale("How ready do you feel to deliver your opening out loud? (1 = not yet, 5 = ready)"),
            ],
        },
    ],
}

MODULE_B = {
    "code": "B",
    "order": 2,
    "title": "Structure your message",
    "description": "Find the one idea your talk is for, then build an opening, a body and a close around it.",
    "xp_reward": 60,
    "coin_reward": 12,
    "ticket_reward": 2,
    "lessons": [
        {
            "order": 1,
            "title": "One talk, one message",
            "summary": "Decide the single idea listeners should remember and test every part of the talk against it.",
            "xp_reward": 10,
            "steps": [
                _text("Write the main message of your next talk as one claim of fifteen words or fewer."),
                _choice(
                    "What do audiences remember best from a talk?",
                    "One clear idea, repeated and illustrated",
                    "Every detail the speaker researched",
                    "The slide with the most text on it",
                ),
                _scale("How clear is your main message to you right now? (1 = fuzzy, 5 = crystal clear)"),
            ],
        },
        {
            "order": 2,
            "title": "Open, body, close",
            "summary": "A three-part frame with signposts that lets listeners follow you without notes.",
            "xp_reward": 10,
            "steps": [
                _text("List the three points that support your message, one line each."),
                _text("Write a signpost sentence that moves the audience from your first point to your second."),
                _choice(
                    "Which closing is strongest?",
                    "Return to the main message and say what to do next",
                    "'That's all I have, any questions?'",
                    "Introduce one more new point to finish",
                ),
            ],
        },
        {
            "order": 3,
            "title": "Patterns that persuade",
            "summary": "Problem, solution, benefit: an order of ideas that moves people from concern to action.",
            "xp_reward": 15,
            "steps": [
                _text("Describe a problem your audience recognises, in one or two sentences."),
                _text("Now describe your solution and the one benefit that matters most to them."),
                _choice(
                    "You want your team to adopt a new tool. Which structure fits best?",
                    "Problem, solution, benefit",
                    "The tool's full history, in chronological order",
                    "Its features, in alphabetical order",
                ),
                _scale("How convincing would this outline be to a sceptical colleague? (1 = not at all, 5 = very)"),
            ],
        },
    ],
}

MODULE_C = {
    "code": "C",
    "order": 3,
    "title": "Voice and pace",
    "description": "Slow down, pause with purpose, and use volume, pitch and emphasis to carry meaning.",
    "xp_reward": 60,
    "coin_reward": 12,
    "ticket_reward": 3,
    "lessons": [
        {
            "order": 1,
            "title": "Pace and the pause",
            "summary": "Measure your speaking rate and place deliberate pauses around your key points.",
            "xp_reward": 10,
            "steps": [
                _text(
                    "Read any paragraph aloud for sixty seconds at your normal speed, then count the words. "
                    "What was your rate in words per minute?"
                ),
                _choice(
                    "Where does a pause help the audience most?",
                    "Just before and just after your key point",
                    "In the middle of a long word",
                    "Nowhere: pauses make a speaker look unprepared",
                ),
                _scale("How comfortable are you with two seconds of silence in front of a group? (1 = not, 5 = very)"),
                _text("Copy your opening and mark two places with a slash where you will pause."),
            ],
        },
        {
            "order": 2,
            "title": "Volume, pitch and emphasis",
            "summary": "Project without shouting, end statements on a falling pitch, and stress the words that matter.",
            "xp_reward": 15,
            "steps": [
                _text(
                    "Say 'I didn't say she stole the money' seven times, stressing a different word each time. "
                    "Which version surprised you most, and why?"
                ),
                _choice(
                    "How do you make a statement sound certain rather than like a question?",
                    "Let the pitch fall at the end of the sentence",
                    "Let the pitch rise at the end of the sentence",
                    "Speed up through the last few words",
                ),
                _scale("How much variety do you hear in your voice when you record yourself? (1 = flat, 5 = lively)"),
            ],
        },
    ],
}

MODULE_D = {
    "code": "D",
    "order": 4,
    "title": "Stories and audience",
    "description": "Shape your talk for the people in the room and make your point memorable with a short story.",
    "xp_reward": 70,
    "coin_reward": 15,
    "ticket_reward": 3,
    "lessons": [
        {
            "order": 1,
            "title": "Know your audience",
            "summary": "Adapt content, words and examples to what listeners already know and need.",
            "xp_reward": 10,
            "steps": [
                _text("Who will be in the room for your next talk, and what do they already know about the topic?"),
                _choice(
                    "What is the best way to adapt a technical talk for non-experts?",
                    "Replace jargon with everyday comparisons",
                    "Speak faster so you can cover more",
                    "Put the definitions of the acronyms on the slides",
                ),
                _text("Write the one question they are most likely to ask, and a two-sentence answer."),
            ],
        },
        {
            "order": 2,
            "title": "A story with a point",
            "summary": "Situation, complication, turning point, resolution, and one sentence that says why it matters.",
            "xp_reward": 15,
            "steps": [
                _text(
                    "Recall a moment when something went wrong and you learned from it. Tell it in three "
                    "sentences: the situation, the turning point, the lesson."
                ),
                _choice(
                    "Which detail makes a story most vivid?",
                    "A specific thing you saw, heard or felt",
                    "The exact date and time it happened",
                    "Stating the moral before the story starts",
                ),
                _text("Write the one-sentence point your story makes for this audience."),
                _scale("How confident are you telling this story out loud? (1 = not yet, 5 = confident)"),
            ],
        },
    ],
}

MODULES = [MODULE_A, MODULE_B, MODULE_C, MODULE_D]
