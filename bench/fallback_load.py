"""A stand-in for ``seed_data.py load`` while that target does not exist: ORM ``bulk_create`` in batches.

Only the benchmark calls it, and only when the ``load`` target is missing. Rows are named ``benchload*``
so a second run finds them and adds only what is missing.
"""

import random

from rich.console import Console

from myApp.accounts.models import Profile, User
from myApp.curriculum.models import KnowledgeBlock, Module
from myApp.sessions.models import Conversation, Message, MessageRole

BATCH = 5000
WORDS = [
    "voice",
    "pause",
    "audience",
    "breath",
    "story",
    "opening",
    "slide",
    "question",
    "confidence",
    "eye",
    "contact",
    "gesture",
    "silence",
    "pace",
    "nerves",
    "rehearsal",
    "feedback",
    "humour",
    "structure",
    "ending",
    "microphone",
    "stage",
    "room",
    "listener",
    "practice",
    "clarity",
    "tone",
    "emphasis",
    "posture",
    "presence",
    "script",
    "notes",
    "evidence",
    "example",
    "argument",
    "persuade",
    "inform",
    "inspire",
    "meeting",
    "interview",
    "toast",
    "pitch",
    "panel",
    "debate",
    "lecture",
    "conference",
    "workshop",
    "team",
    "manager",
    "client",
]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def load(sizes, console: Console) -> None:
    rng = random.Random(9)
    have = User.objects.filter(username__startswith="benchload").count()
    for start in range(have, sizes.users, BATCH):
        users = User.objects.bulk_create(
            User(username=f"benchload{n}", password="!") for n in range(start, min(start + BATCH, sizes.users))
        )
        Profile.objects.bulk_create(Profile(user=user) for user in users)
    user_ids = list(User.objects.filter(username__startswith="benchload").order_by("id").values_list("id", flat=True))

    have = Conversation.objects.filter(user__username__startswith="benchload").count()
    for start in range(have, sizes.conversations, BATCH):
        Conversation.objects.bulk_create(
            Conversation(user_id=user_ids[n % len(user_ids)], ended_at="2026-01-01T00:00:00Z")
            for n in range(start, min(start + BATCH, sizes.conversations))
        )
    conversations = list(
        Conversation.objects.filter(user__username__startswith="benchload").order_by("id").values_list("id", "user_id")
    )
    have = Message.objects.filter(conversation__user__username__startswith="benchload").count()
    for start in range(have, sizes.messages, BATCH):
        Message.objects.bulk_create(
            Message(
                conversation_id=conversations[n % len(conversations)][0],
                user_id=conversations[n % len(conversations)][1],
                role=MessageRole.USER if n % 2 == 0 else MessageRole.ASSISTANT,
                content=_text(rng, 12),
            )
            for n in range(start, min(start + BATCH, sizes.messages))
        )

    module = Module.objects.order_by("order").first()
    have = KnowledgeBlock.objects.count()
    top = KnowledgeBlock.objects.filter(module=module).order_by("-order").values_list("order", flat=True).first() or 0
    KnowledgeBlock.objects.bulk_create(
        (
            KnowledgeBlock(
                module=module,
                order=top + 1 + n,
                title=_text(rng, 4),
                summary=_text(rng, 20),
                body=" ".join(_text(rng, 15) for _ in range(8)),
            )
            for n in range(max(sizes.blocks - have, 0))
        ),
        batch_size=BATCH,
    )
