"""Reads for quests. Therapeutic quests: ``selectors.quests``, whose names are also this package's (the
marketplace, play, progress seen by whom). Daily quests and streaks: ``selectors.daily``."""

from myApp.quests.selectors.quests import *  # noqa: F403
