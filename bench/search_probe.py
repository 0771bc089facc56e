#!/usr/bin/env python
"""Knowledge-search probe (issue 9, target P7): how long one knowledge search takes as blocks grow.

    python bench/search_probe.py --blocks 10000            # the P7 figures (two to three minutes)
    python bench/search_probe.py --blocks 2000 --runs 20   # quicker
    python bench/search_probe.py --blocks 50 --runs 2 --before-runs 1 --chat 5,50   # a smoke run

It uses the database the environment names (``DATABASE_URL``, as ``manage.py`` does; migrated first).
Into it, under a level and module of its own (level number 32000, created and deleted by the probe,
so nothing else is touched), it bulk-inserts N knowledge blocks of varied public-speaking text built
from the word lists and sentence templates below (seeded, so every run builds the same corpus; no
downloads). Then, alternating the two sides call by call, it times:

- ``before``: the search as it was before issue 9 (every stop-word-free word OR-ed, ``ts_rank`` over
  ``to_tsvector(...)`` parsed again for every matching row; its expression index is recreated for the
  run and dropped after), on PostgreSQL only;
- ``after``: the project's ``selectors.knowledge_block_search`` as it is now (3 blocks, as a chat
  turn asks);

for worst-case questions (every word common in the corpus) and typical ones, and prints the median
milliseconds per call of each and their ratio, how many of the three blocks are those the same ranking
over every matching row would give, and how the first block's rank compares with that ranking's best.
Then the chat at the sizes given by ``--chat`` (default 10 and 1,000 blocks): the block search (both
sides), ``knowledge_for`` (blocks and courses, what one chat turn looks up) and a whole chat turn
(``chat_send`` for a probe user, without HTTP), as the median milliseconds per call over all questions
and the rate at each larger size relative to the first; the sizes take turns (``--chat-repeats``) so
that both see the same machine. The probe's rows (and its user, with the
user's conversation) are deleted at the end (``--keep`` leaves them, to look at query plans). On a machine
shared with other work, the load average printed first and last says how far to trust the figures.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PROBE_LEVEL = 32000
OLD_INDEX = "search_probe_old_kb_search"
PROBE_USER = "search-probe"
SEED = 9

# --- The corpus -----------------------------------------------------------------------------------------
# Each block has one main topic and one side topic; its words come from those topics' vocabularies, a
# small set of words every speaking lesson uses (these make the worst-case questions), and general words.


def _words(text: str) -> list[str]:
    return text.split()


TOPICS = {
    "nerves": "nerves anxiety adrenaline heartbeat shaking fear jitters panic tension",
    "breathing": "breath breathing exhale inhale diaphragm lungs counts belly",
    "pauses": "pause pauses silence beat rhythm emphasis landing breathers",
    "slides": "slides slide visuals chart font bullets images deck layout",
    "eye contact": "eye eyes gaze glance faces contact stare corners",
    "storytelling": "story stories anecdote character conflict plot scene narrative",
    "vocal variety": "pitch volume tone resonance projection vowels articulation monotone",
    "body language": "gesture gestures hands posture stance movement arms shoulders",
    "questions and answers": "question questions answer answers hostile clarify follow-up moderator",
    "openings": "opening hook greeting attention curiosity surprise first seconds",
    "closings": "closing ending call action recap final takeaway memorable",
    "rehearsal": "rehearse rehearsal timer recording run-through mirror drill repetition",
    "humour": "humour joke jokes laughter funny irony timing punchline",
    "persuasion": "argument evidence claim persuade logic reasons credibility proof",
    "structure": "structure outline section sections transition signpost order sequence",
    "impromptu speaking": "impromptu unprepared spontaneous prompt framework improvise table-topics",
    "online talks": "camera microphone video webcam lighting screen bandwidth mute",
    "debate": "debate rebuttal opponent motion resolution clash cross-examination",
    "sales pitches": "pitch investors product customer value price deal demo",
    "meetings": "meeting agenda colleagues update manager team minutes status",
    "interviews": "interview interviewer candidate hiring role employer strengths",
    "toasts": "toast wedding guests glass celebration couple honour",
    "filler words": "filler fillers um uh habit crutch awareness tally",
    "pace": "pace speed rushing tempo minute slowly hurried",
    "data and numbers": "numbers statistics data graph percentages figures comparison",
    "audience analysis": "demographics needs expectations background knowledge interests survey",
    "feedback": "feedback critique evaluator praise improvement comments review",
    "memory and notes": "notes memorize cue cards outline blank recall keywords",
    "voice care": "throat hydration water warm-up hoarse strain vocal",
    "large rooms": "hall auditorium podium lectern balcony acoustics projection",
    "small groups": "group circle workshop participants discussion seminar",
    "panels": "panel panellists moderator turn interrupt share",
    "teaching": "students classroom lecture learners explain lesson",
    "mindset": "mindset beliefs self-talk reframing perfectionism growth",
    "language": "words vocabulary jargon plain sentences clarity metaphors",
    "listening": "listening listen empathy attention reflect paraphrase",
    "posture": "posture spine feet grounded weight balance stance",
    "handling mistakes": "mistake mistakes recover stumble forget apology slip",
    "presence": "presence charisma authority warmth energy stillness",
    "preparation": "prepare preparation research venue checklist logistics schedule",
}

# Words nearly every lesson uses: a question made of these is the worst case for a search.
COMMON = _words("speaker speech audience talk practice confidence presentation message listeners speaking")
GENERAL = _words(
    "time way people moment idea point room stage minute part place plan step habit skill result reason "
    "change example detail sense goal tool effect level quality chance problem approach method technique "
    "attention energy focus effort progress experience situation context purpose rule signal moment"
)
ADJECTIVES = _words(
    "clear calm steady simple strong short quiet natural useful common small careful honest warm direct "
    "better slower deliberate relaxed confident"
)
VERBS = _words(
    "use try build keep notice choose plan check hold change lower raise shape support guide improve "
    "prepare repeat record test mark"
)

TEMPLATES = [
    "Most speakers find that {t1} {verb}s the {general} more than they expect.",
    "A {adj} {t1} helps the {common} {verb} the {general}.",
    "When you {verb} your {t1}, the {common} notices a {adj} {general}.",
    "Try to {verb} one {t2} at a time and keep the {t1} {adj}.",
    "The {general} of a {common} depends on {t1} and {t2}.",
    "Experienced speakers {verb} their {t1} before every {common}.",
    "If the {t1} feels {adj}, {verb} the {t2} and give the {common} a {general}.",
    "Research on {t1} suggests a {adj} {general} works better than a long one.",
    "Notice how the {t1} changes the {general} of your {common}.",
    "A {adj} {t2} is easier for the {common} to follow than a {adj2} {t1}.",
    "Practise the {t1} in small steps, then {verb} the {t2} with a friend.",
    "Your {common} will remember the {t1} if you {verb} it with a {adj} {general}.",
    "Do not {verb} the {t1}; a {adj} {general} is enough.",
    "Many people {verb} the {t2} and forget the {t1}.",
    "Write down one {general} about your {t1} after each {common}.",
    "The {t1} and the {t2} work together to {verb} your {common}.",
    "Speak to the {common} about the {t1}, not about the {general}.",
    "You speak with more {general} once the {t1} feels {adj}.",
]
TITLES = [
    "{T1}: a {adj} {general}",
    "Using {t1} to {verb} your {common}",
    "Why {t1} matters for {t2}",
    "{T1} and {t2} in practice",
    "A {adj} approach to {t1}",
    "How {t1} shapes the {common}",
    "{T1} for {adj} speakers",
    "Five ways to {verb} your {t1}",
]
SUMMARIES = [
    "A {adj} {t1} lets the {common} focus on your {general}.",
    "How {t1} and {t2} {verb} the {general} of a {common}.",
    "Small changes to your {t1} make the {common} {adj}.",
    "{T1} is a {general} you can {verb} with practice.",
]


def _fill(template: str, rng: random.Random, main: list[str], side: list[str]) -> str:
    t1 = rng.choice(main)
    return template.format(
        t1=t1,
        T1=t1.capitalize(),
        t2=rng.choice(side if rng.random() < 0.6 else main),
        common=rng.choice(COMMON),
        general=rng.choice(GENERAL),
        adj=rng.choice(ADJECTIVES),
        adj2=rng.choice(ADJECTIVES),
        verb=rng.choice(VERBS),
    )


def corpus(count: int, seed: int = SEED) -> list[dict]:
    """``count`` blocks of 150-230 words: title, summary and body from the templates above."""
    rng = random.Random(seed)
    names = list(TOPICS)
    blocks = []
    for order in range(count):
        main_name, side_name = rng.sample(names, 2)
        main, side = TOPICS[main_name].split(), TOPICS[side_name].split()
        title = _fill(rng.choice(TITLES), rng, main, side)[:200]
        summary = _fill(rng.choice(SUMMARIES), rng, main, side)
        sentences: list[str] = []
        target = rng.randint(150, 230)
        while sum(len(s.split()) for s in sentences) < target:
            sentences.append(_fill(rng.choice(TEMPLATES), rng, main, side))
        blocks.append({"order": order, "title": title, "summary": summary, "body": " ".join(sentences)})
    return blocks


# --- Setting up ------------------------------------------------------------------------------------------


def _boot() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "myProject.settings")
    import django

    django.setup()


def load_blocks(count: int) -> None:
    """Replace the probe's blocks with ``count`` new ones (one bulk insert)."""
    from django.db import connection

    from myApp.curriculum.models import KnowledgeBlock, Level, Module

    drop_blocks()
    level = Level.objects.create(number=PROBE_LEVEL, title="Search probe")
    module = Module.objects.create(level=level, code=Module.Code.A, title="Search probe")
    KnowledgeBlock.objects.bulk_create(
        (KnowledgeBlock(module=module, **block) for block in corpus(count)), batch_size=1000
    )
    if connection.vendor == "postgresql":  # what autovacuum would do: drop the last run's dead rows, plan afresh
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE curriculum_knowledgeblock")


