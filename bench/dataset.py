"""The benchmark's data set: the project's ``load`` target at the chosen sizes, plus the few rows each
measure needs (bench users with API tokens and log-in sessions, a learner with 100x another's rows,
smaller copies of the knowledge-block table for P7). Every step is idempotent.
"""

import subprocess
import sys
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from rich.console import Console

from bench import clinical
from bench.server import ROOT
from myApp.accounts import services as accounts
from myApp.accounts.models import User
from myApp.curriculum.models import ExerciseSubmission, KnowledgeBlock, Lesson, SubmissionStage
from myApp.lib.load_text import TextMaker
from myApp.lib.seeding import discover
from myApp.sessions.models import Client, Conversation, Message, MessageRole

HISTORY_MESSAGES = 60  # the P1/P2 conversation: more than the 50 the cache keeps
CHAT_USERS = 4
SMALL_KB_SCHEMA = "bench_kb_small"
LARGE_KB_SCHEMA = "bench_kb_large"


@dataclass
class Sizes:
    users: int
    conversations: int
    messages: int
    blocks: int
    page_rows: int  # P3: the big learner's submissions and messages (the small one has 1/100)
    chat_blocks: int  # P7: chat at this many blocks vs at 10
    load_extra: dict[str, int] = field(default_factory=dict)  # load's other sizes (its defaults when empty)
    client_sentences: int = 100  # C3: sentences in each of the bench client's 100 sessions


@dataclass
class Person:
    user: User
    token: str
    session_cookie: str = ""
    conversations: list[Conversation] = field(default_factory=list)

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}"}

    @property
    def cookie(self) -> dict[str, str]:
        return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={self.session_cookie}"}


@dataclass
class LoadRun:
    how: str  # what built the rows
    seconds: float
    added_messages: int


@dataclass
class Dataset:
    load: LoadRun
    reader: Person
    small: Person
    big: Person
    modules: Person
    chatters: list[Person]
    turn: Person
    chat_blocks: int
    clinic_client: Client


def migrate() -> None:
    call_command("migrate", interactive=False, verbosity=0)


def collect_static() -> None:
    """With DEBUG off the pages need the hashed static files' manifest, as in production."""
    call_command("collectstatic", interactive=False, verbosity=0)


def _run_load(sizes: Sizes, console: Console) -> LoadRun:
    """``seed_data.py load`` at these sizes, as a user runs it (a second run adds nothing)."""
    before = Message.objects.count()
    options = {
        "users": sizes.users,
        "conversations": sizes.conversations,
        "messages": sizes.messages,
        "blocks": sizes.blocks,
        **sizes.load_extra,
    }
    command = [sys.executable, "seed_data.py", "load"]
    for name, value in options.items():
        command += [f"--{name.replace('_', '-')}", str(value)]
    began = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True)
    seconds = time.perf_counter() - began
    return LoadRun(how="seed_data.py load", seconds=seconds, added_messages=Message.objects.count() - before)


def _person(username: str, *, cookie: bool = False) -> Person:
    user = User.objects.filter(username=username).first() or accounts.user_create(username=username, password=None)
    _, key = accounts.device_token_create(user=user, name="bench")
    person = Person(user=user, token=key)
    if cookie:
        from importlib import import_module

        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        person.session_cookie = store.session_key
    return person


FULL_PAGE = 20  # rows on the first page of the conversation lists (the history page and the API)


def _conversations(user: User, *, count: int, messages_each: int) -> list[Conversation]:
    """``count`` conversations of ``messages_each`` messages (the newest open, the others ended)."""
    existing = list(Conversation.objects.filter(user=user).order_by("id"))
    if len(existing) >= count:
        return existing[:count]
    # One open conversation per user (a constraint): the newest one added below is the open one.
    Conversation.objects.filter(user=user, ended_at__isnull=True).update(ended_at=F("started_at"))
    # The text `load` writes (a question of about 70 characters, an answer of about 350), so the history
    # measures serialise what a real conversation holds.
    text = TextMaker(user.pk)
    for index in range(len(existing), count):
        conversation = Conversation.objects.create(user=user, message_count=messages_each)
        Message.objects.bulk_create(
            Message(
                user=user,
                conversation=conversation,
                role=MessageRole.USER if n % 2 == 0 else MessageRole.ASSISTANT,
                content=text.user_message() if n % 2 == 0 else text.assistant_message(),
            )
            for n in range(messages_each)
        )
        if index < count - 1:
            Conversation.objects.filter(pk=conversation.pk).update(ended_at=conversation.started_at)
        existing.append(conversation)
    return existing


