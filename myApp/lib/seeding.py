"""Registry behind ``seed_data.py``.

A target is a name (``users``, ``demo``, ...) made of steps that apps register
from their ``seeds.py`` module; several apps may add steps to one target, run in
``order``. Every step must be idempotent: running a target twice changes nothing
the second time.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.console import Console

SeedStep = Callable[[Console], None]


@dataclass
class SeedTarget:
    name: str
    help: str = ""
    steps: list[tuple[int, SeedStep]] = field(default_factory=list)

    def run(self, console: Console) -> None:
        from django.db import transaction

        for _, step in sorted(self.steps, key=lambda item: item[0]):
            with transaction.atomic():
                step(console)


_TARGETS: dict[str, SeedTarget] = {}


def seed_target(name: str, *, help: str = "", order: int = 100) -> Callable[[SeedStep], SeedStep]:
    """Register the decorated function as a step of target ``name``."""

    def register(step: SeedStep) -> SeedStep:
        target = _TARGETS.setdefault(name, SeedTarget(name=name))
        if help and not target.help:
            target.help = help
        if all(existing is not step for _, existing in target.steps):
            target.steps.append((order, step))
        return step

    return register


def discover() -> dict[str, SeedTarget]:
    """Import every installed app's ``seeds`` module, then return the registry."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("seeds")
    return dict(sorted(_TARGETS.items()))
