from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

from parcours.organisations.access import OrgAccess

from ..selectors import customer_figures

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


@register.inclusion_tag("carbon/_customer_figures.html")
def transport_and_packaging(access: OrgAccess, year: int, can_edit: bool = False) -> dict[str, Any]:
    """Freight by mode and packaging by material for the indicator page of ``year``."""
    return {
        "access": access,
        "year": year,
        "figures": customer_figures(access.organisation, year),
        "can_edit": can_edit,
    }
