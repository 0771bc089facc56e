"""Quest models arrive with the quests issue."""
