from django.apps import AppConfig


class ReferentialConfig(AppConfig):
    name = "parcours.referential"
    default_auto_field = "django.db.models.BigAutoField"
