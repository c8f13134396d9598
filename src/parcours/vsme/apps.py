from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VsmeConfig(AppConfig):
    name = "parcours.vsme"
    verbose_name = _("VSME reporting")
    default_auto_field = "django.db.models.BigAutoField"