def _submissions(user: User, count: int) -> None:
    missing = count - ExerciseSubmission.objects.filter(user=user).count()
    lessons = list(Lesson.objects.select_related("module").order_by("module__order", "order"))
    if missing <= 0 or not lessons:
        return
    ExerciseSubmission.objects.bulk_create(
        (
            ExerciseSubmission(
                user=user,
                module=lessons[n % len(lessons)].module,
                lesson=lessons[n % len(lessons)],
                stage=SubmissionStage.LESSON,
                payload={"step": n % 3, "answer": "A question"},
                duration_ms=1000 + n % 5000,
            )
            for n in range(missing)
        ),
        batch_size=2000,
    )


def knowledge_schemas(chat_blocks: int) -> int:
    """Two schemas, each with its own copy of the knowledge-block table: 10 blocks and ``chat_blocks``
    blocks. A server whose search_path starts with one of them sees only those blocks (P7); every other
    table is the shared one in ``public``. Returns how many blocks the large copy holds."""
    table = KnowledgeBlock._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s "
            "AND is_generated = 'NEVER' ORDER BY ordinal_position",
            [table],
        )
        columns = ", ".join(f'"{name}"' for (name,) in cursor.fetchall())
        sizes = {SMALL_KB_SCHEMA: 10, LARGE_KB_SCHEMA: chat_blocks}
        for schema, size in sizes.items():
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
            cursor.execute(f'CREATE TABLE {schema}."{table}" (LIKE public."{table}" INCLUDING ALL)')
            cursor.execute(
                f'INSERT INTO {schema}."{table}" ({columns}) SELECT {columns} FROM public."{table}" '
                "ORDER BY id LIMIT %s",
                [size],
            )
            cursor.execute(f'ANALYZE {schema}."{table}"')
        cursor.execute(f'SELECT count(*) FROM {LARGE_KB_SCHEMA}."{table}"')
        return cursor.fetchone()[0]


def build(sizes: Sizes, console: Console) -> Dataset:
    targets = discover()
    with console.status("migrating and loading the module A sample"):
        migrate()
        collect_static()
        with transaction.atomic():
            targets["module_a_sample"].run(Console(quiet=True))
    console.print(
        f"building the data set: {sizes.users:,} users, {sizes.conversations:,} conversations, "
        f"{sizes.messages:,} messages, {sizes.blocks:,} knowledge blocks"
    )
    load = _run_load(sizes, console)
    console.print(f"  {load.how}: {load.seconds:.1f} s, {load.added_messages:,} messages added")

    with console.status("bench users, tokens and rows"):
        reader = _person("bench_reader")
        reader.conversations = _conversations(reader.user, count=1, messages_each=HISTORY_MESSAGES)
        small_rows = max(sizes.page_rows // 100, 1)
        small = _person("bench_small", cookie=True)
        # A full first page of the conversation lists on both sides (20 rows): P3 measures growth with the data,
        # not a page of one row against a page of twenty.
        small.conversations = _conversations(small.user, count=FULL_PAGE, messages_each=max(small_rows // FULL_PAGE, 1))
        _submissions(small.user, small_rows)
        big = _person("bench_big", cookie=True)
        big.conversations = _conversations(big.user, count=max(sizes.page_rows // 200, 1), messages_each=200)
        _submissions(big.user, sizes.page_rows)
        modules = _person("bench_modules")
        modules.conversations = _conversations(modules.user, count=8, messages_each=2)
        chatters = [_person(f"bench_chat_{n}") for n in range(CHAT_USERS)]
        turn = _person("bench_turn")
        turn.conversations = _conversations(turn.user, count=1, messages_each=HISTORY_MESSAGES)
        chat_blocks = knowledge_schemas(sizes.chat_blocks)
        clinic_client = clinical.bench_client(sizes.client_sentences, console)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Dataset(
        load=load,
        reader=reader,
        small=small,
        big=big,
        modules=modules,
        chatters=chatters,
        turn=turn,
        chat_blocks=chat_blocks,
        clinic_client=clinic_client,
    )
