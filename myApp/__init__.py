"""The platform's Django apps: accounts, curriculum, quests, sessions, analytics."""
