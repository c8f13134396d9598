from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "parcours.learning"
    default_auto_field = "django.db.models.BigAutoField"
