from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "parcours.organisations"
    default_auto_field = "django.db.models.BigAutoField"
