"""Seed steps for quests. Daily quests and streaks: ``seeds_daily``."""

from myApp.quests import seeds_daily  # noqa: F401  (registers the daily quest step of ``demo``)
