"""Varied, plausible text for the ``load`` seed target, made from the word lists and templates
below with a seeded ``random.Random``: the same seed gives the same text, and nothing is downloaded.

Knowledge blocks get distinct titles with summaries and bodies of several paragraphs about public
speaking and wellbeing; chat messages are a learner's questions and the assistant's answers.
"""

import random

TOPICS = {
    "nerves": ("stage fright", "a racing heart", "shaky hands", "a dry mouth", "the first thirty seconds"),
    "breathing": ("slow exhales", "box breathing", "a long out-breath", "belly breathing", "a breathing pause"),
    "structure": ("a clear opening", "three key points", "signposting", "a strong close", "a one-line summary"),
    "voice": ("vocal variety", "pace", "pausing", "projection", "emphasis on key words"),
    "storytelling": ("a personal story", "a turning point", "a vivid detail", "a relatable hero", "tension"),
    "audience": ("eye contact", "reading the room", "a friendly face", "questions from the floor", "a sceptic"),
    "body language": ("open posture", "grounded feet", "purposeful gestures", "stillness", "a relaxed face"),
    "preparation": ("rehearsal out loud", "a run-through timer", "cue cards", "a practice audience", "a plan B"),
    "wellbeing": ("self-compassion", "sleep before a big day", "a calming routine", "kind self-talk", "rest"),
    "feedback": ("specific praise", "one thing to change", "a recorded rehearsal", "peer review", "a checklist"),
    "mindset": ("a growth mindset", "reframing anxiety as energy", "realistic expectations", "curiosity", "focus"),
    "slides": ("one idea per slide", "big readable text", "a simple chart", "fewer bullet points", "a blank slide"),
}
VERBS = (
    "handle",
    "practise",
    "improve",
    "master",
    "use",
    "build",
    "rethink",
    "strengthen",
    "plan",
    "recover from",
    "lean on",
    "prepare",
)
SITUATIONS = (
    "a thesis defence",
    "a job interview",
    "a team stand-up",
    "a wedding toast",
    "a class presentation",
    "a sales pitch",
    "a parent-teacher meeting",
    "a conference talk",
    "a school assembly",
    "a difficult conversation",
    "a video call",
    "a board meeting",
    "a debate",
    "an open mic night",
    "a project review",
    "a book club",
    "a town hall",
    "a podcast interview",
)
ADJECTIVES = (
    "calm",
    "clear",
    "confident",
    "steady",
    "simple",
    "practical",
    "gentle",
    "quick",
    "honest",
    "memorable",
    "grounded",
    "warm",
)
TITLE_TEMPLATES = (
    "How to {verb} {thing} before {situation}",
    "{Adjective} {thing} for {situation}",
    "Why {thing} matters in {situation}",
    "{Thing}: a {adjective} guide for {situation}",
    "When {thing} goes wrong during {situation}",
    "Five minutes of {thing} before {situation}",
    "{Thing} and {other} in {situation}",
    "A {adjective} way to {verb} {thing}",
    "What {situation} teaches about {thing}",
    "{Thing} without the pressure: {situation}",
)
SENTENCES = (
    "Start with {thing}: it gives you something {adjective} to return to when {situation} feels big.",
    "Most people notice {other} first, so practise {thing} until it feels ordinary.",
    "Try this in your next rehearsal for {situation}: {verb} {thing} once, then again a little slower.",
    "Research on performance anxiety suggests that {thing} lowers the sense of threat without removing energy.",
    "If {other} shows up, name it quietly to yourself and go back to {thing}.",
    "A {adjective} routine beats a perfect one: the same {thing} every time becomes a signal of safety.",
    "Ask a friend to watch for {thing} and tell you one moment when it worked.",
    "Write down what {situation} needs from you in one sentence, then plan {thing} around it.",
    "Notice how {thing} changes your breathing, your pace and the way the room responds.",
    "Keep {other} in mind, but do not try to fix everything at once.",
    "The audience in {situation} wants you to succeed; {thing} helps you remember that.",
    "Record yourself for two minutes and listen only for {thing}.",
    "After {situation}, note one thing that went well with {thing} before anything you would change.",
    "Pair {thing} with {other} when the stakes are high.",
    "Small, {adjective} steps with {thing} add up faster than one heroic effort the night before.",
)
FEELINGS = (
    "nervous",
    "anxious",
    "tired",
    "excited",
    "overwhelmed",
    "stuck",
    "hopeful",
    "calmer",
    "shaky",
    "unsure",
)
DAYS = ("tomorrow", "on Monday", "next week", "on Friday", "this afternoon", "in two weeks", "tonight")
USER_OPENERS = (
    "I have {situation} {day} and I feel {feeling}.",
    "Can you help me with {thing}?",
    "My voice shook during {situation} last time.",
    "I keep forgetting my points when I get {feeling}.",
    "How long should I practise {thing} before {situation}?",
    "I tried {thing} today and felt a bit {feeling}.",
    "What is a good way to start {situation}?",
    "Someone said I rush when I speak. Is {thing} the fix?",
    "I feel {feeling} about {situation} {day}.",
    "Is it normal to feel {feeling} before {situation}?",
)
USER_FOLLOW_UPS = (
    "Any tips?",
    "What should I do first?",
    "Could you give me a quick exercise?",
    "How do I keep calm?",
    "Thanks, that helped.",
    "Can we practise it now?",
    "What if it happens again?",
    "",
)
ASSISTANT_OPENERS = (
    "That makes sense, and feeling {feeling} before {situation} is very common.",
    "Good question.",
    "Thank you for telling me that.",
    "You are already doing the hard part by preparing.",
    "Let's make this practical.",
    "It sounds like {situation} matters to you.",
)
ASSISTANT_CLOSERS = (
    "Would you like to try it together now?",
    "How does that sound?",
    "Tell me how it goes.",
    "Want a short breathing exercise first?",
    "Shall we rehearse your opening line?",
    "",
)
FIRST_NAMES = (
    "Maya", "Liam", "Aisha", "Noah", "Sofia", "Arjun", "Chloe", "Mateo", "Hana", "Lucas", "Zara", "Ethan",
    "Priya", "Oliver", "Amara", "Leo", "Yuki", "Ivan", "Nora", "Omar", "Elena", "Kofi", "Mei", "Samuel",
)  # fmt: skip
LAST_NAMES = (
    "Patel", "Smith", "Garcia", "Kim", "Okafor", "Nguyen", "Müller", "Rossi", "Haddad", "Silva", "Cohen",
    "Ivanova", "Brown", "Sato", "Mensah", "Dubois", "Khan", "Lopez", "Novak", "Jensen", "Ali", "Wright",
)  # fmt: skip
PERSONA_ROLES = ("Student", "Teacher", "Team lead", "Engineer", "Nurse", "Founder", "Researcher", "Sales")
GOALS = (
    "Present my thesis calmly",
    "Speak up in meetings",
    "Give a wedding toast",
    "Pitch to investors",
    "Stop rushing when I talk",
    "Handle questions without panic",
    "Teach a class with confidence",
    "Enjoy public speaking",
)
AUDIENCES = ("Classmates", "Colleagues", "Clients", "Family", "Strangers", "Students", "Managers", "Friends")

