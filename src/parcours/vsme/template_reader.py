"""Reading a filled EFRAG VSME digital template (1.2.0 or 1.3.0) into facts.

The template's named ranges say what each cell is (docs/vsme.md): a range named after a
concept holds its value, ``<Concept>_<Member>`` a value with a dimension member (or a period,
for the baseline and target years), ``<Concept>_unit`` its unit, and table ranges hold one
row per member of an axis or per identifier of a typed axis. This module only reads: it
returns what it found and everything it could not map, and never touches the database.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils.cell import get_column_letter, range_boundaries

from . import reference

MAX_FILE_SIZE = 20 * 1024 * 1024
EMPTY_MARKERS = ("-", "#VALUE!", "#N/A", "#REF!", "#DIV/0!")
EMPTY_SET = "None"  # the template's way of saying "this list is deliberately empty"
_DECIMALS = re.compile(r"\.(0+)")
META_NAMES = frozenset(
    (
        "template_reporting_entity_name",
        "template_reporting_entity_identifier",
        "template_reporting_entity_identifier_scheme",
        "template_currency",
        "template_reporting_period_startdate",
        "template_reporting_period_enddate",
        "template_reporting_schemaRef",
        "template_reporting_template_version",
        "template_reporting_title",
        "template_reporting_subtitle",
    )
)
_TRUE = {"true", "yes", "oui", "1", "vrai"}
_FALSE = {"false", "no", "non", "0", "faux"}


@dataclass(frozen=True)
class ParsedFact:
    concept: str
    dimensions: dict[str, str]
    period: str
    value: str
    unit: str
    decimals: int | None
    named_range: str
    cell: str


@dataclass(frozen=True)
class Unmapped:
    named_range: str
    cell: str
    value: str
    reason: str


@dataclass
class ParsedTemplate:
    version: str
    metadata: dict[str, Any] = field(default_factory=dict)
    facts: list[ParsedFact] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class ConversionError(Exception):
    pass


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    value: Any
    number_format: str

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.col)}{self.row}"


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and (not value.strip() or value.strip() in EMPTY_MARKERS))


def _display(value: Any) -> str:
    text = value.isoformat() if isinstance(value, date | datetime) else str(value)
    return text if len(text) <= 200 else text[:197] + "…"


class Workbook:
    """The cells of a workbook's sheets and its named ranges, read once (read-only mode)."""

    def __init__(self, source: str | Path | IO[bytes]) -> None:
        handle: IO[bytes]
        if isinstance(source, str | Path):
            try:
                handle = Path(source).open("rb")  # noqa: SIM115 - closed below
            except OSError as e:
                raise ValidationError(_("The file cannot be read: %(error)s") % {"error": e.strerror}) from e
        else:
            handle = source
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl drops Excel extensions it cannot read
                self._load(handle)
        finally:
            if isinstance(source, str | Path):
                handle.close()

    def _load(self, handle: IO[bytes]) -> None:
        not_xlsx = ValidationError(
            _("This file is not an Excel workbook (.xlsx). Upload EFRAG's VSME digital template."),
            code="not_xlsx",
        )
        try:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(0)
        except (OSError, AttributeError) as e:
            raise not_xlsx from e
        if size > MAX_FILE_SIZE:
            raise ValidationError(_("The file is too large (more than 20 MB)."), code="too_large")
        if not zipfile.is_zipfile(handle):
            raise not_xlsx
        handle.seek(0)
        try:
            wb = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many kinds on damaged or foreign files
            raise not_xlsx from e
        try:
            self.names: dict[str, tuple[str, str]] = {}
            for name, dn in wb.defined_names.items():
                try:
                    destinations = list(dn.destinations)
                except Exception:  # noqa: S112 - a broken name (#REF!) is simply not usable
                    continue
                if len(destinations) == 1 and destinations[0][0] in wb.sheetnames:
                    sheet, ref = destinations[0]
                    try:
                        range_boundaries(ref.replace("$", ""))
                    except ValueError:
                        continue
                    self.names[name] = (sheet, ref.replace("$", ""))
            # Only the sheets holding data (not the lists, translations and converters).
            needed = {
                sheet
                for name, (sheet, _ref) in self.names.items()
                if not name.startswith(("enum_", "template_")) or name in META_NAMES
            }
            self.cells: dict[str, dict[tuple[int, int], Cell]] = {}
            for sheet in needed:
                grid: dict[tuple[int, int], Cell] = {}
                for row in wb[sheet].iter_rows():
                    for c in row:
                        if getattr(c, "value", None) is not None:
                            grid[(c.row, c.column)] = Cell(
                                c.row, c.column, c.value, c.number_format or "General"
                            )
                self.cells[sheet] = grid
        except Exception as e:
            raise not_xlsx from e
        finally:
            wb.close()

    def range_rows(self, sheet: str, ref: str) -> Iterator[tuple[int, list[Cell]]]:
        """Each row of a range with its non-empty cells."""
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        grid = self.cells.get(sheet, {})
        for r in range(min_row, max_row + 1):
            yield r, [grid[(r, c)] for c in range(min_col, max_col + 1) if (r, c) in grid]

    def first(self, name: str) -> Cell | None:
        if name not in self.names:
            return None
        for _row, cells in self.range_rows(*self.names[name]):
            for c in cells:
                return c
        return None

    def text(self, name: str) -> str:
        cell = self.first(name)
        return "" if cell is None or is_empty(cell.value) else str(cell.value).strip()


