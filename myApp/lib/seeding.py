"""Registry behind ``seed_data.py``.

A target is a name (``users``, ``demo``, ``load``, ...) made of steps that apps register
from their ``seeds.py`` module; several apps may add steps to one target, run in
``order``. Every step must be idempotent: running a target twice changes nothing
the second time.

A target may take options (``seed_data.py load --users 1000``): a step declares the ones it
reads with ``arguments=[SeedArgument("--users", type=int, ...)]`` and is then called with the
parsed ``argparse.Namespace`` as its second argument. Several steps of a target may declare
the same option (same flag, same settings); it is parsed once.
"""

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console

SeedStep = Callable[..., None]


@dataclass(frozen=True, init=False)
class SeedArgument:
    """One option of a target, as ``argparse.ArgumentParser.add_argument`` takes it."""

    flag: str
    settings: dict[str, Any] = field(default_factory=dict)

    def __init__(self, flag: str, **settings: Any) -> None:
        object.__setattr__(self, "flag", flag)
        object.__setattr__(self, "settings", settings)


@dataclass
class SeedTarget:
    name: str
    help: str = ""
    steps: list[tuple[int, SeedStep]] = field(default_factory=list)
    arguments: dict[str, SeedArgument] = field(default_factory=dict)

    def parser(self) -> argparse.ArgumentParser:
        parser = argparse.ArgumentParser(
            prog=f"seed_data.py {self.name}",
            description=self.help,
            formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        )
        for argument in self.arguments.values():
            parser.add_argument(argument.flag, **argument.settings)
        return parser

    def parse(self, argv: Sequence[str]) -> argparse.Namespace:
        """The target's options from ``argv``; argparse exits with status 2 on a bad one."""
        return self.parser().parse_args(list(argv))

    def run(self, console: Console, options: argparse.Namespace | None = None) -> None:
        from django.db import transaction

        options = options if options is not None else self.parse([])
        for _, step in sorted(self.steps, key=lambda item: item[0]):
            with transaction.atomic():
                if getattr(step, "seed_takes_options", False):
                    step(console, options)
                else:
                    step(console)


_TARGETS: dict[str, SeedTarget] = {}


def seed_target(
    name: str, *, help: str = "", order: int = 100, arguments: Sequence[SeedArgument] = ()
) -> Callable[[SeedStep], SeedStep]:
    """Register the decorated function as a step of target ``name``.

    With ``arguments`` the step is called as ``step(console, options)``; without, as ``step(console)``.
    """

    def register(step: SeedStep) -> SeedStep:
        target = _TARGETS.setdefault(name, SeedTarget(name=name))
        if help and not target.help:
            target.help = help
        for argument in arguments:
            known = target.arguments.setdefault(argument.flag, argument)
            if known != argument:
                raise ValueError(f"Seed target {name!r}: {argument.flag} is declared twice, differently.")
        if arguments:
            step.seed_takes_options = True
        if all(existing is not step for _, existing in target.steps):
            target.steps.append((order, step))
        return step

    return register


def discover() -> dict[str, SeedTarget]:
    """Import every installed app's ``seeds`` module, then return the registry."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("seeds")
    return dict(sorted(_TARGETS.items()))
