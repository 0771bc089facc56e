"""Quests API. Daily quests and streaks: ``api.daily`` (registered in ``myProject.api_router``)."""
