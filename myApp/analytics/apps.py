from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "myApp.analytics"
    label = "analytics"
    verbose_name = "Analytics"
