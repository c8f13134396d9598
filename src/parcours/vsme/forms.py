"""Forms for a year's VSME indicators, built from the datapoint catalogue, one disclosure
at a time: one field per datapoint and, for a breakdown with a few members (renewable /
non-renewable energy…), one per member. Datapoints broken down by a typed axis (sites,
subsidiaries, materials) or by a long list of members (waste types, pollutants, countries) are
entered as tables: one row per identifier or member, one column per datapoint. Values are
stored the way the taxonomy wants them (percentages as fractions, yes/no as true/false, choices
as member names, typed-axis rows as ``{axis: identifier}`` dimensions)."""

import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import cached_property
from itertools import product
from typing import Any, cast

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from . import reference
from .models import Fact, dimensions_key
from .selectors import Axis, Datapoint, Disclosure, Member

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
MAX_COMBINATIONS = 6  # wider breakdowns (countries, sites…) are entered as tables
LARGEST = Decimal("1e12")
# Digits, of which decimals, a number may have: enough for any value read from a spreadsheet
# (a ratio such as 0.2840909090909091 shown as 28.40909090909091 %), so that a page saved
# untouched after an import never refuses the figures it shows.
PRECISION = (34, 20)
UNIT_LABELS = {
    "utr:MWh": "MWh",
    "utr:tCO2e": "t CO₂e",
    "utr:t": "t",
    "utr:kg": "kg",
    "utr:m3": "m³",
    "utr:l": "l",
    "utr:ha": "ha",
    "utr:m2": "m²",
    "utr:sqm": "m²",
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
    """A field per value (or per member of a short breakdown); else a table (see ``tabular``)."""
    if any(a.typed for a in dp.axes):
        return False
    combos = 1
    for a in dp.axes:
        combos *= len(a.members)
    return combos <= MAX_COMBINATIONS


def unit_of(dp: Datapoint, currency: str) -> tuple[str, str]:
    """The unit a value entered for the datapoint is stored in (the catalogue's first, or the
    year's currency) and how the page shows it."""
    unit = dp.units[0] if dp.units else ""
    if dp.unit_kind == "monetary":
        return f"iso4217:{currency}", currency
    if dp.unit_kind == "ghg_per_monetary":  # an intensity: tonnes of CO2e per unit of turnover
        return f"utr:tCO2e/iso4217:{currency}", f"t CO₂e / {currency}"
    return unit, UNIT_LABELS.get(unit, unit.split(":")[-1])


def slots(disclosure: Disclosure, currency: str) -> list[Slot]:
    out: list[Slot] = []
    for i, dp in enumerate(disclosure.datapoints):
        if not editable(dp):
            continue
        unit, unit_label = unit_of(dp, currency)
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


def shown(slot: Slot, fact: Fact) -> Any:
    """A stored value as the form shows it, in the field's unit: 1500 kg imported in a field
    in tonnes shows 1.5, 1200 m² in a field in hectares 0.12."""
    if slot.kind == "number" and fact.unit and slot.unit and fact.unit != slot.unit:
        try:
            converted = reference.convert_quantity(Decimal(fact.value), fact.unit, slot.unit)
        except InvalidOperation:
            converted = None
        if converted is not None:
            return format(converted.normalize(), "f")
    return _display(slot, fact.value)


def untouched(slot: Slot, fact: Fact, value: str) -> bool:
    """The canonical value saved for a field is the stored fact, shown in another unit: the
    fact stays as it is (value, unit, decimals, source)."""
    if slot.kind != "number" or fact.unit == slot.unit:
        return False
    try:
        return Decimal(value) == Decimal(str(shown(slot, fact)))
    except InvalidOperation:
        return False


def previous_text(slot: Slot, fact: Fact) -> str:
    """A stored value as a person reads it beside the field (last year's figure)."""
    value = shown(slot, fact)
    if value is None:
        return ""
    if slot.kind == "boolean":
        return {"true": _("Yes"), "false": _("No")}.get(fact.value, fact.value)
    if slot.kind in ("choice", "choices"):
        labels = {m.qname: member_label(m) for m in slot.datapoint.choices}
        return ", ".join(labels.get(v, v) for v in fact.value.split())
    return str(value)


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
        self.slots = slots(disclosure, currency)
        previous = previous or {}
        for slot in self.slots:
            key = (slot.datapoint.concept, dimensions_key(slot.dimensions))
            fact = current.get(key)
            before = previous.get(key)
            slot.previous = previous_text(slot, before) if before else ""
            self.fields[slot.name] = self._field(slot)
            if fact is not None:
                self.initial[slot.name] = shown(slot, fact)
        self.current = current

    def _field(self, slot: Slot) -> forms.Field:
        return slot_field(slot)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        by_concept: dict[tuple[str, str], Decimal] = {}
        for slot in self.slots:
            value = data.get(slot.name)
            if isinstance(value, Decimal):
                member = slot.dimensions.get(BREAKDOWN_AXIS, "total")
                by_concept[(slot.datapoint.concept, member)] = value

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
            value = canonical(slot, self.cleaned_data.get(slot.name))
            fact = self.current.get((slot.datapoint.concept, dimensions_key(slot.dimensions)))
            if fact is not None and value and untouched(slot, fact, value):
                slot, value = replace(slot, unit=fact.unit), fact.value  # kept in its own unit
            out.append((slot, value))
        return out


def close(total: Decimal, parts: Decimal) -> bool:
    """A total and the sum of its parts agree (0.5 %, at least 0.01, for rounding)."""
    return abs(total - parts) <= max(Decimal("0.005") * total, Decimal("0.01"))


def canonical(slot: Slot, value: Any) -> str:
    """A cleaned form value as it is stored ("" for nothing)."""
    if value in (None, "", []):
        return ""
    if slot.kind == "percent":
        return format((Decimal(value) / 100).normalize(), "f")
    if slot.kind == "number":
        return format(Decimal(value).normalize(), "f")
    if slot.kind == "choices":
        return " ".join(sorted(value))
    if slot.kind == "date":
        return str(value.isoformat())
    return str(value).strip()


class NumberField(forms.DecimalField):
    """A decimal typed the French or the English way: "12 500,5", "12500.5", "1,234.5". A text
    input (with a numeric keyboard on phones): a number input would send nothing at all for
    what the browser cannot read, and the figure would be lost without a message."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f]", "", value)
            if "," in value and "." in value:
                value = value.replace(",", "")  # 1,234.5: the commas group thousands
            elif value.count(",") == 1:
                value = value.replace(",", ".")
        number: Decimal | None = super().to_python(value)
        if number is not None and not number.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def slot_field(slot: Slot) -> forms.Field:
    """The form field of one value: the same parsing and messages wherever it is entered."""
    dp = slot.datapoint
    common: dict[str, Any] = {"label": slot.label, "required": False}
    if slot.kind in ("number", "percent"):
        if slot.kind == "number":
            top, messages = (
                LARGEST,
                {
                    "invalid": _("Enter a number (use a comma or a dot for decimals)."),
                    "min_value": _("Enter a positive number or zero."),
                    "max_value": _("This number is too large: check the unit."),
                },
            )
        else:
            out_of_range = _("Enter a percentage between 0 and 100.")
            top, messages = Decimal(100), dict.fromkeys(("invalid", "min_value", "max_value"), out_of_range)
        return NumberField(
            min_value=Decimal(0),
            max_value=top,
            max_digits=PRECISION[0],
            decimal_places=PRECISION[1],
            error_messages=messages,
            **common,
        )
    if slot.kind == "boolean":
        return forms.ChoiceField(choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))], **common)
    if slot.kind == "choice":
        long_list = len(dp.choices) > LONG_CHOICES
        return forms.ChoiceField(
            choices=[("", "—"), *((m.qname, member_label(m)) for m in dp.choices)],
            widget=QuickSelect if long_list else forms.Select,
            **common,
        )
    if slot.kind == "choices":
        if len(dp.choices) > LONG_CHOICES:
            return forms.MultipleChoiceField(
                choices=[(m.qname, member_label(m)) for m in dp.choices],
                widget=QuickSelectMultiple(attrs={"size": 12}),
                help_text=_(
                    "Ctrl-click (⌘-click on a Mac) to choose several; on a tablet, tick them in the list."
                ),
                **common,
            )
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


# --- Tables ---------------------------------------------------------------------------------
# Datapoints that share a typed axis (sites, subsidiaries, materials) or a long list of members
# (waste types, pollutants, countries) are entered as one table per axis: one row per
# identifier or member, one column per datapoint. A row is stored as one fact per filled cell
# with the dimension {axis: identifier or member}, exactly as an import of EFRAG's template.

EMPTY_ROWS = 3  # empty rows under a table, to add to it
MORE_ROWS = 5  # added on request ("add empty rows"), without saving
MAX_ROWS = 500  # rows read from one request (beyond those stored)
IDENTIFIER_LENGTH = 100
DATALIST_FROM = 200  # members (countries, waste): a text field with suggestions, not a drop-down
TABLE_TITLES: dict[str, Any] = {
    "vsme:IdentifierOfSubsidiaryTypedAxis": gettext_lazy("Subsidiaries"),
    "vsme:IdentifierOfSiteTypedAxis": gettext_lazy("Sites"),
    "vsme:TypeOfPollutantAxis": gettext_lazy("Pollutants"),
    "vsme:TypeOfWasteAxis": gettext_lazy("Waste by type"),
    "vsme:IdentifierOfMaterialTypedAxis": gettext_lazy("Materials used"),
    "vsme:CountryOfEmploymentContractAxis": gettext_lazy("Employees by country"),
}
TABLE_TITLES_IN: dict[tuple[str, str], Any] = {
    ("B5", "vsme:IdentifierOfSiteTypedAxis"): gettext_lazy("Sites in or near biodiversity-sensitive areas"),
}
TABLE_HELP_IN: dict[tuple[str, str], Any] = {
    ("B5", "vsme:IdentifierOfSiteTypedAxis"): gettext_lazy(
        "Use the identifiers of the sites listed in B1, so that both tables describe the same sites."
    ),
}
# Parts and total on one row, added up as EFRAG's template does (total = recycled + disposal).
ROW_SUMS: list[tuple[str, tuple[str, str]]] = [
    (
        "vsme:TotalWasteRecycledReusedAndDirectedToDisposalMass",
        ("vsme:WasteDivertedToRecycleOrReuseMass", "vsme:WasteDirectedToDisposalMass"),
    ),
    (
        "vsme:TotalWasteRecycledReusedAndDirectedToDisposalVolume",
        ("vsme:WasteDivertedToRecycleOrReuseVolume", "vsme:WasteDirectedToDisposalVolume"),
    ),
]
_LABEL_SUFFIX = re.compile(r"\s*\[(typed )?axis\]\s*$")
_WASTE_CODE = re.compile(r"^\d{2}(\s?\d{2}){0,2}\*?$")


def _sort_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _by_label(choice: tuple[str, str]) -> str:
    return _sort_key(choice[1])


def _same_key(text: str) -> str:
    """What two row identifiers are compared on: "Site 1" and "site  1" are the same."""
    return " ".join(text.casefold().split())


def tabular(dp: Datapoint) -> bool:
    """Entered in a table: one axis, typed or with too many members for a field each."""
    return not editable(dp) and len(dp.axes) == 1


class QuickSelect(forms.Select):
    """A drop-down list written without a template per option: a table repeats it on every
    row (256 countries)."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, " selected" if str(key) in chosen else "", text) for key, text in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class QuickTextInput(forms.TextInput):
    """A text input written without a template: a table of 200 rows has 1,400 of them."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        final: dict[str, Any] = {"type": self.input_type, "name": name}
        formatted = self.format_value(value)
        if formatted is not None:
            final["value"] = formatted
        final.update(self.build_attrs(self.attrs, attrs))
        return format_html("<input{}>", flatatt(final))


class QuickSelectMultiple(QuickSelect):
    """The same for a long list where several may be chosen (1,047 NACE codes): a list box,
    not a thousand check boxes."""

    allow_multiple_selected = True

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        return super().render(name, value, {**(attrs or {}), "multiple": True}, renderer)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        return getter(name) if getter is not None else data.get(name)


LONG_CHOICES = 100  # beyond, a list box instead of check boxes or a plain drop-down


@dataclass
class Table:
    """The datapoints of a disclosure sharing one axis (typed or long), entered row by row."""

    prefix: str
    axis: Axis
    title: str
    help: str
    key_label: str
    columns: list[Slot]
    members: list[Member]  # explicit axis: the members a row may name, in the order shown
    datalist: bool  # explicit axis with many members: a text field with suggestions

    @property
    def typed(self) -> bool:
        return self.axis.typed

    @property
    def waste(self) -> bool:
        return self.axis.qname == "vsme:TypeOfWasteAxis"

    @property
    def concepts(self) -> set[str]:
        return {c.datapoint.concept for c in self.columns}

    @cached_property
    def member_order(self) -> dict[str, int]:
        return {m.qname: i for i, m in enumerate(self.members)}

    @property
    def member_labels(self) -> list[str]:
        """The members a datalist offers, as the person reads them."""
        return [member_label(m) for m in self.members] if self.datalist else []

    def key_field(self) -> forms.Field:
        if self.typed:
            return forms.CharField(label=self.key_label, max_length=IDENTIFIER_LENGTH, required=False)
        if self.datalist:
            return forms.CharField(label=self.key_label, max_length=1000, required=False)
        return forms.ChoiceField(
            label=self.key_label,
            choices=[("", "—"), *((m.qname, member_label(m)) for m in self.members)],
            widget=QuickSelect,
            required=False,
            error_messages={
                "invalid_choice": _("“%(value)s” is not in the list: choose one of its entries.")
            },
        )

    def member(self, text: str) -> str | None:
        """The member a row names: its name, its label (English or French, or the template's
        text), or for waste its code alone ("20 01 01")."""
        allowed = {m.qname for m in self.members}
        if text in allowed:
            return text
        found = reference.resolve_member(self.axis.qname, text)
        if found in allowed:
            return found
        local = text.strip().casefold()  # "FR" for country:FR
        found = next((m.qname for m in self.members if m.qname.split(":")[-1].casefold() == local), None)
        if found is not None:
            return found
        if _WASTE_CODE.match(text.strip()):
            code = text.replace(" ", "").rstrip("*")
            code = " ".join(code[i : i + 2] for i in range(0, len(code), 2))
            matches = [m.qname for m in self.members if m.label_en.startswith(f"{code} - ")]
            if len(matches) == 1:
                return matches[0]
        return None

    def key_text(self, key: str) -> str:
        """A row's identifier or member as the page shows it."""
        if self.typed:
            return key
        found = next((m for m in self.members if m.qname == key), None)
        return member_label(found) if found else key


def _axis_label(axis: Axis) -> str:
    return _LABEL_SUFFIX.sub("", _label(axis.label_en, axis.label_fr))


def _section_title(dp: Datapoint) -> str:
    """The last part of a section's title: "List of sites" in "[1030] B1 - … - List of sites"."""
    return _label(dp.section_en, dp.section_fr).rsplit(" - ", 1)[-1]


def tables(disclosure: Disclosure, currency: str) -> list[Table]:
    """The tables of a disclosure, one per axis, in the catalogue's order."""
    grouped: dict[str, list[Datapoint]] = {}
    for dp in disclosure.datapoints:
        if tabular(dp):
            grouped.setdefault(dp.axes[0].qname, []).append(dp)
    out = []
    for i, points in enumerate(grouped.values()):
        axis = points[0].axes[0]
        columns = []
        for j, dp in enumerate(points):
            kind = _kind(dp)
            unit, unit_label = unit_of(dp, currency)
            columns.append(
                Slot(
                    name=f"c{j}",
                    datapoint=dp,
                    dimensions={},
                    label=_label(dp.label_en, dp.label_fr),
                    unit=unit if kind in ("number", "percent") else "",
                    unit_label="%" if kind == "percent" else unit_label if kind == "number" else "",
                    kind=kind,
                )
            )
        members = [m for m in axis.members if m.qname != axis.default]
        members.sort(key=lambda m: _sort_key(member_label(m)))  # waste labels start with their code
        datalist = len(members) >= DATALIST_FROM
        key = (disclosure.code, axis.qname)
        out.append(
            Table(
                prefix=f"t{i}",
                axis=axis,
                title=str(
                    TABLE_TITLES_IN.get(key) or TABLE_TITLES.get(axis.qname) or _section_title(points[0])
                ),
                help=str(TABLE_HELP_IN.get(key, "")),
                key_label=_axis_label(axis),
                columns=columns,
                members=members,
                datalist=datalist,
            )
        )
    return out


class RowForm(forms.Form):
    """One row of a table: its identifier or member, and one field per column."""

    def __init__(self, *args: Any, table: Table, stored: frozenset[str] = frozenset(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.table = table
        self.stored = stored  # identifiers or members of the rows stored (compared loosely)
        self.fields["key"] = table.key_field()
        for column in table.columns:
            field = slot_field(column)
            if isinstance(field, forms.ChoiceField):
                choices = list(cast(Any, field).choices)
                if len(choices) > 20:  # countries: by name
                    choices = [choices[0], *sorted(choices[1:], key=_by_label)]
                field.widget = QuickSelect()
                field.choices = choices
            elif type(field.widget) is forms.TextInput:
                field.widget = QuickTextInput(attrs=field.widget.attrs)
            self.fields[column.name] = field
        key = self.fields["key"]
        if type(key.widget) is forms.TextInput:
            key.widget = QuickTextInput(attrs=key.widget.attrs)

    def clean_key(self) -> str:
        text = str(self.cleaned_data.get("key") or "").strip()
        if text and not self.table.typed:
            member = self.table.member(text)
            if member is None:
                raise forms.ValidationError(
                    _("“%(value)s” is not in the list: choose one of its entries."), params={"value": text}
                )
            return member
        return text

    def filled(self) -> bool:
        """Something typed in the row's value fields (valid or not)."""
        return any(str(self[c.name].value() or "").strip() for c in self.table.columns)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "key" in data and not data["key"] and self.filled():
            self.add_error(
                "key",
                _("Give this row an identifier, or clear it.")
                if self.table.typed
                else _("Choose what this row is about, or clear it."),
            )
        # A row lives through its figures: a new row with a name only would vanish unsaid.
        # (Clearing the figures of a stored row deletes it.)
        if data.get("key") and not self.filled() and _same_key(str(data["key"])) not in self.stored:
            self.add_error("key", _("Give at least one figure in this row, or clear it."))
        columns = {c.datapoint.concept: c for c in self.table.columns}
        for total_concept, (a, b) in ROW_SUMS:
            if not {total_concept, a, b} <= set(columns):
                continue
            total, first, second = (data.get(columns[c].name) for c in (total_concept, a, b))
            if (
                isinstance(total, Decimal)
                and isinstance(first, Decimal)
                and isinstance(second, Decimal)
                and not close(total, first + second)
            ):
                self.add_error(
                    columns[total_concept].name,
                    _(
                        "The total (%(t)s) must equal recycled or reused (%(r)s) + directed to disposal (%(d)s)."
                    )
                    % {"t": total, "r": first, "d": second},
                )
        return data


@dataclass
class Cell:
    """One field of a table as the page renders it: a labelled input, its errors, last year's value."""

    bound: forms.BoundField
    label: str  # visually hidden: the column and the row
    previous: str = ""
    errors: list[str] = field(default_factory=list)
    datalist: str = ""  # id of the suggestions the input offers

    @property
    def id(self) -> str:
        return str(self.bound.auto_id)

    @property
    def widget(self) -> SafeString:
        described = []
        if self.errors:
            described.append(f"{self.id}-error")
        if self.previous:
            described.append(f"{self.id}-previous")
        attrs: dict[str, str | bool] = {}
        if described:
            attrs["aria-describedby"] = " ".join(described)
        if self.errors:
            attrs["aria-invalid"] = "true"
        if self.datalist:
            attrs["list"] = self.datalist
            attrs["autocomplete"] = "off"
        return SafeString(self.bound.as_widget(attrs=attrs))


@dataclass
class Row:
    number: int
    key: Cell
    cells: list[Cell]


def _row_count(data: Any, name: str) -> int | None:
    """How many rows the page sent for a table; None when it did not send the table."""
    if data is None:
        return None
    try:
        count = int(data.get(name, ""))
    except ValueError:
        return None
    return count if count >= 0 else None


class TableRows:
    """A table's rows: those stored (or posted) and a few empty ones to add to it.

    Posted, the table replaces what is stored for its datapoints on its axis: a row emptied,
    or renamed, has its former facts deleted. A request without the table (no ``<prefix>-rows``
    field) leaves it as it is."""

    def __init__(
        self,
        data: Any,
        *,
        table: Table,
        current: dict[tuple[str, str], Fact],
        previous: dict[tuple[str, str], Fact],
        empty_rows: int = EMPTY_ROWS,
        more_rows: int = 0,
    ) -> None:
        self.table = table
        self.stored = self._rows(current)
        self.stored_keys = frozenset(_same_key(k) for k in self.stored)
        self.before = self._rows(previous)
        self.known = self._known(current)
        self.validated = False
        self._rendered: list[Row] | None = None
        count = _row_count(data, f"{table.prefix}-rows")
        self.bound = count is not None
        if count is not None:
            count = min(count + more_rows, MAX_ROWS + len(self.stored))
            self.forms = [self._form(data, i) for i in range(count)]
        else:
            keys = sorted(self.stored, key=self._order)
            self.forms = [self._form(None, i, self._initial(k)) for i, k in enumerate(keys)]
            self.forms += [self._form(None, len(keys) + i) for i in range(empty_rows)]

    def _form(self, data: Any, i: int, initial: dict[str, Any] | None = None) -> RowForm:
        return RowForm(
            data,
            prefix=f"{self.table.prefix}-{i}",
            table=self.table,
            stored=self.stored_keys,
            initial=initial,
            auto_id="id_%s",
        )

    def _rows(self, facts: dict[tuple[str, str], Fact]) -> dict[str, dict[str, Fact]]:
        """Facts of the table's datapoints on its axis alone: identifier or member → concept → fact."""
        rows: dict[str, dict[str, Fact]] = {}
        axis = self.table.axis.qname
        for (concept, _k), fact in facts.items():
            if concept in self.table.concepts and list(fact.dimensions) == [axis]:
                rows.setdefault(str(fact.dimensions[axis]), {})[concept] = fact
        return rows

    def _order(self, key: str) -> tuple[Any, ...]:
        if self.table.typed:
            return (0, int(key), "") if key.isdigit() else (1, 0, _sort_key(key))
        order = self.table.member_order
        return (order.get(key, len(order)), 0, key)

    def _known(self, facts: dict[tuple[str, str], Fact]) -> list[tuple[str, str]]:
        """Identifiers used on the same typed axis by other datapoints (B5 → the sites of B1),
        with what describes them, for the identifier field to suggest."""
        if not self.table.typed:
            return []
        axis = self.table.axis.qname
        found: dict[str, list[str]] = {}
        for (concept, _k), fact in sorted(facts.items()):
            if concept in self.table.concepts or list(fact.dimensions) != [axis]:
                continue
            texts = found.setdefault(str(fact.dimensions[axis]), [])
            c = reference.concept(concept) or {}
            if c.get("data_type") == "xbrli:stringItemType" and fact.value:
                texts.append(fact.value)
        return [
            (k, ", ".join(found[k])[:120]) for k in sorted(found, key=self._order) if k not in self.stored
        ]

    def _initial(self, key: str) -> dict[str, Any]:
        table = self.table
        initial: dict[str, Any] = {"key": table.key_text(key) if table.datalist else key}
        for column in table.columns:
            fact = self.stored[key].get(column.datapoint.concept)
            if fact is not None:
                initial[column.name] = shown(column, fact)
        return initial

    def is_valid(self) -> bool:
        if not self.bound:
            return True  # not sent: left as it is
        self.validated, self._rendered = True, None
        checked = [f.is_valid() for f in self.forms]  # every row, for every message at once
        valid = all(checked)
        seen: dict[str, int] = {}
        for number, form in enumerate(self.forms, start=1):
            key = form.cleaned_data.get("key") if hasattr(form, "cleaned_data") else None
            if not key or not form.filled():
                continue
            same = _same_key(key)
            if same in seen:
                form.add_error(
                    "key",
                    _("“%(key)s” is already in row %(n)s: give each row its own.")
                    % {"key": self.table.key_text(key), "n": seen[same]},
                )
                valid = False
            else:
                seen[same] = number
        return valid

    def values(self) -> list[tuple[Slot, str]]:
        """(slot, canonical value) for every cell to store, and ("" to delete) for every stored
        fact of the table no row holds any more. Call after ``is_valid``."""
        if not self.bound:
            return []
        axis = self.table.axis.qname
        out: list[tuple[Slot, str]] = []
        kept: set[tuple[str, str]] = set()
        for form in self.forms:
            key = form.cleaned_data["key"]
            if not key:
                continue
            for column in self.table.columns:
                text = canonical(column, form.cleaned_data.get(column.name))
                if text == "":
                    continue
                concept = column.datapoint.concept
                unit = column.unit
                fact = self.stored.get(key, {}).get(concept)
                if fact is not None and untouched(column, fact, text):
                    text, unit = fact.value, fact.unit  # kept in its own unit
                out.append((replace(column, dimensions={axis: key}, unit=unit), text))
                kept.add((concept, key))
        for key, facts in self.stored.items():
            for concept, fact in facts.items():
                if (concept, key) not in kept:
                    column = next(c for c in self.table.columns if c.datapoint.concept == concept)
                    out.append((replace(column, dimensions=dict(fact.dimensions), unit=fact.unit), ""))
        return out

    def rows(self) -> list[Row]:
        """The rows as the page renders them (errors only once validated)."""
        if self._rendered is None:
            self._rendered = self._build_rows()
        return self._rendered

    def _build_rows(self) -> list[Row]:
        table = self.table
        out = []
        cell_label = _("%(column)s, row %(n)s")  # translated once: a table may have 1,400 cells
        for number, form in enumerate(self.forms, start=1):
            errors = {k: [str(e) for e in v] for k, v in form.errors.items()} if self.validated else {}
            key_value = str(form["key"].value() or "").strip()
            stored_key = key_value if table.typed else (table.member(key_value) if key_value else None)
            before = self.before.get(stored_key or "", {})
            key = Cell(
                form["key"],
                cell_label % {"column": table.key_label, "n": number},
                errors=errors.get("key", []),
                datalist=f"{table.prefix}-members"
                if table.datalist
                else (f"{table.prefix}-known" if self.known else ""),
            )
            cells = []
            for column in table.columns:
                fact = before.get(column.datapoint.concept)
                previous = ""
                if fact is not None:
                    previous = previous_text(column, fact)
                    if previous and column.unit_label:
                        previous = f"{previous} {column.unit_label}"
                cells.append(
                    Cell(
                        form[column.name],
                        cell_label % {"column": column.label, "n": number},
                        previous=previous,
                        errors=errors.get(column.name, []),
                    )
                )
            out.append(Row(number, key, cells))
        return out

    def errors(self) -> list[tuple[str, str, str]]:
        """(input id, what, message) of every error, for the summary at the top of the page."""
        if not self.validated:
            return []
        return [
            (cell.id, cell.label, e)
            for row in self.rows()
            for cell in [row.key, *row.cells]
            for e in cell.errors
        ]


class DisclosureRows:
    """All the tables of one disclosure, validated and saved together with its form."""

    def __init__(
        self,
        data: Any,
        *,
        disclosure: Disclosure,
        currency: str,
        current: dict[tuple[str, str], Fact],
        previous: dict[tuple[str, str], Fact] | None = None,
        empty_rows: int = EMPTY_ROWS,
        more_rows: int = 0,
    ) -> None:
        self.tables = [
            TableRows(
                data,
                table=t,
                current=current,
                previous=previous or {},
                empty_rows=empty_rows,
                more_rows=more_rows,
            )
            for t in tables(disclosure, currency)
        ]

    def is_valid(self) -> bool:
        checked = [t.is_valid() for t in self.tables]
        return all(checked)

    def values(self) -> list[tuple[Slot, str]]:
        return [v for t in self.tables for v in t.values()]

    def errors(self) -> list[tuple[str, str, str]]:
        return [e for t in self.tables for e in t.errors()]

    @property
    def concepts(self) -> set[str]:
        return {c for t in self.tables for c in t.table.concepts}


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


# --- The reporting entity's identifier -----------------------------------------------------

ENTITY_SCHEME_LABELS = {"lei": "LEI", "euid": "EU ID (EUID)", "duns": "DUNS", "permid": "PermID"}
_LEI = re.compile(r"[A-Z0-9]{18}[0-9]{2}")
_EUID = re.compile(r"[A-Z]{2}[A-Z0-9][A-Z0-9.\-]{2,60}")


def lei_checksum_ok(code: str) -> bool:
    """ISO 17442 check digits: letters as 10…35, the 20-character number ≡ 1 (mod 97)."""
    return int("".join(str(int(c, 36)) for c in code)) % 97 == 1


def clean_entity_identifier(scheme: str, identifier: str) -> str:
    """The identifier, normalised, or ValidationError with what to fix."""
    text = "".join(identifier.split()).upper() if scheme != "euid" else identifier.strip().upper()
    if scheme == "lei":
        if not _LEI.fullmatch(text) or not lei_checksum_ok(text):
            raise forms.ValidationError(
                _(
                    "An LEI has 20 letters and digits and ends with two check digits; “%(value)s” "
                    "is not one. Copy it from your LEI certificate or the GLEIF search."
                ),
                params={"value": identifier},
            )
    elif scheme == "euid":
        if not _EUID.fullmatch(text):
            raise forms.ValidationError(
                _(
                    "A European unique identifier (EUID) starts with the country code (FR…) followed "
                    "by the register and the registration number; copy it from the e-Justice portal."
                )
            )
    elif scheme == "duns":
        if not re.fullmatch(r"\d{9}", text.replace("-", "")):
            raise forms.ValidationError(_("A DUNS number has 9 digits."))
        text = text.replace("-", "")
    elif scheme == "permid" and not re.fullmatch(r"\d{6,20}", text):
        raise forms.ValidationError(_("A PermID is a number (6 to 20 digits)."))
    return text


class EntityIdentifierForm(forms.Form):
    entity_scheme = forms.ChoiceField(
        label=gettext_lazy("Identifier for EFRAG's converter"),
        required=False,
        choices=[
            ("", gettext_lazy("None (the SIREN is used where it can be)")),
            *ENTITY_SCHEME_LABELS.items(),
        ],
    )
    entity_identifier = forms.CharField(label=gettext_lazy("Identifier"), required=False, max_length=100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scheme, identifier = data.get("entity_scheme") or "", (data.get("entity_identifier") or "").strip()
        if scheme and not identifier:
            self.add_error("entity_identifier", _("Give the identifier, or choose “None”."))
        elif scheme:
            try:
                data["entity_identifier"] = clean_entity_identifier(scheme, identifier)
            except forms.ValidationError as exc:
                self.add_error("entity_identifier", exc)
        else:
            data["entity_identifier"] = ""
        return data
