from django.apps import AppConfig


class PratiquesConfig(AppConfig):
    name = "pratiques"
    verbose_name = "Pratiques"
