from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "parcours.programmes"
    default_auto_field = "django.db.models.BigAutoField"
