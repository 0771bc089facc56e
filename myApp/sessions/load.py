"""The chat half of the ``load`` seed target, and the P6 measure (``load`` of messages against a plain
``INSERT ... SELECT generate_series`` of the same rows).

``--conversations`` conversations of the loaded users (``accounts.load``), ``--messages`` messages
spread over them (a learner's question, then the assistant's answer, alternately) and
``--completions`` guided-module completions. What other code derives is written with the rows:
each conversation's ``message_count`` and ``last_activity_at`` match its messages, its
``metadata.module_status`` holds its latest completion of each module (as
``conversation_module_complete`` leaves it), and a user has at most one open conversation.
Messages and completions always belong to conversations made in the same run.
"""

import argparse
import datetime
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from rich.console import Console

from myApp.accounts.load import loaded_user_ids, loaded_users
from myApp.lib import bulk_load
from myApp.lib.bulk_load import COMMON_ARGUMENTS, Table, bulk_insert, say_exists, size_argument, spread
from myApp.lib.load_text import TextMaker
from myApp.lib.seeding import seed_target
from myApp.lib.timestamps import format_timestamp
from myApp.sessions.models import Conversation, DeviceType, Message, MessageRole, ModuleCompletion
from myApp.sessions.services.modules import validate_completion_data
from myApp.sessions.wellbeing import EMOTIONS, MOODS

DEFAULT_CONVERSATIONS = 100_000
DEFAULT_MESSAGES = 1_000_000
DEFAULT_COMPLETIONS = 50_000
MESSAGE_GAP = datetime.timedelta(seconds=40)
TEXT_POOL = 4_000  # distinct questions and answers made up front; messages pick and combine them
LOADED_MODEL = "load-generated"
USER_AGENTS = {
    DeviceType.DESKTOP: "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
    DeviceType.MOBILE: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile Safari/604.1",
    DeviceType.TABLET: "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) Safari/604.1",
    DeviceType.UNKNOWN: "",
}
MESSAGE_COLUMNS = ("user", "conversation", "role", "content", "tokens_used", "model_used", "created_at", "updated_at")
MESSAGE_CONSTANTS = {
    "message_type": "text",
    "course": None,
    "module": None,
    "metadata": {},
    "audio_url": "",
    "transcript": "",
    "safety_flag": "",
}


@dataclass
class PlannedConversation:
    session_id: object
    user_id: int
    started_at: datetime.datetime
    messages: int
    is_open: bool
    completions: list[tuple[str, dict, datetime.datetime]] = field(default_factory=list)
    pk: int | None = None

    @property
    def last_activity_at(self) -> datetime.datetime:
        return self.started_at + MESSAGE_GAP * max(self.messages - 1, 0)


