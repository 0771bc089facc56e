"""Shape rules for the JSON that staff write into content: lesson steps and venue task sheets.

One rule for every way content is written (the admin forms and the content API): a malformed
step (a choice without choices, an unknown kind) would make a lesson impossible to finish.
"""

from typing import Any

STEP_KINDS = ("text", "choice", "scale")


def _filled(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def normalized_steps(steps: list[dict]) -> list[dict]:
    """Steps with their default kind written out."""
    return [{"kind": "text", **step} for step in steps]


def lesson_steps_errors(steps: Any) -> list[str]:
    """What is wrong with a lesson's ``steps`` (the format documented on ``Lesson``); empty when valid."""
    if not isinstance(steps, list) or not steps:
        return ["Give at least one step: a list of objects with a prompt and a kind."]
    errors = []
    for number, step in enumerate(steps, start=1):
        if not isinstance(step, dict):
            errors.append(f"Step {number}: must be an object.")
            continue
        if not _filled(step.get("prompt")):
            errors.append(f"Step {number}: needs a prompt.")
        kind = step.get("kind", "text")  # a step without a kind takes text, as the lesson run does
        if kind not in STEP_KINDS:
            errors.append(f"Step {number}: kind must be one of {', '.join(STEP_KINDS)}.")
        choices = step.get("choices")
        if kind == "choice":
            if not isinstance(choices, list) or len(choices) < 2 or not all(_filled(c) for c in choices):
                errors.append(f"Step {number}: a choice step needs at least two choices.")
            elif len(set(choices)) != len(choices):
                errors.append(f"Step {number}: choices must differ from each other.")
        elif "choices" in step:  # even null: a step's choices, when present, are a list
            errors.append(f"Step {number}: only choice steps have choices.")
    return errors


def task_sheet_errors(exercises: Any) -> list[str]:
    """What is wrong with a task sheet's ``exercises``; each is {key, title, instructions, duration_s}."""
    if not isinstance(exercises, list) or not exercises:
        return ["Give at least one exercise: a list of objects with key, title, instructions and duration_s."]
    errors, keys = [], set()
    for number, exercise in enumerate(exercises, start=1):
        if not isinstance(exercise, dict):
            errors.append(f"Exercise {number}: must be an object.")
            continue
        for name in ("key", "title", "instructions"):
            if not _filled(exercise.get(name)):
                errors.append(f"Exercise {number}: needs {name}.")
        duration = exercise.get("duration_s")
        if isinstance(duration, bool) or not isinstance(duration, int) or duration <= 0:
            errors.append(f"Exercise {number}: duration_s must be a positive whole number of seconds.")
        key = exercise.get("key")
        if _filled(key):
            if key in keys:
                errors.append(f"Exercise {number}: key {key!r} is used twice.")
            keys.add(key)
    return errors
