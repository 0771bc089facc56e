from django.apps import AppConfig


class UserSessionsConfig(AppConfig):
    """Chat conversations and clinical therapy sessions (seeds 000, 003, 004).

    Labelled ``usersessions`` so it never collides with ``django.contrib.sessions``.
    """

    name = "myApp.sessions"
    label = "usersessions"
    verbose_name = "Sessions"

    def ready(self) -> None:
        from myApp.sessions import risk_selectors

        risk_selectors.register()
