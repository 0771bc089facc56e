"""The learner's high-stakes situations: captured in the first module, rehearsed by later ones.

Module A (the first module) asks the learner for the speaking situations that matter to
them ("my thesis defence", "the Monday stand-up"); they are kept in a ``StakesMap``. When a
lesson of a later module starts, ``lesson_context_refresh`` puts one of them in play for
that module (``LessonSessionContext``): it stays for ``SCENARIO_COOLDOWN``, so the lessons
of one sitting rehearse the same situation, and the first start after that moves on to the
next one. The lesson page and the API show the scenario in play beside each step's prompt.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from myApp.accounts.models import User
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.curriculum import selectors
from myApp.curriculum.models import LessonSessionContext, Module, StakesMap
from myApp.lib.exceptions import Conflict, ServiceError
from myApp.lib.json_input import text_problem

MAX_SCENARIOS = 5
MAX_SCENARIO_LENGTH = 200
SCENARIO_COOLDOWN = datetime.timedelta(hours=24)


def _clean_scenarios(scenarios: object) -> list[str]:
    if not isinstance(scenarios, list) or len(scenarios) > MAX_SCENARIOS:
        raise ServiceError(
            "Invalid situations.", errors={"scenarios": [f"A list of at most {MAX_SCENARIOS} situations."]}
        )
    cleaned: list[str] = []
    for index, scenario in enumerate(scenarios):
        if not isinstance(scenario, str) or not scenario.strip() or text_problem(scenario):
            raise ServiceError("Invalid situations.", errors={f"scenarios.{index}": ["Describe the situation."]})
        scenario = " ".join(scenario.split())
        if len(scenario) > MAX_SCENARIO_LENGTH:
            raise ServiceError(
                "Invalid situations.",
                errors={f"scenarios.{index}": [f"At most {MAX_SCENARIO_LENGTH} characters."]},
            )
        if scenario.casefold() not in {seen.casefold() for seen in cleaned}:
            cleaned.append(scenario)
    return cleaned


@transaction.atomic
def stakes_map_set(*, user: User, module: Module, scenarios: list[str]) -> StakesMap:
    """Replace the learner's high-stakes situations. Only the first module captures them, and
    only once it is open to the learner; an empty list clears them."""
    if module.pk != selectors.first_module_id():
        raise Conflict(
            "High-stakes situations are captured in the first module.",
            errors={"module": ["Only the first module asks for your situations."]},
        )
    cleaned = _clean_scenarios(scenarios)
    stakes, _ = StakesMap.objects.update_or_create(user=user, module=module, defaults={"scenarios": cleaned})
    track(event_type=events.STAKES_MAP_SET, user=user, data={"module_id": module.pk, "count": len(cleaned)})
    return stakes


def _next_scenario(scenarios: list[str], current: str | None) -> str:
    if current in scenarios:
        return scenarios[(scenarios.index(current) + 1) % len(scenarios)]
    return scenarios[0]


def lesson_context_refresh(*, user: User, module: Module) -> LessonSessionContext | None:
    """Keep the scenario in play for ``module`` until its cooldown ends, then move to the next
    one of the learner's situations. None when the learner named none, or for the first
    module itself (it captures situations; later modules rehearse them)."""
    if module.pk == selectors.first_module_id():
        return None
    scenarios = selectors.stakes_scenarios(user=user)
    if not scenarios:
        return None
    now = timezone.now()
    context = LessonSessionContext.objects.select_for_update().filter(user=user, module=module).first()
    if context is not None and context.cooldown_until > now and context.scenario in scenarios:
        return context
    values = {
        "scenario": _next_scenario(scenarios, context.scenario if context else None),
        "cooldown_until": now + SCENARIO_COOLDOWN,
    }
    if context is not None:
        LessonSessionContext.objects.filter(pk=context.pk).update(**values, updated_at=now)
        context.refresh_from_db()
        return context
    try:
        with transaction.atomic():
            return LessonSessionContext.objects.create(user=user, module=module, **values)
    except IntegrityError:  # a concurrent start of this module's lessons put one in play first
        return LessonSessionContext.objects.get(user=user, module=module)
