"""VSME facts as people read them: the datapoint's label (with its breakdown members) in the
active language, percentages as %, units as written on a report (t CO₂e, MWh, EUR).

Used wherever a figure is shown outside the disclosure forms: the year-over-year table and
the public CSR profile."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from django.utils.translation import get_language

from .forms import UNIT_LABELS
from .models import Fact
from .selectors import Datapoint, catalogue

PERCENT = "dtr-types:percentItemType"


@dataclass(frozen=True)
class Figure:
    year: int
    concept: str
    dimensions_key: str
    label: str
    value: Decimal  # as read: a percentage is 45, not 0.45
    unit: str

    @property
    def key(self) -> str:
        """A stable reference to the fact: "<year>|<concept>|<dimensions key>"."""
        return figure_key(self.year, self.concept, self.dimensions_key)


def figure_key(year: int, concept: str, dimensions_key: str) -> str:
    return f"{year}|{concept}|{dimensions_key}"


@cache
def _datapoints() -> dict[str, Datapoint]:
    out: dict[str, Datapoint] = {}
    for d in catalogue("comprehensive"):
        for dp in d.datapoints:
            out.setdefault(dp.concept, dp)
    return out


@cache
def _member_labels() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for dp in _datapoints().values():
        for axis in dp.axes:
            for m in axis.members:
                out[m.qname] = (m.label_en, m.label_fr)
    return out


def figure(fact: Fact, year: int) -> Figure | None:
    """The fact as a figure, or None when it is not a number of a known datapoint."""
    point = _datapoints().get(fact.concept)
    if point is None or not fact.unit:
        return None
    try:
        value = Decimal(fact.value)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    french = (get_language() or "fr").startswith("fr")
    percent = point.data_type == PERCENT
    if percent:
        value *= 100
    if percent:
        unit = "%"
    elif fact.unit.startswith("iso4217:"):
        unit = fact.unit.split(":")[1]
    else:
        unit = UNIT_LABELS.get(fact.unit, fact.unit.split(":")[-1])
    members = _member_labels()
    parts = [members[m][1 if french else 0] if m in members else str(m) for m in fact.dimensions.values()]
    label = point.label_fr if french else point.label_en
    return Figure(
        year=year,
        concept=fact.concept,
        dimensions_key=fact.dimensions_key,
        label=label + (f" — {', '.join(parts)}" if parts else ""),
        value=value.normalize() if value != 0 else Decimal(0),
        unit=unit,
    )
