from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    """Label readiness (C9) and the public CSR profile a company may publish (C8/C9)."""

    name = "parcours.profiles"
    verbose_name = _("Public profiles and label readiness")
    default_auto_field = "django.db.models.BigAutoField"
