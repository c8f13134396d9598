from django.apps import AppConfig


class DiagnosesConfig(AppConfig):
    name = "parcours.diagnoses"
    default_auto_field = "django.db.models.BigAutoField"
