"""Forms for a year's VSME indicators, built from the datapoint catalogue, one disclosure
at a time: one field per datapoint and, for a breakdown with a few members (renewable /
non-renewable energy…), one per member. Values are stored the way the taxonomy wants them
(percentages as fractions, yes/no as true/false, choices as member names)."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import product
from typing import Any

from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .models import Fact
from .selectors import Datapoint, Disclosure, Member

NUMERIC = {
    "xbrli:decimalItemType",
    "xbrli:monetaryItemType",
    "dtr-types:energyItemType",
    "dtr-types:ghgEmissionsItemType",
    "dtr-types:massItemType",
    "dtr-types:volumeItemType",
    "dtr-types:areaItemType",
    "dtr-types:percentItemType",
    "dtr-types:ghgEmissionsPerMonetaryItemType",
    "xbrli:integerItemType",
    "xbrli:nonNegativeIntegerItemType",
}
MAX_COMBINATIONS = 6  # wider breakdowns (countries, sites…) go through the digital template
LARGEST = Decimal("1e12")
UNIT_LABELS = {
    "utr:MWh": "MWh",
    "utr:tCO2e": "t CO₂e",
    "utr:t": "t",
    "utr:kg": "kg",
    "utr:m3": "m³",
    "utr:l": "l",
    "utr:ha": "ha",
    "utr:m2": "m²",
    "xbrli:pure": "",
}


def _label(en: str, fr: str) -> str:
    return fr if (get_language() or "fr").startswith("fr") and fr else en


def member_label(m: Member) -> str:
    return _label(m.label_en, m.label_fr)


@dataclass
class Slot:
    """One value to enter: a datapoint, with the breakdown members it stands for."""

    name: str
    datapoint: Datapoint
    dimensions: dict[str, str]
    label: str
    unit: str
    unit_label: str
    kind: str  # number, percent, boolean, choice, choices, year, date, text, line
    previous: str = ""
    errors: list[str] = field(default_factory=list)


def _kind(dp: Datapoint) -> str:
    if dp.data_type == "dtr-types:percentItemType":
        return "percent"
    if dp.data_type in NUMERIC:
        return "number"
    if dp.data_type == "xbrli:booleanItemType":
        return "boolean"
    if dp.data_type == "enum2:enumerationSetItemType":
        return "choices"
    if dp.data_type == "enum2:enumerationItemType":
        return "choice"
    if dp.data_type == "xbrli:gYearItemType":
        return "year"
    if dp.data_type == "xbrli:dateItemType":
        return "date"
    if dp.data_type == "dtr-types:textBlockItemType":
        return "text"
    return "line"


def editable(dp: Datapoint) -> bool:
    """Entered here, or only through the digital template (typed axes, long lists)."""
    if any(a.typed for a in dp.axes):
        return False
    combos = 1
    for a in dp.axes:
        combos *= len(a.members)
    return combos <= MAX_COMBINATIONS


def slots(disclosure: Disclosure, currency: str) -> list[Slot]:
    out: list[Slot] = []
    for i, dp in enumerate(disclosure.datapoints):
        if not editable(dp):
            continue
        unit = dp.units[0] if dp.units else ""
        if dp.unit_kind == "monetary":
            unit = f"iso4217:{currency}"
        unit_label = currency if dp.unit_kind == "monetary" else UNIT_LABELS.get(unit, unit.split(":")[-1])
        base = _label(dp.label_en, dp.label_fr)
        member_lists = [[(a, m) for m in a.members] for a in dp.axes]
        for j, combo in enumerate(product(*member_lists) if member_lists else [()]):
            dims = {a.qname: m.qname for a, m in combo if m.qname != a.default}
            parts = [member_label(m) for _a, m in combo]
            out.append(
                Slot(
                    name=f"d{i}_{j}",
                    datapoint=dp,
                    dimensions=dims,
                    label=f"{base} — {', '.join(parts)}" if parts else base,
                    unit=unit if _kind(dp) in ("number", "percent") else "",
                    unit_label="%" if _kind(dp) == "percent" else unit_label,
                    kind=_kind(dp),
                )
            )
    return out


def _display(slot: Slot, value: str) -> Any:
    """A stored value as the form shows it."""
    if value == "":
        return None
    if slot.kind == "percent":
        try:
            return format((Decimal(value) * 100).normalize(), "f")
        except InvalidOperation:
            return value
    if slot.kind == "choices":
        return value.split()
    return value


# Parts that must add up to their total (same reporting year, same period).
SUMS: list[tuple[str, list[str], Any]] = [
    (
        "vsme:TotalGrossLocationBasedScope1AndScope2GHGEmissions",
        ["vsme:GrossScope1GreenhouseGasEmissions", "vsme:GrossLocationBasedScope2GreenhouseGasEmissions"],
        gettext_lazy("Scope 1 + location-based scope 2 must equal their total."),
    ),
    (
        "vsme:TotalGrossLocationBasedGHGEmissions",
        [
            "vsme:GrossScope1GreenhouseGasEmissions",
            "vsme:GrossLocationBasedScope2GreenhouseGasEmissions",
            "vsme:GrossScope3GreenhouseGasEmissions",
        ],
        gettext_lazy("Scopes 1, 2 (location-based) and 3 must add up to the total."),
    ),
]
BREAKDOWN_AXIS = "vsme:BreakdownOfEnergyConsumptionAxis"
RENEWABLE, NON_RENEWABLE = "vsme:RenewableEnergyMember", "vsme:NonRenewableEnergyMember"


class DisclosureForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        disclosure: Disclosure,
        currency: str,
        current: dict[tuple[str, str], Fact],
        previous: dict[tuple[str, str], Fact] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        from .models import dimensions_key

        self.slots = slots(disclosure, currency)
        previous = previous or {}
        for slot in self.slots:
            key = (slot.datapoint.concept, dimensions_key(slot.dimensions))
            fact = current.get(key)
            before = previous.get(key)
            slot.previous = str(_display(slot, before.value) or "") if before else ""
            self.fields[slot.name] = self._field(slot)
            if fact is not None:
                self.initial[slot.name] = _display(slot, fact.value)

    def _field(self, slot: Slot) -> forms.Field:
        dp = slot.datapoint
        common: dict[str, Any] = {"label": slot.label, "required": False}
        if slot.kind == "number":
            return forms.DecimalField(
                min_value=Decimal(0),
                max_value=LARGEST,
                max_digits=20,
                decimal_places=6,
                error_messages={
                    "invalid": _("Enter a number (use a comma or a dot for decimals)."),
                    "min_value": _("Enter a positive number or zero."),
                    "max_value": _("This number is too large: check the unit."),
                },
                **common,
            )
        if slot.kind == "percent":
            return forms.DecimalField(
                min_value=Decimal(0),
                max_value=Decimal(100),
                max_digits=9,
                decimal_places=4,
                error_messages={
                    "invalid": _("Enter a percentage between 0 and 100."),
                    "min_value": _("Enter a percentage between 0 and 100."),
                    "max_value": _("Enter a percentage between 0 and 100."),
                },
                **common,
            )
        if slot.kind == "boolean":
            return forms.ChoiceField(choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))], **common)
        if slot.kind == "choice":
            return forms.ChoiceField(
                choices=[("", "—"), *((m.qname, member_label(m)) for m in dp.choices)], **common
            )
        if slot.kind == "choices":
            return forms.MultipleChoiceField(
                choices=[(m.qname, member_label(m)) for m in dp.choices],
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        if slot.kind == "year":
            return forms.IntegerField(
                min_value=1900,
                max_value=2100,
                error_messages={"invalid": _("Enter a year such as 2025.")},
                **common,
            )
        if slot.kind == "date":
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        if slot.kind == "text":
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=20000, **common)
        return forms.CharField(max_length=1000, **common)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        by_concept: dict[tuple[str, str], Decimal] = {}
        for slot in self.slots:
            value = data.get(slot.name)
            if isinstance(value, Decimal):
                member = slot.dimensions.get(BREAKDOWN_AXIS, "total")
                by_concept[(slot.datapoint.concept, member)] = value
        tolerance = Decimal("0.005")

        def close(total: Decimal, parts: Decimal) -> bool:
            return abs(total - parts) <= max(tolerance * total, Decimal("0.01"))

        for total_concept, parts, message in SUMS:
            total = by_concept.get((total_concept, "total"))
            found = [v for v in (by_concept.get((p, "total")) for p in parts) if v is not None]
            added = sum(found, Decimal(0))
            if total is not None and len(found) == len(parts) and not close(total, added):
                self.add_error(None, f"{message} ({added} ≠ {total})")
        for concept in {c for c, _m in by_concept}:
            total = by_concept.get((concept, "total"))
            renewable = by_concept.get((concept, RENEWABLE))
            other = by_concept.get((concept, NON_RENEWABLE))
            if (
                total is not None
                and renewable is not None
                and other is not None
                and not close(total, renewable + other)
            ):
                slot = next(s for s in self.slots if s.datapoint.concept == concept)
                self.add_error(
                    None,
                    _("%(what)s: renewable (%(r)s) + non-renewable (%(n)s) must equal the total (%(t)s).")
                    % {
                        "what": _label(slot.datapoint.label_en, slot.datapoint.label_fr),
                        "r": renewable,
                        "n": other,
                        "t": total,
                    },
                )
        return data

    def values(self) -> list[tuple[Slot, str]]:
        """Each slot with its canonical value ("" to clear it)."""
        out = []
        for slot in self.slots:
            value = self.cleaned_data.get(slot.name)
            if value in (None, "", []):
                text = ""
            elif slot.kind == "percent":
                text = format((Decimal(value) / 100).normalize(), "f")
            elif slot.kind == "number":
                text = format(Decimal(value).normalize(), "f")
            elif slot.kind == "choices":
                text = " ".join(sorted(value))
            elif slot.kind == "date":
                text = value.isoformat()
            else:
                text = str(value).strip()
            out.append((slot, text))
        return out


class NewYearForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Reporting year"),
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": gettext_lazy("Enter a year such as 2025.")},
    )
    carry_over = forms.BooleanField(
        label=gettext_lazy("Start from the previous year's figures (to confirm or update)"), required=False
    )


class ImportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Reporting year"), min_value=2000, max_value=2100)
    file = forms.FileField(
        label=gettext_lazy("Filled VSME digital template (EFRAG, version 1.2.0 or 1.3.0, .xlsx)")
    )
