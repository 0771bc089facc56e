"""Writes for quests. Daily quests and streaks: ``services.daily``."""
