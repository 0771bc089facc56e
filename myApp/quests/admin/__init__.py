"""Quest admins: therapeutic quests (``admin.quests``), daily quests and streaks (``admin.daily``)."""

from myApp.quests.admin import daily, quests  # noqa: F401  (importing registers them)
