"""Writes and exports of VSME reporting years (docs/vsme.md).

- ``import_template``: a filled EFRAG digital template (1.2.0 or 1.3.0) → the year's facts.
- ``export_xlsx``: the year's facts → a filled copy of template 1.3.0.
- ``export_xbrl_json``: the year's facts → an xBRL-JSON report on the 2026-05-01 taxonomy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils.cell import get_column_letter, range_boundaries

from parcours.organisations.models import Organisation
from parcours.organisations.services import audit_record

from . import reference
from .models import Fact, ReportingYear, dimensions_key
from .template_reader import ParsedFact, Unmapped, read_template
from .template_writer import CellWrite, fill_workbook

FactKey = tuple[str, str, str]


@dataclass
class ImportResult:
    """What an import did. ``unmapped`` lists every filled cell that gave no fact, with why."""

    reporting_year: ReportingYear
    version: str
    facts: list[ParsedFact] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    overwritten: list[str] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    ignored_defaults: list[ParsedFact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def imported(self) -> int:
        return len(self.facts)


def _key(concept: str, dimensions: dict[str, str], period: str) -> FactKey:
    return (concept, dimensions_key(dimensions), period)


@cache
def blank_template_defaults() -> frozenset[tuple[FactKey, str]]:
    """The values the blank template 1.3.0 holds before anyone fills it in."""
    parsed = read_template(reference.TEMPLATE_FILE)
    return frozenset((_key(f.concept, f.dimensions, f.period), f.value) for f in parsed.facts)


def reporting_year_get_or_create(
    *, organisation: Organisation, year: int, actor: Any = None
) -> ReportingYear:
    ry, created = ReportingYear.objects.get_or_create(organisation=organisation, year=year)
    if created:
        audit_record(
            actor=actor, organisation=organisation, action="vsme.year_created", obj=ry, changes={"year": year}
        )
    return ry


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        return None


@transaction.atomic
def import_template(
    path_or_file: str | Path | IO[bytes], *, organisation: Organisation, year: int, actor: Any
) -> ImportResult:
    """Read a filled digital template into the organisation's reporting year.

    The year is created when missing. Facts read from the file replace the year's facts on the
    same datapoint (concept, dimensions, period), whatever their source — an upload is an
    explicit act, and those replaced are listed in ``overwritten``; facts of an earlier import
    that the file no longer holds are deleted; facts entered by hand or computed elsewhere on
    other datapoints are kept. Raises ValidationError (nothing written) when the file is not a
    readable VSME template.
    """
    existing_year = ReportingYear.objects.filter(organisation=organisation, year=year).first()
    parsed = read_template(path_or_file, default_currency=existing_year.currency if existing_year else "EUR")
    ry = existing_year or reporting_year_get_or_create(organisation=organisation, year=year, actor=actor)
    result = ImportResult(
        reporting_year=ry,
        version=parsed.version,
        unmapped=list(parsed.unmapped),
        warnings=list(parsed.warnings),
        metadata=parsed.metadata,
    )

    facts: dict[FactKey, ParsedFact] = {}
    for pf in parsed.facts:
        key = _key(pf.concept, pf.dimensions, pf.period)
        if key in facts and facts[key].value != pf.value:
            result.unmapped.append(
                Unmapped(
                    pf.named_range,
                    pf.cell,
                    pf.value,
                    _("the same datapoint is given twice with different values"),
                )
            )
            continue
        facts[key] = pf
    # The blank template holds a few preset values; a workbook holding nothing else is blank.
    few = 0 < len(facts) <= len(reference.template_names(reference.EXPORT_TEMPLATE)) // 10
    if few and all((k, f.value) in blank_template_defaults() for k, f in facts.items()):
        result.ignored_defaults = list(facts.values())
        result.warnings.append(
            _("The workbook holds only the blank template's preset values: nothing imported.")
        )
        facts = {}
    result.facts = list(facts.values())

    _update_year_from_metadata(ry, parsed.metadata, facts, result)

    current = {f.key: f for f in ry.facts.all()}
    to_create: list[Fact] = []
    to_update: list[Fact] = []
    for key, pf in facts.items():
        fact = current.get(key)
        if fact is None:
            to_create.append(
                Fact(
                    reporting_year=ry,
                    concept=pf.concept,
                    dimensions=pf.dimensions,
                    dimensions_key=key[1],
                    period=pf.period,
                    value=pf.value,
                    unit=pf.unit,
                    decimals=pf.decimals,
                    source=Fact.Source.IMPORT,
                    updated_by=actor_or_none(actor),
                )
            )
            continue
        same = (fact.value, fact.unit, fact.decimals, fact.source) == (
            pf.value,
            pf.unit,
            pf.decimals,
            Fact.Source.IMPORT,
        )
        if same:
            result.unchanged += 1
            continue
        if fact.source != Fact.Source.IMPORT:
            result.overwritten.append(f"{pf.concept} {key[1]} {pf.period}: {fact.value} → {pf.value}")
        fact.value, fact.unit, fact.decimals = pf.value, pf.unit, pf.decimals
        fact.source, fact.updated_by = Fact.Source.IMPORT, actor_or_none(actor)
        to_update.append(fact)
    Fact.objects.bulk_create(to_create)
    for fact in to_update:
        fact.save(update_fields=["value", "unit", "decimals", "source", "updated_by", "updated_at"])
    stale = [f.pk for k, f in current.items() if f.source == Fact.Source.IMPORT and k not in facts]
    if stale:
        Fact.objects.filter(pk__in=stale).delete()
    result.created, result.updated, result.deleted = len(to_create), len(to_update), len(stale)

    audit_record(
        actor=actor,
        organisation=organisation,
        action="vsme.template_imported",
        obj=ry,
        changes={
            "template_version": parsed.version,
            "created": result.created,
            "updated": result.updated,
            "deleted": result.deleted,
            "unmapped": len(result.unmapped),
            "overwritten": len(result.overwritten),
        },
    )
    return result


def actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _update_year_from_metadata(
    ry: ReportingYear, meta: dict[str, Any], facts: dict[FactKey, ParsedFact], result: ImportResult
) -> None:
    changed: list[str] = []
    if meta.get("currency") and meta["currency"] != ry.currency and facts:
        ry.currency = meta["currency"]
        changed.append("currency")
    start, end = _parse_date(meta.get("period_start", "")), _parse_date(meta.get("period_end", ""))
    if start and end and start <= end and facts:
        if end.year != ry.year:
            result.warnings.append(
                _("The template's reporting period (%(start)s to %(end)s) does not end in %(year)s.")
                % {"start": start, "end": end, "year": ry.year}
            )
        custom = (start, end) != (date(ry.year, 1, 1), date(ry.year, 12, 31))
        new_start, new_end = (start, end) if custom else (None, None)
        if (ry.period_start, ry.period_end) != (new_start, new_end):
            ry.period_start, ry.period_end = new_start, new_end
            changed += ["period_start", "period_end"]
    scheme = reference.entity_scheme_for_label(meta.get("entity_scheme", ""))
    identifier = meta.get("entity_identifier", "")
    if scheme and identifier and (ry.entity_scheme, ry.entity_identifier) != (scheme, identifier):
        ry.entity_scheme, ry.entity_identifier = scheme, identifier[:100]
        changed += ["entity_scheme", "entity_identifier"]
    basis = facts.get(_key("vsme:BasisForPreparation", {}, reference.CURRENT_PERIOD))
    if basis is not None:
        module = (
            ReportingYear.Module.COMPREHENSIVE
            if basis.value.startswith("vsme:OptionB")
            else ReportingYear.Module.BASIC
        )
        if module != ry.module:
            ry.module = module
            changed.append("module")
    if changed:
        ry.save(update_fields=[*changed, "updated_at"])


# --- export to the digital template -------------------------------------------------------


@dataclass
class XlsxExport:
    content: bytes
    skipped: list[str]


def export_xlsx(reporting_year: ReportingYear) -> bytes:
    """A filled copy of EFRAG's digital template 1.3.0 holding the year's facts."""
    return build_xlsx(reporting_year).content


def build_xlsx(reporting_year: ReportingYear) -> XlsxExport:
    """The filled template and the facts it has no place for."""
    writer = _TemplateFiller(reporting_year, list(reporting_year.facts.all()))
    writer.fill()
    return XlsxExport(fill_workbook(reference.TEMPLATE_FILE, writer.writes), writer.skipped)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return None


def _first_cell(ref: str) -> str:
    return ref.split(":")[0]


class _TemplateFiller:
    def __init__(self, ry: ReportingYear, facts: list[Fact]) -> None:
        self.ry = ry
        self.names = reference.template_names(reference.EXPORT_TEMPLATE)
        self.tpl = reference.data()["templates"][reference.EXPORT_TEMPLATE]
        self.facts: dict[FactKey, Fact] = {f.key: f for f in facts}
        self.used: set[FactKey] = set()
        self.writes: dict[tuple[str, str], CellWrite] = {}
        self.unit_cells: dict[tuple[str, str], str] = {}  # unit cell → unit written there
        self.skipped: list[str] = []

    def put(self, sheet: str, coord: str, value: str | Decimal | int | bool | None) -> None:
        self.writes[(sheet, coord)] = CellWrite(value)

    def fill(self) -> None:
        self.fill_metadata()
        for name, e in self.names.items():
            if e["role"] == "fact" and "table" not in e:
                self.fill_simple(name, e)
            elif e["role"] == "table":
                self.fill_table(name, e)
        for key, fact in self.facts.items():
            if key not in self.used:
                self.skipped.append(
                    "{} {} {}: {}".format(fact.concept, key[1], fact.period, _("no place in the template"))
                )

    def fill_metadata(self) -> None:
        ry, org = self.ry, self.ry.organisation
        meta = {
            e["key"]: (e["sheet"], _first_cell(e["range"]))
            for e in self.names.values()
            if e["role"] == "meta"
        }
        self.put(*meta["entity_name"], org.name)
        labels = {v: k for k, v in reference.data()["entity_schemes"].items()}
        scheme_label = {"lei": "LEI", "duns": "DUNS", "euid": "EU ID", "permid": "PermID"}
        if ry.entity_scheme in labels and ry.entity_identifier:
            self.put(*meta["entity_scheme"], scheme_label[labels[ry.entity_scheme]])
            self.put(*meta["entity_identifier"], ry.entity_identifier)
        elif org.siren:
            # EFRAG's converter knows LEI, DUNS, EUID and PermID only: the SIREN is written
            # and the scheme left for the company to choose.
            self.put(*meta["entity_identifier"], org.siren)
        self.put(*meta["currency"], ry.currency)
        for key, day in (("period_start", ry.start), ("period_end", ry.end)):
            inputs = self.tpl["period_inputs"][key]
            self.put(inputs["sheet"], inputs["year"], day.year)
            self.put(inputs["sheet"], inputs["month"], day.month)
            self.put(inputs["sheet"], inputs["day"], day.day)
            self.put(*meta[key], day.isoformat())  # the formula's cached result

    def fact_for(self, e: dict[str, Any], extra: dict[str, str] | None = None) -> Fact | None:
        dims = {**e["dimensions"], **(extra or {})}
        key = _key(e["concept"], dims, e.get("period", reference.CURRENT_PERIOD))
        fact = self.facts.get(key)
        if fact is None and e.get("period") != reference.CURRENT_PERIOD:
            # A baseline or target value kept in the reporting period (no year was given).
            fact = self.facts.get(_key(e["concept"], dims, reference.CURRENT_PERIOD))
            if fact is not None and not dims:
                fact = None
        if fact is not None:
            self.used.add(fact.key)
        return fact

    def cell_value(self, e: dict[str, Any], fact: Fact) -> str | Decimal | int | bool | None:
        c = reference.concept(e["concept"]) or {}
        style = e.get("input")
        if style == "number":
            return _decimal(fact.value)
        if style in ("yesno", "bool"):
            truth = fact.value == "true"
            return ("YES" if truth else "NO") if style == "yesno" else truth
        if style == "enum":
            return reference.member_text(fact.value)
        if c.get("base_type") == "xbrli:gYearItemType":
            return int(fact.value) if fact.value.isdigit() else fact.value
        return fact.value

    def fill_simple(self, name: str, e: dict[str, Any]) -> None:
        fact = self.fact_for(e)
        sheet, ref = e["sheet"], e["range"]
        first = _first_cell(ref)
        if e.get("input") in ("checkboxes", "list"):
            self.fill_set(e, fact)
            return
        if fact is None:
            self.put(sheet, first, "-" if e.get("formula") else None)
            return
        value = self.cell_value(e, fact)
        if isinstance(value, Decimal) and e.get("unit_name"):
            value = self.fit_unit(e, None, fact, value)
            if value is None:
                return
        self.put(sheet, first, value)

    def fit_unit(self, e: dict[str, Any], row: int | None, fact: Fact, value: Decimal) -> Decimal | None:
        """Write the fact's unit in its unit cell, or convert to the unit already written there."""
        unit_entry = self.names[e["unit_name"]]
        min_col, min_row, _max_col, max_row = range_boundaries(unit_entry["range"])
        cell_row = row if (row is not None and max_row > min_row) else min_row
        cell = (unit_entry["sheet"], f"{get_column_letter(min_col)}{cell_row}")
        written = self.unit_cells.get(cell)
        if written is None or written == fact.unit:
            self.unit_cells[cell] = fact.unit
            self.put(*cell, reference.unit_text(fact.unit))
            return value
        converted = reference.convert_quantity(value, fact.unit, written)
        if converted is None:
            self.skipped.append(
                "{}: {}".format(fact.concept, _("its unit differs from the one of its column"))
            )
            self.used.discard(fact.key)
        return converted

    def fill_set(self, e: dict[str, Any], fact: Fact | None) -> None:
        sheet, ref = e["sheet"], e["range"]
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        members: list[str] = (reference.concept(e["concept"]) or {}).get("members", [])
        chosen = set(fact.value.split()) if fact is not None else set()
        if e["input"] == "checkboxes":
            for i, member in enumerate(members):
                if e["orientation"] == "rows" and min_row + i <= max_row:
                    self.put(sheet, f"{get_column_letter(min_col)}{min_row + i}", member in chosen)
                elif e["orientation"] == "columns" and min_col + i <= max_col:
                    self.put(sheet, f"{get_column_letter(min_col + i)}{min_row}", member in chosen)
            return
        texts = [reference.member_text(m) for m in members if m in chosen]
        if fact is not None and not texts:
            texts = ["None"]  # the template's "deliberately empty" list
        rows = range(min_row, max_row + 1)
        for i, row in enumerate(rows):
            value = texts[i] if i < len(texts) else None
            self.put(
                sheet, f"{get_column_letter(min_col)}{row}", value if value or not e.get("formula") else ""
            )
        if len(texts) > len(rows):
            self.skipped.append("{}: {}".format(e["concept"], _("more choices than the template has rows")))
        if e["concept"] == "vsme:ListOfOmittedDisclosuresDeemedToBeClassifiedOrSensitiveInformation":
            # In 1.3.0 this list is computed from check boxes of the table of contents.
            for member, box in self.tpl["omitted_checkboxes"].items():
                box_sheet, _sep, coord = box.rpartition("!")
                self.put(box_sheet, coord, member in chosen)

    def fill_table(self, tname: str, t: dict[str, Any]) -> None:
        items = [(n, self.names[n]) for n in t["items"]]
        axes = [(n, self.names[n]) for n in t["axes"]]
        if not axes:  # the energy breakdown: fixed cells, one per concept and member
            for n, e in items:
                self.fill_simple(n, e)
            return
        concepts = {e["concept"] for _n, e in items}
        axis_names = {e["concept"]: (n, e) for n, e in axes}
        # Mass and volume share a column (waste, materials) and a row has one unit: a member or
        # identifier with both takes two rows, masses on the first, volumes on the second.
        ranges = [e["range"] for _n, e in items]
        layer_of = {
            e["concept"]: (reference.concept(e["concept"]) or {}).get("unit_kind", "")
            if ranges.count(e["range"]) > 1
            else None
            for _n, e in items
        }
        layers: dict[tuple[tuple[str, str], ...], set[str]] = {}
        for candidate in self.facts.values():
            if candidate.concept in concepts and set(candidate.dimensions) == set(axis_names):
                rk = tuple(sorted(candidate.dimensions.items()))
                found = layers.setdefault(rk, set())
                if layer_of[candidate.concept] is not None:
                    found.add(str(layer_of[candidate.concept]))
        # Rows of this table: one per combination of the table's axes found in the facts.
        row_keys: list[tuple[tuple[tuple[str, str], ...], str]] = [
            (rk, layer) for rk, found in layers.items() for layer in sorted(found) or [""]
        ]
        row_keys.sort(key=lambda entry: (self.row_order(entry[0]), entry[1]))
        first_layer: dict[tuple[tuple[str, str], ...], str] = {}
        for rk, layer in row_keys:
            first_layer.setdefault(rk, layer)
        _c1, min_row, _c2, max_row = range_boundaries(t["range"])
        free = list(range(min_row, max_row + 1))
        placed: dict[tuple[tuple[tuple[str, str], ...], str], int] = {}
        # Typed rows the blank template already numbers (sites 1…100) keep their row.
        for rk, layer in row_keys:
            row = self.prefilled_row(axes, dict(rk)) if layer == first_layer[rk] else None
            if row is not None and row in free:
                placed[(rk, layer)] = row
                free.remove(row)
        for entry in row_keys:
            if entry not in placed:
                if not free:
                    continue
                placed[entry] = free.pop(0)
        for (rk, layer), row in placed.items():
            dims = dict(rk)
            for axis, key_value in dims.items():
                _name, e = axis_names[axis]
                text: str | int = key_value if e["role"] == "typed_axis" else reference.member_text(key_value)
                if e["role"] == "typed_axis" and key_value.isdigit() and str(int(key_value)) == key_value:
                    text = int(key_value)  # "007" stays a text: a number would read back as "7"
                col = range_boundaries(e["range"])[0]
                self.put(e["sheet"], f"{get_column_letter(col)}{row}", text)
            for _n, e in items:
                item_layer = layer_of[e["concept"]]
                if (item_layer is None and layer != first_layer[rk]) or item_layer not in (None, layer):
                    continue
                fact = self.fact_for(e, dims)
                if fact is None:
                    continue
                value = self.cell_value(e, fact)
                if isinstance(value, Decimal) and e.get("unit_name"):
                    value = self.fit_unit(e, row, fact, value)
                    if value is None:
                        continue
                col = range_boundaries(e["range"])[0]
                self.put(e["sheet"], f"{get_column_letter(col)}{row}", value)

    def row_order(self, rk: tuple[tuple[str, str], ...]) -> tuple[Any, ...]:
        axes = reference.data()["axes"]
        out: list[Any] = []
        for axis, value in rk:
            members = axes.get(axis, {}).get("members", [])
            if value in members:
                out.append((0, members.index(value), ""))
            else:
                out.append((1, int(value) if value.isdigit() else 0, value))
        return tuple(out)

    def prefilled_row(self, axes: list[tuple[str, dict[str, Any]]], dims: dict[str, str]) -> int | None:
        if len(axes) != 1 or axes[0][1]["role"] != "typed_axis":
            return None
        value = dims.get(axes[0][1]["concept"], "")
        prefilled = axes[0][1].get("prefilled", {})
        row: int | None = prefilled.get(value)
        return row


