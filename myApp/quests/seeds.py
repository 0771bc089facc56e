"""Seed steps for quests. Daily quests and streaks: ``seeds_daily``; therapeutic quests: ``seeds_quests``."""

from myApp.quests import (
    seeds_daily,  # noqa: F401  (registers the daily quest step of ``demo``)
    seeds_quests,  # noqa: F401  (registers the therapeutic quest step of ``demo``)
)