def old_index(*, create: bool) -> None:
    """The expression index the old search filtered with (migration 0002, replaced by 0008), for the
    ``before`` side only: created for the run, dropped after it."""
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector
    from django.db import connection

    from myApp.curriculum import search
    from myApp.curriculum.models import KnowledgeBlock

    index = GinIndex(SearchVector(*search.KNOWLEDGE_BLOCK_FIELDS, config="english"), name=OLD_INDEX)
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS " + OLD_INDEX)
    if create:
        with connection.schema_editor() as editor:
            editor.add_index(KnowledgeBlock, index)


def drop_blocks() -> None:
    from myApp.curriculum.models import Level

    Level.objects.filter(number=PROBE_LEVEL).delete()


# --- Measuring -------------------------------------------------------------------------------------------

WORST_CASE = [  # every word common in the corpus
    "How can I speak with more confidence to my audience during a presentation?",
    "speech",
    "Any practice tips for the talk I give to listeners with my message?",
]
TYPICAL = [
    "How do I stop my hands shaking from nerves?",
    "What should I put on my slides and how big should the font be?",
    "How long should a pause be, and is silence awkward?",
    "How should I structure the opening of my speech so the audience pays attention from the first minute?",
    "Tips for the camera and microphone in an online talk",
]


def before_search(text: str, limit: int = 3) -> list:
    """The search as it was before issue 9: every word OR-ed, ``ts_rank`` over ``to_tsvector`` of each
    matching row parsed again (its expression index, gone since migration 0008, is back for the run)."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
    from django.db.models import F

    from myApp.curriculum import search, selectors

    query = SearchQuery(" | ".join(search.query_words(text)), search_type="raw", config=search.SEARCH_CONFIG)
    return list(
        selectors.knowledge_blocks()
        .annotate(document=SearchVector(*search.KNOWLEDGE_BLOCK_FIELDS, config=search.SEARCH_CONFIG))
        .filter(document=query)
        .annotate(rank=SearchRank(F("document"), query))
        .order_by("-rank", "pk")[:limit]
    )


def after_search(text: str, limit: int = 3) -> list:
    from myApp.curriculum import selectors

    return selectors.knowledge_block_search(text, limit=limit)


def exhaustive_top(text: str, limit: int = 3) -> list[tuple[int, float]]:
    """The same ranking as ``after`` over every matching row, not a bounded candidate set."""
    from django.contrib.postgres.search import SearchQuery, SearchRank
    from django.db.models import F

    from myApp.curriculum import search
    from myApp.curriculum.models import KnowledgeBlock

    query = SearchQuery(" | ".join(search.query_words(text)), search_type="raw", config=search.SEARCH_CONFIG)
    rows = (
        KnowledgeBlock.objects.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "pk")
        .values_list("pk", "rank")[:limit]
    )
    return list(rows)


def _ms(call, text: str) -> float:
    started = time.perf_counter()
    call(text)
    return (time.perf_counter() - started) * 1000


def _median_ms(call, text: str, runs: int) -> float:
    call(text)  # warm: plans, caches
    return statistics.median(_ms(call, text) for _ in range(runs))


def _paired(after, before, text: str, runs: int, before_runs: int) -> tuple[float, float]:
    """Median ms of each side, their calls alternated so that both see the same machine."""
    after(text), before(text)  # warm: plans, caches
    timings: dict[str, list[float]] = {"after": [], "before": []}
    for round_ in range(runs):
        timings["after"].append(_ms(after, text))
        if round_ < before_runs:
            timings["before"].append(_ms(before, text))
    return statistics.median(timings["after"]), statistics.median(timings["before"])


def measure_search(runs: int, before_runs: int, postgres: bool) -> None:
    print(f"{'question':<56} {'before ms':>9} {'after ms':>8} {'ratio':>6}  top-3 as exhaustive  first's rank")
    for kind, questions in (("worst case", WORST_CASE), ("typical", TYPICAL)):
        print(f"-- {kind}")
        for text in questions:
            top = after_search(text)
            if postgres:
                after, before = _paired(after_search, before_search, text, runs, before_runs)
                exhaustive = exhaustive_top(text)
                same = len({block.pk for block in top} & {pk for pk, _ in exhaustive})
                first = (
                    "same block" if top[0].pk == exhaustive[0][0] else f"{top[0].rank / exhaustive[0][1]:.0%} of best"
                )
                print(
                    f"{text[:56]:<56} {before:>9.1f} {after:>8.2f} {before / after:>5.0f}x  "
                    f"{same}/{len(exhaustive)} the same{'':<9} {first}"
                )
            else:
                print(f"{text[:56]:<56} {'-':>9} {_median_ms(after_search, text, runs):>8.2f}")


def measure_chat(sizes: list[int], runs: int, before_runs: int, postgres: bool, repeats: int) -> None:
    """What one chat turn looks up, at each size: the three best blocks (``before`` and ``after``), the
    whole ``knowledge_for`` (blocks and courses) and a whole chat turn through ``chat_send`` (a fresh
    probe user's each time, so every size sees the same history, without HTTP). The sizes take turns
    ``repeats`` times (10, 1000, 10, 1000, ...); each figure is the median over questions and turns,
    and each rate is relative to the first size."""
    from myApp.accounts.models import User
    from myApp.accounts.services import user_create
    from myApp.sessions.assistant.knowledge import knowledge_for
    from myApp.sessions.services import chat_send

    state: dict[str, User] = {}

    def chat_turn(text: str) -> None:
        chat_send(user=state["user"], message=text)

    questions = WORST_CASE + TYPICAL
    sides = [
        ("chat turn (after)", chat_turn, runs),
        ("knowledge_for (after)", knowledge_for, runs),
        ("block search (after)", after_search, runs),
    ]
    if postgres:
        sides.append(("block search (before)", before_search, before_runs))
    samples: dict[str, dict[int, list[float]]] = {name: {size: [] for size in sizes} for name, _, _ in sides}
    User.objects.filter(username=PROBE_USER).delete()
    for _ in range(repeats):
        for size in sizes:
            load_blocks(size)
            state["user"] = user_create(username=PROBE_USER, password=None)
            try:
                for name, call, count in sides:
                    samples[name][size] += [_median_ms(call, text, count) for text in questions]
            finally:
                state["user"].delete()
    base = sizes[0]
    for name, _, _ in sides:
        medians = {size: statistics.median(samples[name][size]) for size in sizes}
        figures = ", ".join(f"{size} blocks {medians[size]:.2f} ms" for size in sizes)
        ratios = ", ".join(f"{medians[base] / medians[size]:.2f}x" for size in sizes[1:])
        print(f"{name:<22} {figures}; rate at {sizes[1:]} / rate at {base}: {ratios}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--blocks", type=int, default=10_000, help="knowledge blocks for the search timings")
    parser.add_argument("--runs", type=int, default=50, help="timed calls per question (median quoted)")
    parser.add_argument("--before-runs", type=int, default=3, help="timed calls of the old search per question")
    parser.add_argument("--chat", default="10,1000", help="block counts for the chat-like comparison ('' skips)")
    parser.add_argument("--chat-repeats", type=int, default=2, help="turns each chat size takes, alternating")
    parser.add_argument("--keep", action="store_true", help="leave the probe's blocks in the database")
    args = parser.parse_args(argv)

    _boot()
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    try:
        if postgres:
            old_index(create=True)
        started = time.perf_counter()
        load_blocks(args.blocks)
        print(f"{args.blocks} blocks inserted in {time.perf_counter() - started:.1f} s")
        measure_search(args.runs, args.before_runs, postgres)
        if args.chat:
            sizes = [int(size) for size in args.chat.split(",")]
            measure_chat(sizes, args.runs, args.before_runs, postgres, args.chat_repeats)
    finally:
        if postgres:
            old_index(create=False)
        if not args.keep:
            drop_blocks()
    print(f"load average now {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
