"""Impromptu topics for the amphitheatre's "one minute on a random topic", written for this project.

Each topic is something a teenager or an adult can talk about for a minute from their own experience or
opinion, with no special knowledge and nothing sensitive (no health, grief, politics, religion or money
worries). They are phrased as a prompt the learner can start on at once.
"""

import random

TOPICS: tuple[str, ...] = (
    "The best piece of advice you have ever been given",
    "A skill everyone should learn before they turn eighteen",
    "Why breakfast is (or is not) the most important meal of the day",
    "The most useful thing in your bag right now",
    "A place in your town you would show a visitor first",
    "If you could add one subject to every school, what would it be?",
    "The perfect weekend, hour by hour",
    "A small habit that makes your day better",
    "Cats or dogs: make the case for one",
    "The most overrated invention of the last hundred years",
    "What you would do with one extra hour every day",
    "A book, film or game that changed how you see something",
    "Why everyone should try cooking one new dish a month",
    "The rule you would change if you ran your school or workplace for a day",
    "Describe your ideal neighbour",
    "A time you learned something by getting it wrong",
    "Should homework be banned? Argue one side",
    "The best way to spend a rainy afternoon",
    "An everyday object you would redesign, and how",
    "What makes a good friend",
    "Mountains or the seaside for a holiday",
    "A tradition you would like to start",
    "The most interesting job you can imagine",
    "Why you should learn a musical instrument",
    "If animals could talk, which one would be the rudest?",
    "The best way to remember people's names",
    "Summer or winter: which season wins?",
    "A hobby you would take up if time were no object",
    "What the world will look like in fifty years",
    "The perfect sandwich, layer by layer",
    "Why queues bring out the best (or worst) in people",
    "A famous person from history you would invite to dinner",
    "How to teach someone to ride a bicycle",
    "The case for walking more and driving less",
    "What you would put in a time capsule for 2075",
    "Early bird or night owl: which is better?",
    "The most surprising thing you learned this year",
    "If you could live in any fictional world, which one?",
    "How to make a boring task fun",
    "Why everyone should spend a day without a phone",
    "The best present you have ever given",
    "A sport that deserves more attention",
    "Describe your favourite smell and what it reminds you of",
    "The one app you could not live without, and why",
    "How you would spend a day as the mayor of your town",
    "What makes a good teacher",
    "The most useful word in any language",
    "Why board games still matter",
)


def draw(seed: int | str | None = None) -> str:
    """One topic at random; the same ``seed`` always draws the same topic (tests, and a page that must show the
    topic it posted)."""
    return random.Random(seed).choice(TOPICS)  # a practice prompt, not a secret


# The amphitheatre exercise that gets a drawn topic, and how long each exercise's talk should run (from the
# plan's titles in ``economy.AMPHITHEATRE_PLAN``): the recorder's timer shows the target.
IMPROMPTU_EXERCISE = "impromptu"
EXERCISE_SECONDS = {"warm_up": 30, "impromptu": 60, "story": 90}


def describe_seconds(seconds: int) -> str:
    """A target length in words: "30 seconds", "one minute", "90 seconds", "2 minutes"."""
    if seconds == 60:
        return "one minute"
    if seconds % 60 == 0:
        return f"{seconds // 60} minutes"
    return f"{seconds} seconds"


def exercise_prompt(exercise_key: str, *, posted_topic: str = "") -> dict[str, str | int]:
    """What the recorder shows for an amphitheatre exercise: its target length and, for the impromptu exercise,
    a topic (the one just posted when the form comes back with errors, else a fresh draw)."""
    seconds = EXERCISE_SECONDS.get(exercise_key, 0)
    topic = ""
    if exercise_key == IMPROMPTU_EXERCISE:
        topic = posted_topic if posted_topic in TOPICS else draw()
    return {"topic": topic, "target_seconds": seconds, "target_label": describe_seconds(seconds) if seconds else ""}
