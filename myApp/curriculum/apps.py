from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    """Public-speaking curriculum and the XP/coins/tickets economy (seed 002)."""

    name = "myApp.curriculum"
    label = "curriculum"
    verbose_name = "Curriculum"

    def ready(self) -> None:
        from myApp.curriculum import relationships

        relationships.register()
