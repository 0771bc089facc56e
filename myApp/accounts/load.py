"""The accounts half of the ``load`` seed target: ``--users`` people, each with a profile.

Loaded users are named ``load_0000001`` … (``bulk_load.LOAD_PREFIX``), so they are never mistaken
for real people. None can log in unless ``SEED_LOAD_PASSWORD`` is set: then all share that
password, hashed once (never once per user).
"""

import argparse
import os

from django.contrib.auth.hashers import make_password
from django.db.models import QuerySet
from django.utils import timezone
from rich.console import Console

from myApp.accounts.models import DEFAULT_TIME_ZONE, ABVariant, Mode, Profile, Role, User
from myApp.lib import bulk_load
from myApp.lib.bulk_load import COMMON_ARGUMENTS, LOAD_PREFIX, Table, bulk_insert, say_exists, size_argument
from myApp.lib.load_text import AUDIENCES, GOALS, PERSONA_ROLES, TextMaker
from myApp.lib.seeding import seed_target

DEFAULT_USERS = 100_000
# Account roles among loaded users: mostly learners, some parents and teachers.
ROLE_WEIGHTS = {Role.LEARNER: 90, Role.PARENT: 8, Role.TEACHER: 2}


def load_username(index: int) -> str:
    return f"{LOAD_PREFIX}{index:07d}"


def loaded_users() -> QuerySet[User]:
    return User.objects.filter(username__startswith=LOAD_PREFIX)


def loaded_user_ids() -> list[int]:
    """Every loaded user's id, in the order they were loaded."""
    return list(loaded_users().order_by("username").values_list("pk", flat=True))


def _user_rows(start: int, count: int, maker: TextMaker, now):
    rng = maker.rng
    roles, weights = list(ROLE_WEIGHTS), list(ROLE_WEIGHTS.values())
    for index in range(start, start + count):
        first, last = maker.full_name()
        username = load_username(index)
        joined = bulk_load.days_ago(now, rng, most=730)
        yield (username, first, last, f"{username}@load.invalid", joined, rng.choices(roles, weights)[0])


def _profile_rows(users: list[tuple[int, object]], maker: TextMaker):
    rng = maker.rng
    for user_id, joined in users:
        onboarded = rng.random() < 0.7
        comfort = [rng.randint(1, 5) if onboarded else None for _ in range(3)]
        yield (
            user_id,
            rng.choice(PERSONA_ROLES) if onboarded else "",
            rng.choice(GOALS) if onboarded else "",
            rng.choice(AUDIENCES) if onboarded else "",
            *comfort,
            onboarded,
            rng.choice((ABVariant.A, ABVariant.B, ABVariant.UNASSIGNED)),
            Mode.THERAPEUTIC if rng.random() < 0.2 else Mode.EDUCATIONAL,
            rng.randrange(0, 2_000),
            rng.randrange(0, 300),
            rng.randrange(0, 10),
            joined,
            joined,
        )


USER_TABLE_COLUMNS = ("username", "first_name", "last_name", "email", "date_joined", "role")
PROFILE_TABLE_COLUMNS = (
    "user",
    "role",
    "main_goal",
    "audience",
    "comfort_one_on_one",
    "comfort_small_group",
    "comfort_large_audience",
    "onboarding_completed",
    "ab_variant",
    "mode",
    "xp",
    "coins",
    "tickets",
    "created_at",
    "updated_at",
)


@seed_target(
    "load",
    help=(
        "Bulk data for benchmarks (COPY on PostgreSQL): load_* users with profiles, conversations and "
        "messages, knowledge blocks, enrolments, progress, lesson runs and submissions, module completions. "
        "Sizes are options; a second run adds nothing unless --add."
    ),
    order=10,
    arguments=(*COMMON_ARGUMENTS, size_argument("--users", DEFAULT_USERS, "loaded users, each with a profile")),
)
def load_users(console: Console, options: argparse.Namespace) -> None:
    existing = loaded_users().count()
    if existing and not options.add:
        say_exists(console, "users", existing)
        return
    count = options.users
    password = os.environ.get("SEED_LOAD_PASSWORD")
    table = Table(
        User,
        USER_TABLE_COLUMNS,
        constants={
            "password": make_password(password or None),  # hashed once; unusable without SEED_LOAD_PASSWORD
            "last_login": None,
            "is_superuser": False,
            "is_staff": False,
            "is_active": True,
        },
    )
    maker = TextMaker(options.seed + existing)
    now = timezone.now()
    bulk_insert(
        table,
        _user_rows(existing, count, maker, now),
        total=count,
        console=console,
        label="users",
        batch_size=options.batch_size,
    )
    new_users = list(
        loaded_users()
        .filter(username__gte=load_username(existing))
        .order_by("username")
        .values_list("pk", "date_joined")
    )
    profiles = Table(
        Profile,
        PROFILE_TABLE_COLUMNS,
        constants={
            "parent_name": "",
            "time_zone": DEFAULT_TIME_ZONE,
            "previous_time_zone": "",
            "time_zone_changed_at": None,
            "time_zone_changed_on": None,
        },
    )
    bulk_insert(
        profiles,
        _profile_rows(new_users, maker),
        total=len(new_users),
        console=console,
        label="profiles",
        batch_size=options.batch_size,
    )
    bulk_load.analyze(console, User, Profile)