class MessageText:
    """Questions and answers from pools made once: picking is cheap, and pairs of pieces keep them varied."""

    def __init__(self, seed: int) -> None:
        maker = TextMaker(seed)
        self.random = maker.rng.random
        self.questions = [maker.user_message() for _ in range(TEXT_POOL)]
        self.answers = [maker.assistant_message() for _ in range(TEXT_POOL)]
        self.tips = [maker.sentence() for _ in range(TEXT_POOL)]

    def rows(self, conversations: list[tuple[int, int, datetime.datetime, int]]) -> Iterator[tuple]:
        """Message rows for ``(conversation id, user id, first message at, count)``."""
        random, questions, answers, tips, pool = self.random, self.questions, self.answers, self.tips, TEXT_POOL
        user, assistant = MessageRole.USER, MessageRole.ASSISTANT
        for conversation, user_id, started, count in conversations:
            at = started
            for index in range(count):
                if index % 2 == 0:
                    yield (user_id, conversation, user, questions[int(random() * pool)], None, "", at, at)
                else:
                    content = answers[int(random() * pool)] + " " + tips[int(random() * pool)]
                    yield (user_id, conversation, assistant, content, len(content) // 4, LOADED_MODEL, at, at)
                at += MESSAGE_GAP


def _completion_variants() -> dict[str, list[dict]]:
    """A few valid completions per module: the demo's, with the feelings and scores varied, each checked once."""
    from myApp.sessions.seeds import DEMO_COMPLETIONS  # seeds imports this module

    variants: dict[str, list[dict]] = {}
    for module_id, data in DEMO_COMPLETIONS.items():
        options = [data]
        if module_id == "breathing_exercise":
            options += [
                {**data, "emotion": emotion, "intensity": 15 + 20 * n} for n, emotion in enumerate(EMOTIONS[:4])
            ]
        if module_id == "emotion_labeling":
            options += [{"mood": mood, "note": f"Feeling {mood.lower()} after practice."} for mood in MOODS[:5]]
        variants[module_id] = [validate_completion_data(module_id, option) for option in options]
    return variants


def plan_conversations(
    *, count: int, messages: int, completions: int, users: list[int], open_users: set[int], seed: int
) -> list[PlannedConversation]:
    maker = TextMaker(seed)
    rng = maker.rng
    now = timezone.now()
    variants = _completion_variants()
    modules = sorted(variants)
    # A few users talk a lot, most a little: the user of each conversation is drawn with a skew.
    owners = [users[int(len(users) * rng.random() ** 2)] for _ in range(count)]
    message_counts = spread(messages, [rng.expovariate(1.0) for _ in range(count)])
    completion_counts = spread(completions, [rng.expovariate(1.0) if rng.random() < 0.3 else 0.0 for _ in range(count)])
    if completions and not any(completion_counts):
        completion_counts = spread(completions, [1.0] * count)
    plan = []
    for owner, message_count, completion_count in zip(owners, message_counts, completion_counts, strict=True):
        is_open = owner not in open_users and rng.random() < 0.3
        if is_open:
            open_users.add(owner)
        # Far enough back that its last message is not in the future.
        started = bulk_load.days_ago(now, rng, most=365) - MESSAGE_GAP * message_count
        conversation = PlannedConversation(bulk_load.seeded_uuid(rng), owner, started, message_count, is_open)
        span = (conversation.last_activity_at - started).total_seconds()
        for _ in range(completion_count):
            module_id = rng.choice(modules)
            at = started + datetime.timedelta(seconds=rng.random() * span)
            conversation.completions.append((module_id, rng.choice(variants[module_id]), at))
        conversation.completions.sort(key=lambda item: item[2])
        plan.append(conversation)
    return plan


def _conversation_rows(plan: list[PlannedConversation], rng) -> Iterator[tuple]:
    devices = list(USER_AGENTS)
    for conversation in plan:
        device = rng.choice(devices)
        last = conversation.last_activity_at
        status = {
            module_id: {"completed_at": format_timestamp(at), "completion_data": data}
            for module_id, data, at in conversation.completions  # sorted: the latest of each module wins
        }
        yield (
            conversation.session_id,
            conversation.user_id,
            {"module_status": status} if status else {},
            f"198.51.100.{int(rng.random() * 254) + 1}" if device != DeviceType.UNKNOWN else None,
            USER_AGENTS[device],
            device,
            conversation.messages,
            conversation.started_at,
            last,
            None if conversation.is_open else last + datetime.timedelta(minutes=10),
            last,
        )


CONVERSATION_COLUMNS = (
    "session_id",
    "user",
    "metadata",
    "ip_address",
    "user_agent",
    "device_type",
    "message_count",
    "started_at",
    "last_activity_at",
    "ended_at",
    "updated_at",
)


def loaded_conversations():
    return Conversation.objects.filter(user__in=loaded_users())


@seed_target(
    "load",
    order=30,
    arguments=(
        *COMMON_ARGUMENTS,
        size_argument("--conversations", DEFAULT_CONVERSATIONS, "conversations of loaded users"),
        size_argument("--messages", DEFAULT_MESSAGES, "chat messages, spread over the new conversations"),
        size_argument("--completions", DEFAULT_COMPLETIONS, "guided-module completions in the new conversations"),
    ),
)
def load_conversations(console: Console, options: argparse.Namespace) -> None:
    existing = loaded_conversations().count()
    if existing and not options.add:
        say_exists(console, "conversations", existing)
        say_exists(console, "messages", Message.objects.filter(conversation__in=loaded_conversations()).count())
        return
    users = loaded_user_ids()
    if not users or not options.conversations:
        if options.messages or options.completions:
            console.print("  [yellow]messages, completions: they need new conversations of loaded users[/yellow]")
        return
    open_users = set(loaded_conversations().filter(ended_at__isnull=True).values_list("user_id", flat=True))
    plan = plan_conversations(
        count=options.conversations,
        messages=options.messages,
        completions=options.completions,
        users=users,
        open_users=open_users,
        seed=options.seed + 3 + existing,
    )
    before = Conversation.objects.aggregate(last=Max("pk"))["last"] or 0
    rng = TextMaker(options.seed + 4 + existing).rng
    table = Table(Conversation, CONVERSATION_COLUMNS, constants={"current_course": None, "client_reported_ip": None})
    bulk_insert(
        table,
        _conversation_rows(plan, rng),
        total=len(plan),
        console=console,
        label="conversations",
        batch_size=options.batch_size,
    )
    ids = dict(Conversation.objects.filter(pk__gt=before).values_list("session_id", "pk"))
    for conversation in plan:
        conversation.pk = ids[conversation.session_id]

    insert_messages(
        [(c.pk, c.user_id, c.started_at, c.messages) for c in plan],
        total=options.messages,
        seed=options.seed + 5 + existing,
        console=console,
        batch_size=options.batch_size,
    )
    completions = [(c.pk, c.user_id, *completion) for c in plan for completion in c.completions]
    table = Table(ModuleCompletion, ("conversation", "user", "module_id", "completion_data", "completed_at"))
    bulk_insert(
        table,
        iter(completions),
        total=len(completions),
        console=console,
        label="module completions",
        batch_size=options.batch_size,
    )
    bulk_load.analyze(console, Conversation, Message, ModuleCompletion)


def insert_messages(
    conversations: list[tuple[int, int, datetime.datetime, int]],
    *,
    total: int,
    seed: int,
    console: Console,
    batch_size: int = bulk_load.DEFAULT_BATCH_SIZE,
) -> float:
    """Bulk-insert the messages of ``(conversation id, user id, first at, count)``; returns the seconds."""
    table = Table(Message, MESSAGE_COLUMNS, constants=MESSAGE_CONSTANTS)
    text = MessageText(seed)
    return bulk_insert(
        table, text.rows(conversations), total=total, console=console, label="messages", batch_size=batch_size
    )


# --- P6: load ÷ the generate_series floor --------------------------------------------------------------


class _RollBack(Exception):
    pass


def _timed_and_rolled_back(work, count: int) -> float:
    """Seconds for ``work()`` plus the deferred constraint checks it queued; nothing it wrote is kept.
    Checks (untimed) that it inserted ``count`` messages, so neither side of P6 can be measured doing less."""
    last = Message.objects.aggregate(last=Max("pk"))["last"] or 0
    started = time.perf_counter()
    try:
        with transaction.atomic():
            work()
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign-key checks a commit would run
            seconds = time.perf_counter() - started
            inserted = Message.objects.filter(pk__gt=last).count()
            raise _RollBack
    except _RollBack:
        pass
    if inserted != count:
        raise RuntimeError(f"Expected {count:,} messages, {inserted:,} were inserted.")
    return seconds


def _sample_conversations(limit: int) -> list[tuple[int, int, datetime.datetime]]:
    rows = loaded_conversations().order_by("pk").values_list("pk", "user_id", "started_at")[:limit]
    conversations = list(rows)
    if not conversations:
        raise RuntimeError("No loaded conversations: run `seed_data.py load` first.")
    return conversations


def message_load_seconds(count: int, *, seed: int = bulk_load.DEFAULT_SEED, console: Console | None = None) -> float:
    """Seconds to ``load`` ``count`` messages (text made, COPY, constraint checks) into loaded conversations,
    rolled back afterwards. PostgreSQL only."""
    conversations = _sample_conversations(10_000)
    counts = spread(count, [1.0] * len(conversations))
    plan = [(pk, user, started, n) for (pk, user, started), n in zip(conversations, counts, strict=True)]
    console = console or Console(quiet=True)
    return _timed_and_rolled_back(lambda: insert_messages(plan, total=count, seed=seed, console=console), count)


def generate_series_floor(count: int) -> float:
    """Seconds for one ``INSERT ... SELECT generate_series`` of ``count`` equivalent messages (same table,
    same columns, text of the loader's average length, spread over the same loaded conversations),
    rolled back afterwards: the floor ``load`` is compared with (P6). PostgreSQL only."""
    conversations = _sample_conversations(10_000)
    text = MessageText(bulk_load.DEFAULT_SEED)
    sample = [row[3] for row in text.rows([(0, 0, timezone.now(), 1_000)])]
    average_length = sum(map(len, sample)) // len(sample)
    quote = connection.ops.quote_name
    columns = [Message._meta.get_field(name).column for name in (*MESSAGE_COLUMNS, *MESSAGE_CONSTANTS)]
    sql = f"""
        INSERT INTO {quote(Message._meta.db_table)} ({", ".join(quote(c) for c in columns)})
        SELECT c.user_id, c.id,
               CASE WHEN mod(g, 2) = 0 THEN 'user' ELSE 'assistant' END,
               left(repeat(md5(g::text) || ' ', %(repeats)s), %(length)s),
               CASE WHEN mod(g, 2) = 0 THEN NULL ELSE %(length)s / 4 END,
               CASE WHEN mod(g, 2) = 0 THEN '' ELSE %(model)s END,
               now() + g * interval '1 millisecond', now() + g * interval '1 millisecond',
               'text', NULL, NULL, '{{}}'::jsonb, '', '', ''
          FROM generate_series(0, %(count)s - 1) AS g
          JOIN (SELECT id, user_id, row_number() OVER (ORDER BY id) - 1 AS n
                  FROM {quote(Conversation._meta.db_table)} WHERE id = ANY(%(ids)s)) AS c
            ON c.n = mod(g, %(conversations)s)
    """
    params = {
        "repeats": average_length // 33 + 1,
        "length": average_length,
        "model": LOADED_MODEL,
        "count": count,
        "ids": [pk for pk, _, _ in conversations],
        "conversations": len(conversations),
    }

    def work() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    return _timed_and_rolled_back(work, count)
