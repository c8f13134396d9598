from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "parcours.actions"
    default_auto_field = "django.db.models.BigAutoField"
