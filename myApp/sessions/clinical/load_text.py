"""Seeded therapy-session text for the ``load`` target and the benchmarks: what clients and clinicians say in
talking therapy, made from templates written for this project (no real person, nothing downloaded).

``TherapyText(seed).client_line()`` / ``.clinician_line()`` give one sentence each; the slots vary who, where
and what, so a million sentences hold thousands of distinct ones and a realistic spread of words (some common,
most rare), which is what keyword and full-text search see in use.
"""

import random

PEOPLE = (
    "my manager",
    "my partner",
    "my mother",
    "my father",
    "my sister",
    "my brother",
    "my flatmate",
    "my best friend",
    "a colleague",
    "my son",
    "my daughter",
    "the team lead",
    "my neighbour",
    "my ex",
)
PLACES = (
    "at work",
    "at home",
    "on the train",
    "at the supermarket",
    "in the team meeting",
    "at my parents' house",
    "at the gym",
    "at the party",
    "in the car",
    "at university",
    "on the phone",
    "in bed at night",
)
FEELINGS = (
    "anxious",
    "worried",
    "low",
    "exhausted",
    "angry",
    "ashamed",
    "guilty",
    "lonely",
    "tense",
    "overwhelmed",
    "hopeful",
    "relieved",
    "calmer",
    "proud",
    "frustrated",
    "numb",
    "sad",
    "irritable",
    "content",
    "restless",
)
EVENTS = (
    "the deadline",
    "the interview",
    "the argument",
    "the review meeting",
    "the family dinner",
    "the doctor's appointment",
    "the presentation",
    "the move",
    "the exam",
    "the birthday",
    "the hospital visit",
    "the holiday",
    "the wedding",
    "the court date",
    "the first day back",
)
ACTIVITIES = (
    "walking the dog",
    "the breathing exercise",
    "writing in the thought diary",
    "going for a run",
    "cooking a proper meal",
    "calling a friend",
    "the sleep routine",
    "gardening",
    "reading before bed",
    "the grounding exercise",
    "swimming",
    "playing the guitar",
    "yoga",
    "the worry time we planned",
)
BODY = (
    "my chest felt tight",
    "my heart was racing",
    "my hands were shaking",
    "I could not catch my breath",
    "my stomach was in knots",
    "my shoulders were up by my ears",
    "I had a headache all day",
    "I felt dizzy",
)
TIMES = ("yesterday", "on Monday", "last weekend", "this morning", "on Thursday evening", "last night", "all week")

CLIENT_TEMPLATES = (
    "I felt {feeling} {place} {time}.",
    "{Person} said something {time} and I just shut down.",
    "Before {event} {body} and I wanted to leave.",
    "I keep going over {event} in my head, again and again.",
    "I tried {activity} {time} and it helped a little.",
    "I have not been sleeping well since {event}.",
    "I should be coping better by now, everyone else seems fine.",
    "If {event} goes wrong it will be a complete disaster.",
    "I always mess things up when it matters.",
    "{Person} probably thinks I am useless.",
    "I know {person} cares, but I still feel {feeling}.",
    "Honestly {event} went better than I expected.",
    "I was {feeling} with {person} and I said things I regret.",
    "Nobody ever listens to me {place}.",
    "I managed {activity} three times this week, which is more than before.",
    "I noticed the thought and I did not let it take over this time.",
    "I felt {feeling} and {feeling2} at the same time, which was confusing.",
    "It is hard to explain, I just feel {feeling} most mornings.",
    "I cancelled plans with {person} again because I felt {feeling}.",
    "When {body} I told myself it would pass, and it did.",
    "I am such an idiot, I forgot {event} completely.",
    "{Person} and I had a good talk {time}, I felt {feeling}.",
    "I must get everything right or people will see I am a fraud.",
    "Part of me is {feeling} about {event} and part of me wants it over with.",
    "I spent most of {time} in bed, I could not face anything.",
    "I think things are slowly getting better, I feel more {feeling}.",
)
CLINICIAN_TEMPLATES = (
    "What went through your mind when you felt {feeling}?",
    "How strongly did you believe that thought, from nought to a hundred?",
    "It sounds like {event} has been weighing on you.",
    "What would you say to a friend who told you that?",
    "Let's look at the evidence for and against that thought.",
    "Where did you notice it in your body?",
    "That is a real step forward, well done for {activity}.",
    "How did {person} react when you said that?",
    "Shall we plan {activity} for the coming week?",
    "What is the worst that could happen, and how likely is it?",
    "You said always; can you think of a time it went differently?",
    "How have you been sleeping since we last met?",
    "Let's rate your mood this week compared with last week.",
    "What helped, even a little, when you felt {feeling}?",
    "It makes sense that you felt {feeling} after {event}.",
    "Could we try the breathing exercise together now?",
    "What would it mean about you if {event} did go wrong?",
    "Let's write that thought down and look at it together.",
)


def _capital(text: str) -> str:
    return text[0].upper() + text[1:]


class TherapyText:
    """Seeded client and clinician sentences (``client_line``, ``clinician_line``)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def _slots(self) -> dict[str, str]:
        choice = self.rng.choice
        person = choice(PEOPLE)
        feeling, feeling2 = self.rng.sample(FEELINGS, 2)
        return {
            "person": person,
            "Person": _capital(person),
            "place": choice(PLACES),
            "feeling": feeling,
            "feeling2": feeling2,
            "event": choice(EVENTS),
            "activity": choice(ACTIVITIES),
            "body": choice(BODY),
            "time": choice(TIMES),
        }

    def client_line(self) -> str:
        return self.rng.choice(CLIENT_TEMPLATES).format(**self._slots())

    def clinician_line(self) -> str:
        return self.rng.choice(CLINICIAN_TEMPLATES).format(**self._slots())
