#!/usr/bin/env python
"""Transcript-analysis probe (issue 11): how long ``analyse_session`` takes for one session.

    python bench/analysis_probe.py                       # 500 sentences, 5 runs
    python bench/analysis_probe.py --sentences 2000 --runs 3

It builds a session of N sentences (seeded, so every run analyses the same text; nothing downloaded):
the clinician and the client take turns; the client speaks the project's ``TextMaker`` learner messages
mixed with the kind of things clients say in therapy (feelings, worries, the odd cognitive distortion,
written below), the clinician its assistant sentences and reflections. No database is touched.

It prints the first run separately (it includes building the YAKE extractor, the VADER analyzer and the
lexicon, once per process), then the median and slowest of the warm runs, in seconds, with the number
of insights found; the load average printed first and last says how far to trust the figures on a
shared machine.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SEED = 11
CLIENT_LINES = (
    "I have been feeling really {feeling} since the last session, especially at work.",
    "My manager asked me to lead {situation} and I could not sleep the night before.",
    "I keep thinking that everyone in the room thinks I am boring.",
    "If I mess up {situation} it will be a disaster and they will fire me.",
    "I should be able to handle this by now, other people do.",
    "I always ruin things when it matters most.",
    "Honestly it went better than I expected, I even enjoyed parts of it.",
    "My sister called and we talked for an hour, which helped a lot.",
    "I am such a failure, I could not even send one email yesterday.",
    "I tried the breathing exercise twice and it calmed me down a bit.",
    "Nobody listens to me at home, they just talk over me.",
    "I was angry with my partner, we had an argument about money again.",
    "I felt {feeling} on Sunday evening, thinking about the week ahead.",
    "I am looking forward to the weekend away with my friends.",
    "It is not the end of the world, I know that, but it feels like it.",
)
CLINICIAN_LINES = (
    "What went through your mind just then?",
    "How strongly did you believe that thought, from zero to a hundred?",
    "It sounds like that was really hard for you.",
    "What would you say to a friend who told you the same thing?",
    "Let's look at the evidence for and against that thought.",
    "How did your body feel when that happened?",
    "That is a real step forward, well done.",
)


def session(sentences: int, seed: int = SEED) -> list[dict]:
    from myApp.lib.load_text import FEELINGS, SITUATIONS, TextMaker

    maker, rng = TextMaker(seed), random.Random(seed)
    rows = []
    for number in range(sentences):
        if number % 2 == 0:
            speaker = "therapist"
            text = rng.choice(CLINICIAN_LINES) if rng.random() < 0.5 else maker.sentence()
        else:
            speaker = "client"
            if rng.random() < 0.6:
                line = rng.choice(CLIENT_LINES)
                text = line.format(feeling=rng.choice(FEELINGS), situation=rng.choice(SITUATIONS))
            else:
                text = maker.user_message()
        rows.append({"sequence_number": number, "speaker": speaker, "text": text})
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5, help="warm runs after the first")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "myProject.settings")
    import django

    django.setup()
    from myApp.sessions.assistant.triage import classify
    from myApp.sessions.clinical.analysis import analyse_session

    rows = session(args.sentences)
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    started = time.perf_counter()
    result = analyse_session(rows)
    first = time.perf_counter() - started
    timings = []
    for _ in range(args.runs):
        classify.cache_clear()  # the safety rules' memo would otherwise answer repeated runs for free
        started = time.perf_counter()
        analyse_session(rows)
        timings.append(time.perf_counter() - started)
    print(f"sentences: {len(rows)} ({sum(row['speaker'] == 'client' for row in rows)} the client's)")
    print(f"insights: {len(result.insights)} ({', '.join(insight.rule for insight in result.insights)})")
    print(f"first run (builds the extractor, analyzer and lexicon): {first:.2f} s")
    if timings:
        print(f"warm runs: median {statistics.median(timings):.2f} s, slowest {max(timings):.2f} s ({args.runs} runs)")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