def detect_version(wb: Workbook) -> str:
    if (
        "template_reporting_template_version" not in wb.names
        or "template_reporting_schemaRef" not in wb.names
    ):
        raise ValidationError(
            _("This workbook is not an EFRAG VSME digital template (its named ranges are missing)."),
            code="not_vsme",
        )
    version = wb.text("template_reporting_template_version")
    for supported in reference.SUPPORTED_TEMPLATES:
        if version.split(".")[:2] == supported.split(".")[:2]:
            return supported
    raise ValidationError(
        _("Version %(version)s of the VSME digital template is not supported (supported: %(supported)s).")
        % {"version": version or "?", "supported": ", ".join(reference.SUPPORTED_TEMPLATES)},
        code="unsupported_version",
    )


def canonical_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ConversionError(_("a number was expected, not yes/no"))
    if isinstance(value, int | float):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace("\u202f", "").replace(" ", "").replace(",", "."))
        except InvalidOperation as e:
            raise ConversionError(_("a number was expected")) from e
    raise ConversionError(_("a number was expected"))


def decimal_text(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "") else text


def format_decimals(number_format: str) -> int | None:
    """Decimal places shown by a cell's number format ("0.00" → 2; none → None, i.e. exact)."""
    m = _DECIMALS.search(number_format)
    return len(m.group(1)) if m else None


def convert(qname: str, cell: Cell, unit: str | None, currency: str) -> tuple[str, str, int | None]:
    """(canonical value, unit, decimals) of a cell for a concept, or ConversionError."""
    c = reference.concept(qname)
    if c is None:
        raise ConversionError(_("the concept is not in the VSME taxonomy 2026-05-01"))
    value = cell.value
    base = c["base_type"]
    dtype = c["data_type"]
    if c["numeric"]:
        number = canonical_decimal(value)
        decimals = format_decimals(cell.number_format)
        if "%" in cell.number_format and decimals is not None:
            decimals += 2  # a percentage cell holds the fraction: 12.34 % is 0.1234
        allowed = reference.allowed_units(qname, currency)
        if c.get("unit_kind") in ("monetary", "ghg_per_monetary") or unit is None:
            unit = allowed[0]
        elif unit not in allowed:
            raise ConversionError(
                _("unit %(unit)s does not fit this datapoint (expected %(allowed)s)")
                % {"unit": unit, "allowed": ", ".join(allowed)}
            )
        return decimal_text(number), unit, decimals
    if base == "xbrli:booleanItemType":
        if isinstance(value, bool):
            return ("true" if value else "false"), "", None
        text = str(value).strip().lower()
        if text in _TRUE:
            return "true", "", None
        if text in _FALSE:
            return "false", "", None
        raise ConversionError(_("yes or no was expected"))
    if base == "xbrli:dateItemType":
        return _date_text(value), "", None
    if base == "xbrli:gYearItemType":
        try:
            year = int(canonical_decimal(value))
        except (ConversionError, ValueError) as e:
            raise ConversionError(_("a year was expected")) from e
        return f"{year:04d}", "", None
    if dtype == "enum2:enumerationItemType":
        member = reference.resolve_member(qname, str(value))
        if member is None:
            raise ConversionError(_("this choice is not in the taxonomy's list"))
        return member, "", None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, date | datetime):
        value = _date_text(value)
    return str(value), "", None