# --- export to xBRL-JSON ----------------------------------------------------------------------

SIRENE_SCHEME = "http://www.sirene.fr"
PARCOURS_SCHEME = "urn:parcours:organisation"


def entity_of(ry: ReportingYear) -> tuple[str, str]:
    """(scheme, identifier) of the reporting entity: the one the company gave for the year (LEI,
    EUID… entered on the year's page or read from an imported template), else the SIREN
    (scheme http://www.sirene.fr), else the organisation's short name in Parcours' own scheme."""
    org = ry.organisation
    if ry.entity_scheme and ry.entity_identifier:
        return ry.entity_scheme, ry.entity_identifier
    if org.siren:
        return SIRENE_SCHEME, org.siren
    return PARCOURS_SCHEME, org.slug


def entity_scheme_key(uri: str) -> str:
    """ "lei", "euid"… for a scheme URI of the taxonomy; "" for another or none."""
    return next((k for k, v in reference.data()["entity_schemes"].items() if v == uri), "")


@transaction.atomic
def entity_identifier_set(
    *, actor: Any, reporting_year: ReportingYear, scheme_key: str, identifier: str
) -> bool:
    """Set (or clear, with ``scheme_key`` "") the year's entity identifier for EFRAG's converter;
    ``scheme_key`` is one of the taxonomy's schemes (lei, euid, duns, permid). Audited; False when
    nothing changed. The identifier is expected checked (``forms.clean_entity_identifier``)."""
    schemes: dict[str, str] = reference.data()["entity_schemes"]
    if scheme_key and (scheme_key not in schemes or not identifier):
        raise ValidationError(_("Choose an identifier scheme from the list and give the identifier."))
    new = (schemes[scheme_key], identifier[:100]) if scheme_key else ("", "")
    before = (reporting_year.entity_scheme, reporting_year.entity_identifier)
    if new == before:
        return False
    reporting_year.entity_scheme, reporting_year.entity_identifier = new
    reporting_year.save(update_fields=["entity_scheme", "entity_identifier", "updated_at"])
    audit_record(
        actor=actor,
        organisation=reporting_year.organisation,
        action="vsme.entity_identifier_set",
        obj=reporting_year,
        changes={"scheme": [before[0], new[0]], "identifier": [before[1], new[1]]},
    )
    return True


