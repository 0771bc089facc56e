from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "myApp.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from myApp.accounts import relationships

        relationships.register()
