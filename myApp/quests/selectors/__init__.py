"""Reads for quests. Daily quests and streaks: ``selectors.daily``."""
