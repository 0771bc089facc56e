from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    """Public-speaking curriculum and the XP/coins/tickets economy (seed 002)."""

    name = "myApp.curriculum"
    label = "curriculum"
    verbose_name = "Curriculum"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from myApp.curriculum import relationships
        from myApp.curriculum.models import SpeechRecording
        from myApp.curriculum.services.speech import recording_file_follows_row

        relationships.register()
        post_delete.connect(recording_file_follows_row, sender=SpeechRecording, dispatch_uid="recording_file")
