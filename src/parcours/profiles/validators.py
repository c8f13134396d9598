"""Checks on what an owner types into the public profile, shared by the form and the service."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from parcours.organisations.models import Organisation

from . import selectors

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MIN, SLUG_MAX = 3, 60


def clean_public_slug(raw: str, organisation: Organisation) -> str:
    """The address as typed, normalised and checked; ValidationError with a clear message."""
    slug = (raw or "").strip().lower()
    if not (SLUG_MIN <= len(slug) <= SLUG_MAX) or not SLUG_RE.match(slug):
        raise ValidationError(
            _(
                "Use 3 to 60 lowercase letters (a to z), digits and single hyphens, for example atelier-dupont."
            ),
            code="invalid",
        )
    if selectors.slug_taken(slug, organisation):
        raise ValidationError(
            _("This address is used, or was used, by another organisation. Choose another one."), code="taken"
        )
    return slug


def parse_number(raw: str) -> Decimal:
    """A number typed the French or the English way: 1 234,5 or 1,234.5 or 1234.5."""
    text = re.sub(r"[\s\u00a0\u202f]", "", raw or "")
    if "," in text and "." in text:
        text = text.replace(",", "")  # 1,234.5: the commas group thousands
    text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Enter a number, for example 12,5."), code="invalid") from None
    if not value.is_finite() or abs(value) >= Decimal("1e15"):
        raise ValidationError(_("Enter a number, for example 12,5."), code="invalid")
    return value
