import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NACE_RE = re.compile(r"^\d{2}\.\d{2}[A-Z]?$")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def normalise_siren(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def validate_siren(value: str) -> None:
    """A SIREN is 9 digits with a Luhn check digit (La Poste's 356000000 is the one exception)."""
    digits = normalise_siren(value)
    if not digits.isdigit() or len(digits) != 9:
        raise ValidationError(_("A SIREN number has exactly 9 digits."), code="siren_length")
    if digits != "356000000" and not luhn_ok(digits):
        raise ValidationError(
            _("This SIREN number is not valid: its check digit does not match. Check for a typing error."),
            code="siren_checksum",
        )


def validate_nace(value: str) -> None:
    if not NACE_RE.match((value or "").strip().upper()):
        raise ValidationError(
            _(
                "Enter a NACE/NAF code such as 14.12 or 14.12Z (two digits, a dot, two digits, optional letter)."
            ),
            code="nace_format",
        )


@cache
def regions() -> list[dict[str, Any]]:
    data = yaml.safe_load((Path(__file__).parent / "data" / "regions.yaml").read_text(encoding="utf-8"))
    return list(data["regions"])


@cache
def department_region() -> dict[str, str]:
    return {d["code"]: r["code"] for r in regions() for d in r["departments"]}