def _date_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        if "-" in text:
            return date.fromisoformat(text[:10]).isoformat()
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return date(year, month, day).isoformat()
    except ValueError:
        pass
    raise ConversionError(_("a date was expected (YYYY-MM-DD)"))


class TemplateReader:
    def __init__(self, wb: Workbook, version: str, default_currency: str) -> None:
        self.wb = wb
        self.spec = reference.template_names(version)
        self.result = ParsedTemplate(version=version)
        self.currency = default_currency

    # --- helpers ---------------------------------------------------------------------------
    def unmapped(self, name: str, cell: Cell | None, reason: str) -> None:
        self.result.unmapped.append(
            Unmapped(name, cell.coordinate if cell else "", _display(cell.value) if cell else "", reason)
        )

    def add(
        self, name: str, cell: Cell, qname: str, dims: dict[str, str], period: str, unit: str | None
    ) -> None:
        try:
            value, unit_out, decimals = convert(qname, cell, unit, self.currency)
        except ConversionError as e:
            self.unmapped(name, cell, str(e))
            return
        self.result.facts.append(
            ParsedFact(qname, dims, period, value, unit_out, decimals, name, cell.coordinate)
        )

    def unit_for(self, entry: dict[str, Any], row: int | None) -> tuple[str | None, Cell | None, bool]:
        """(unit QName, unit cell, whether a unit range exists) for a fact range."""
        unit_name = entry.get("unit_name")
        if not unit_name or unit_name not in self.wb.names:
            return None, None, False
        sheet, ref = self.wb.names[unit_name]
        _c1, min_row, _c2, max_row = range_boundaries(ref)
        cells: list[Cell] = []
        for r, row_cells in self.wb.range_rows(sheet, ref):
            if max_row == min_row or r == row:
                cells.extend(row_cells)
        cell = next((c for c in cells if not is_empty(c.value)), None)
        if cell is None:
            return None, None, True
        return reference.parse_unit_text(str(cell.value)), cell, True

    # --- reading ---------------------------------------------------------------------------
    def read(self) -> ParsedTemplate:
        spec, wb = self.spec, self.wb
        meta: dict[str, Any] = {e["key"]: wb.text(n) for n, e in spec.items() if e["role"] == "meta"}
        currency = meta.get("currency", "").upper()
        if re.fullmatch(r"[A-Z]{3}", currency):
            self.currency = currency
        elif currency:
            self.result.warnings.append(
                _("Unknown currency “%(c)s”; monetary values read as %(d)s.")
                % {"c": currency, "d": self.currency}
            )
        meta["currency"] = self.currency
        self.result.metadata = meta
        self.periods = {}
        for name, e in spec.items():
            if e["role"] == "period" and (cell := wb.first(name)) is not None and not is_empty(cell.value):
                try:
                    self.periods[e["period"]] = int(canonical_decimal(cell.value))
                except (ConversionError, ValueError):
                    self.unmapped(name, cell, _("a year was expected"))
        self.result.metadata["period_years"] = dict(self.periods)

        for name, e in spec.items():
            if name not in wb.names:
                continue
            role = e["role"]
            if role == "fact" and "table" not in e:
                self.read_simple(name, e)
            elif role == "table":
                self.read_table(name, e)
            elif role == "footnote" and name == "footnote_text":
                for _r, cells in wb.range_rows(*wb.names[name]):
                    for c in cells:
                        if not is_empty(c.value):
                            self.unmapped(name, c, _("footnotes are not stored by Parcours"))
            elif role == "unknown":
                self.read_unknown(name, e["reason"])
        for name in sorted(set(wb.names) - set(spec)):
            if not name.startswith(("template_", "enum_", "footnote_", "_xlnm")):
                self.read_unknown(name, "unknown named range")
        return self.result

    def read_unknown(self, name: str, reason: str) -> None:
        messages = {
            "unknown named range": _("this named range is not part of the VSME template"),
            "abstract concept": _("this named range names a heading, not a datapoint"),
        }
        for _r, cells in self.wb.range_rows(*self.wb.names[name]):
            for c in cells:
                if not is_empty(c.value) and c.value is not False:
                    self.unmapped(name, c, str(messages.get(reason, _("no VSME datapoint of that name"))))

    def read_simple(self, name: str, e: dict[str, Any]) -> None:
        qname = e["concept"]
        c = reference.concept(qname) or {}
        period = self.fact_period(e)
        if c.get("data_type") == "enum2:enumerationSetItemType":
            self.read_set(name, e, period)
            return
        cell = next((x for _r, cells in self.wb.range_rows(*self.wb.names[name]) for x in cells), None)
        if cell is None or is_empty(cell.value):
            return
        unit, unit_cell, has_unit_range = self.unit_for(e, None)
        if has_unit_range and unit is None and c.get("unit_kind") not in ("monetary", "ghg_per_monetary"):
            self.unmapped(name, cell, self.unit_problem(unit_cell))
            return
        self.add(name, cell, qname, dict(e["dimensions"]), period, unit)

    def unit_problem(self, unit_cell: Cell | None) -> str:
        if unit_cell is None:
            return _("no unit is given for this value")
        return _("unit “%(text)s” is not understood") % {"text": unit_cell.value}

    def fact_period(self, e: dict[str, Any]) -> str:
        period = str(e.get("period", reference.CURRENT_PERIOD))
        # Like EFRAG's converter: without a year, the value stays in the reporting period.
        return period if period in self.periods else reference.CURRENT_PERIOD

    def read_set(self, name: str, e: dict[str, Any], period: str) -> None:
        qname = e["concept"]
        members_all: list[str] = (reference.concept(qname) or {}).get("members", [])
        sheet, ref = self.wb.names[name]
        min_col, min_row, _mc, _mr = range_boundaries(ref)
        chosen: list[str] = []
        placeholder = False
        first: Cell | None = None
        for _r, cells in self.wb.range_rows(sheet, ref):
            for cell in cells:
                v = cell.value
                if v is True:
                    index = (cell.row - min_row) if e.get("orientation") == "rows" else (cell.col - min_col)
                    if 0 <= index < len(members_all):
                        chosen.append(members_all[index])
                        first = first or cell
                    else:
                        self.unmapped(name, cell, _("this box has no matching choice in the taxonomy"))
                elif v is False or is_empty(v):
                    continue
                elif isinstance(v, str) and v.strip() == EMPTY_SET:
                    placeholder = True
                    first = first or cell
                else:
                    member = reference.resolve_member(qname, str(v))
                    if member is None:
                        self.unmapped(name, cell, _("this choice is not in the taxonomy's list"))
                    else:
                        chosen.append(member)
                        first = first or cell
        if first is None:
            return
        if placeholder and chosen:
            self.unmapped(name, first, _("the list says “None” and also names disclosures"))
            return
        value = " ".join(sorted(set(chosen), key=_expanded_name))
        self.result.facts.append(
            ParsedFact(qname, dict(e["dimensions"]), period, value, "", None, name, first.coordinate)
        )

    def read_table(self, tname: str, t: dict[str, Any]) -> None:
        spec, wb = self.spec, self.wb
        axes = [(n, spec[n]) for n in t["axes"] if n in wb.names]
        items = [(n, spec[n]) for n in t["items"] if n in wb.names]
        _sheet, ref = wb.names[tname]
        _c1, min_row, _c2, max_row = range_boundaries(ref)
        rows_of: dict[str, dict[int, list[Cell]]] = {
            n: dict(wb.range_rows(*wb.names[n])) for n, _e in [*axes, *items]
        }
        # Columns shared by two concepts (mass and volume): the row's unit decides which one.
        shared = {n for n, _e in items if sum(wb.names[m] == wb.names[n] for m, _x in items) > 1}
        for row in range(min_row, max_row + 1):
            values = []
            for n, e in items:
                cell = next((c for c in rows_of[n].get(row, []) if not is_empty(c.value)), None)
                if cell is not None:
                    values.append((n, e, cell))
            if not any(cell.value is not False for _n, _e, cell in values):
                continue  # an empty row (the template pre-fills check boxes with "false")
            dims: dict[str, str] = {}
            problem = ""
            for n, e in axes:
                key = next((c for c in rows_of[n].get(row, []) if not is_empty(c.value)), None)
                axis = e["concept"]
                if key is None:
                    problem = _("this row has no %(axis)s") % {"axis": _axis_label(axis)}
                elif e["role"] == "typed_axis":
                    v = key.value
                    dims[axis] = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip()
                else:
                    member = reference.resolve_member(axis, str(key.value))
                    if member is None:
                        problem = _("“%(text)s” is not in the taxonomy's list for %(axis)s") % {
                            "text": key.value,
                            "axis": _axis_label(axis),
                        }
                    elif member != reference.data()["axes"][axis]["default"]:
                        dims[axis] = member
            seen_shared: dict[tuple[str, str], bool] = {}
            reported: set[str] = set()
            for n, e, cell in values:
                if problem:
                    if cell.value is not False and cell.coordinate not in reported:
                        reported.add(cell.coordinate)
                        self.unmapped(n, cell, problem)
                    continue
                unit, unit_cell, has_unit_range = self.unit_for(e, row)
                c = reference.concept(e["concept"]) or {}
                if (
                    has_unit_range
                    and unit is None
                    and c.get("unit_kind") not in ("monetary", "ghg_per_monetary")
                ):
                    if n in shared:
                        seen_shared.setdefault(wb.names[n], False)
                    else:
                        self.unmapped(n, cell, self.unit_problem(unit_cell))
                    continue
                if n in shared:
                    fits = unit in reference.allowed_units(e["concept"], self.currency)
                    seen_shared[wb.names[n]] = seen_shared.get(wb.names[n], False) or fits
                    if not fits:
                        continue
                self.add(n, cell, e["concept"], {**e["dimensions"], **dims}, self.fact_period(e), unit)
            for (n_sheet, n_ref), fitted in seen_shared.items():
                if not fitted:
                    name = next(n for n, _e, _c in values if wb.names[n] == (n_sheet, n_ref))
                    cell = next(c for n, _e, c in values if n == name)
                    unit, unit_cell, _h = self.unit_for(spec[name], row)
                    self.unmapped(name, cell, self.unit_problem(unit_cell))


def _axis_label(axis: str) -> str:
    return reference.concept_label(axis, "en").removesuffix(" [axis]").removesuffix(" [typed axis]")


def _expanded_name(qname: str) -> str:
    prefix, _sep, local = qname.partition(":")
    return f"{reference.namespaces().get(prefix, prefix)}#{local}"


def read_template(source: str | Path | IO[bytes], *, default_currency: str = "EUR") -> ParsedTemplate:
    """Facts, report metadata and unmapped cells of a digital template; ValidationError if the
    file is not a readable VSME template."""
    wb = Workbook(source)
    version = detect_version(wb)
    return TemplateReader(wb, version, default_currency).read()
