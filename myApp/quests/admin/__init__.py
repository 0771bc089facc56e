"""Quest admins. Daily quests and streaks: ``admin.daily``."""

from myApp.quests.admin import daily  # noqa: F401  (registers the daily quest admins)
