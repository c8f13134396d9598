from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def plain(value: Decimal | None) -> str:
    """A decimal without trailing zeros, in the current language's format (12 500,5)."""
    if value is None:
        return ""
    normal = value.normalize()
    if normal == 0:
        normal = Decimal(0)
    return number_format(normal, use_l10n=True, force_grouping=True)
