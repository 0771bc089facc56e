#!/usr/bin/env python
"""Knowledge-search probe (issue 9, target P7): how long one knowledge search takes as blocks grow.

    python bench/search_probe.py --blocks 10000            # the P7 figures (about a minute)
    python bench/search_probe.py --blocks 2000 --runs 20   # quicker
    python bench/search_probe.py --blocks 50 --runs 2 --chat 5,50   # a smoke run

It uses the database the environment names (``DATABASE_URL``, as ``manage.py`` does; migrated first).
Into it, under a level and module of its own (level number 32000, created and deleted by the probe,
so nothing else is touched), it bulk-inserts N knowledge blocks of varied public-speaking text built
from the word lists and sentence templates below (seeded, so every run builds the same corpus; no
downloads). Then, alternating the two sides question by question, it times:

- ``before``: the search as it was before issue 9 (every stop-word-free word OR-ed, ``ts_rank`` over
  ``to_tsvector(...)`` parsed again for every matching row), on PostgreSQL only;
- ``after``: the project's ``selectors.knowledge_block_search`` as it is now;

for worst-case questions (every word common in the corpus) and typical ones, and prints the median
milliseconds per call of each, the ratio, and whether both put the same block first. Then the
chat-like step (``knowledge_for``: the blocks and courses one chat turn looks up) at the sizes given
by ``--chat`` (default 10 and 1,000 blocks), as the ratio of calls per second. The probe's rows are
deleted at the end (``--keep`` leaves them, to look at query plans).
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
    matching row parsed again (the expression index it had is gone; it only ever served the filter)."""
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


def measure_search(runs: int, before_runs: int, postgres: bool) -> None:
    print(f"{'question':<56} {'before ms':>9} {'after ms':>8} {'ratio':>6}  top-3 as exhaustive  first's rank")
    for kind, questions in (("worst case", WORST_CASE), ("typical", TYPICAL)):
        print(f"-- {kind}")
        for text in questions:
            after = _median_ms(after_search, text, runs)
            top = after_search(text)
            if postgres:
                before = _median_ms(before_search, text, before_runs)
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
                print(f"{text[:56]:<56} {'-':>9} {after:>8.2f}")


def measure_chat(sizes: list[int], runs: int) -> None:
    """The knowledge one chat turn looks up (blocks and courses), at each size, and the ratio to the first."""
    from myApp.sessions.assistant.knowledge import knowledge_for

    questions = WORST_CASE + TYPICAL
    medians = {}
    for size in sizes:
        load_blocks(size)
        for text in questions:
            knowledge_for(text)
        per_call = [statistics.median(_ms(knowledge_for, text) for _ in range(runs)) for text in questions]
        medians[size] = statistics.median(per_call)
    base = sizes[0]
    for size in sizes:
        rate = 1000 / medians[size]
        print(
            f"knowledge_for at {size:>6} blocks: median {medians[size]:6.2f} ms/call ({rate:7.0f}/s), "
            f"{medians[base] / medians[size]:.2f}x the rate at {base}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--blocks", type=int, default=10_000, help="knowledge blocks for the search timings")
    parser.add_argument("--runs", type=int, default=50, help="timed calls per question (median quoted)")
    parser.add_argument("--before-runs", type=int, default=3, help="timed calls of the old search per question")
    parser.add_argument("--chat", default="10,1000", help="block counts for the chat-like comparison ('' skips)")
    parser.add_argument("--keep", action="store_true", help="leave the probe's blocks in the database")
    args = parser.parse_args(argv)

    _boot()
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    try:
        started = time.perf_counter()
        load_blocks(args.blocks)
        print(f"{args.blocks} blocks inserted in {time.perf_counter() - started:.1f} s ({connection.vendor})")
        measure_search(args.runs, args.before_runs, postgres)
        if args.chat:
            measure_chat([int(size) for size in args.chat.split(",")], args.runs)
    finally:
        if not args.keep:
            drop_blocks()
    return 0


if __name__ == "__main__":
    sys.exit(main())
