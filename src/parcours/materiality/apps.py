from django.apps import AppConfig


class MaterialityConfig(AppConfig):
    name = "parcours.materiality"
    default_auto_field = "django.db.models.BigAutoField"