_ALL_THINGS = tuple(thing for things in TOPICS.values() for thing in things)
_TOPIC_NAMES = tuple(TOPICS)


class TextMaker:
    """Seeded text: ``TextMaker(seed).block()``, ``.user_message()``, ``.assistant_message()``."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self._titles: set[str] = set()

    def _slots(self, topic: str | None = None) -> dict[str, str]:
        choice = self.rng.choice
        things = TOPICS[topic] if topic else _ALL_THINGS
        thing, other = choice(things), choice(_ALL_THINGS)
        adjective = choice(ADJECTIVES)
        return {
            "thing": thing,
            "Thing": thing[0].upper() + thing[1:],
            "other": other,
            "verb": choice(VERBS),
            "situation": choice(SITUATIONS),
            "adjective": adjective,
            "Adjective": adjective.capitalize(),
            "feeling": choice(FEELINGS),
            "day": choice(DAYS),
        }

    def sentence(self, topic: str | None = None) -> str:
        return self.rng.choice(SENTENCES).format(**self._slots(topic))

    def paragraph(self, topic: str, sentences: tuple[int, int] = (3, 5)) -> str:
        return " ".join(self.sentence(topic) for _ in range(self.rng.randint(*sentences)))

    def title(self, topic: str) -> str:
        """A title no earlier call returned (a part number only if the templates run dry)."""
        for _ in range(20):
            title = self.rng.choice(TITLE_TEMPLATES).format(**self._slots(topic))
            if title not in self._titles:
                break
        else:
            title = f"{title} (part {len(self._titles)})"
        self._titles.add(title)
        return title

    def block(self) -> dict:
        """A knowledge block's title, summary, body, tags and exercise seeds."""
        topic = self.rng.choice(_TOPIC_NAMES)
        body = "\n\n".join(self.paragraph(topic) for _ in range(self.rng.randint(2, 5)))
        return {
            "title": self.title(topic),
            "summary": self.paragraph(topic, (1, 2)),
            "body": body,
            "tags": [topic, self.rng.choice(_TOPIC_NAMES)],
            "exercise_seeds": [self.sentence(topic)],
        }

    def user_message(self) -> str:
        slots = self._slots()
        text = self.rng.choice(USER_OPENERS).format(**slots)
        follow_up = self.rng.choice(USER_FOLLOW_UPS)
        return f"{text} {follow_up}" if follow_up else text

    def assistant_message(self) -> str:
        opener = self.rng.choice(ASSISTANT_OPENERS).format(**self._slots())
        middle = " ".join(self.sentence() for _ in range(self.rng.randint(1, 3)))
        closer = self.rng.choice(ASSISTANT_CLOSERS)
        return " ".join(part for part in (opener, middle, closer) if part)

    def full_name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
