"""Quest models. Daily quests and streaks live in ``daily``."""

from myApp.quests.models.daily import DailyQuest, StreakFreeze, Vacation

__all__ = ["DailyQuest", "StreakFreeze", "Vacation"]