def _oim_instant(day: date) -> str:
    return f"{(day + timedelta(days=1)).isoformat()}T00:00:00"


def period_dates(ry: ReportingYear, facts: list[Fact]) -> dict[str, tuple[date, date]]:
    """Start and end of each period name: the reporting period, and the baseline and target
    years (named after the taxonomy's members, as EFRAG's converter does) from the years
    reported in C3."""
    periods = {reference.CURRENT_PERIOD: (ry.start, ry.end)}
    years = {
        "vsme:GreenhouseGasEmissionReductionTargetBaseYear": Fact.Period.BASELINE.value,
        "vsme:GreenhouseGasEmissionReductionTargetYear": Fact.Period.TARGET.value,
    }
    for fact in facts:
        if fact.concept in years and not fact.dimensions and fact.value.isdigit():
            end = _replace_year(ry.end, int(fact.value))
            start = _replace_year(end, end.year - 1) + timedelta(days=1)
            periods[years[fact.concept]] = (start, end)
    return periods


def _replace_year(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def export_xbrl_json(reporting_year: ReportingYear) -> dict[str, Any]:
    """The year's facts as an xBRL-JSON report (OIM) on the VSME taxonomy 2026-05-01."""
    ry = reporting_year
    facts = sorted(ry.facts.all(), key=lambda f: (f.concept, f.period, f.dimensions_key))
    scheme, identifier = entity_of(ry)
    namespaces = {
        "xbrl": "https://xbrl.org/2021",
        "xbrli": "http://www.xbrl.org/2003/instance",
        "iso4217": "http://www.xbrl.org/2003/iso4217",
        "utr": "http://www.xbrl.org/2009/utr",
        **{p: reference.namespaces()[p] for p in ("vsme", "country", "nace", "waste", "enum2", "dtr-types")},
        "entity": scheme,
    }
    periods = period_dates(ry, facts)
    out: dict[str, Any] = {}
    for i, fact in enumerate(facts, start=1):
        c = reference.concept(fact.concept) or {}
        start, end = periods.get(fact.period, periods[reference.CURRENT_PERIOD])
        period = (
            _oim_instant(end)
            if c.get("period_type") == "instant"
            else f"{start.isoformat()}T00:00:00/{_oim_instant(end)}"
        )
        dims: dict[str, str] = {"concept": fact.concept, "entity": f"entity:{identifier}", "period": period}
        if c.get("numeric"):
            dims["unit"] = fact.unit or reference.allowed_units(fact.concept, ry.currency)[0]
        dims.update(fact.dimensions)
        entry: dict[str, Any] = {"value": fact.value, "dimensions": dims}
        if c.get("numeric") and fact.decimals is not None:
            entry["decimals"] = fact.decimals
        out[f"f{i}"] = entry
    return {
        "documentInfo": {
            "documentType": "https://xbrl.org/2021/xbrl-json",
            "namespaces": namespaces,
            "taxonomy": [reference.entry_point()],
        },
        "facts": out,
    }


@transaction.atomic
def facts_save(
    *,
    actor: Any,
    reporting_year: ReportingYear,
    values: list[tuple[Any, str]],
    period: str = Fact.Period.CURRENT,
) -> int:
    """Save what a person entered for one disclosure: (slot, canonical value) pairs, where a
    slot has ``datapoint``, ``dimensions`` and ``unit``. An emptied field removes its fact;
    an unchanged one is left as it is (with its source). Returns how many facts changed."""
    existing = {
        (f.concept, f.dimensions_key): f
        for f in Fact.objects.select_for_update().filter(reporting_year=reporting_year, period=period)
    }
    changed: dict[str, str] = {}  # "concept" or "concept {dimensions}" → new value
    for slot, value in values:
        key = (slot.datapoint.concept, dimensions_key(slot.dimensions))
        what = f"{key[0]} {key[1]}" if slot.dimensions else key[0]
        fact = existing.get(key)
        if value == "":
            if fact is not None:
                fact.delete()
                changed[what] = ""
            continue
        if fact is not None and fact.value == value and fact.unit == slot.unit:
            continue
        if fact is None:
            fact = Fact(reporting_year=reporting_year, concept=slot.datapoint.concept, period=period)
        fact.dimensions = slot.dimensions
        fact.value = value
        fact.unit = slot.unit
        fact.decimals = _decimals_of(value) if slot.unit else None
        fact.source = Fact.Source.MANUAL
        fact.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        fact.save()
        changed[what] = value
    if changed:
        audit_record(
            actor=actor,
            organisation=reporting_year.organisation,
            action="vsme.facts_saved",
            obj=reporting_year,
            changes={"year": reporting_year.year, "facts": changed},
        )
    return len(changed)


def _decimals_of(value: str) -> int:
    """Decimals of a number as entered: "12" → 0, "12.5" → 1, "0.1234" → 4."""
    return len(value.split(".", 1)[1]) if "." in value else 0


@transaction.atomic
def reporting_year_start(
    *, actor: Any, organisation: Organisation, year: int, carry_over: bool = False
) -> tuple[ReportingYear, int]:
    """A new reporting year, optionally with the latest earlier year's facts copied in, for the
    company to confirm or update. Returns the year and how many facts were carried over."""
    if ReportingYear.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError(_("The year %(year)s already exists.") % {"year": year})
    ry = reporting_year_get_or_create(organisation=organisation, year=year, actor=actor)
    copied = 0
    before = ReportingYear.objects.filter(organisation=organisation, year__lt=year).order_by("-year").first()
    if before is not None and before.entity_identifier:  # who reports does not change with the year
        ry.entity_scheme, ry.entity_identifier = before.entity_scheme, before.entity_identifier
        ry.save(update_fields=["entity_scheme", "entity_identifier", "updated_at"])
    if carry_over and before is not None:
        ry.module, ry.currency = before.module, before.currency
        ry.save()
        facts = [
            Fact(
                reporting_year=ry,
                concept=f.concept,
                dimensions=f.dimensions,
                dimensions_key=f.dimensions_key,
                period=f.period,
                value=f.value,
                unit=f.unit,
                decimals=f.decimals,
                source=f.source,
                updated_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            for f in before.facts.all()
        ]
        Fact.objects.bulk_create(facts)
        copied = len(facts)
    audit_record(
        actor=actor,
        organisation=organisation,
        action="vsme.year_started",
        obj=ry,
        changes={"year": year, "carried_over": copied},
    )
    return ry, copied
