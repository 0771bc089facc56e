"""Quest pages. Daily quests and streaks: ``views.daily``."""
