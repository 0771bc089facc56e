from django.apps import AppConfig


class QuestsConfig(AppConfig):
    """Therapeutic parent/child quests and their reviewed marketplace (seed 001)."""

    name = "myApp.quests"
    label = "quests"
    verbose_name = "Quests"
