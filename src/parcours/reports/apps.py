from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "parcours.reports"
    default_auto_field = "django.db.models.BigAutoField"
