from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarbonConfig(AppConfig):
    name = "parcours.carbon"
    verbose_name = _("Carbon estimate")
    default_auto_field = "django.db.models.BigAutoField"
