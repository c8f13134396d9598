"""Extract what Parcours needs of EFRAG's VSME material into the project's own data file.

Usage: python tools/extract_vsme.py [REFERENCE_DIR]

REFERENCE_DIR defaults to ../shared/reference beside the clone. Reads the taxonomy JSON
(2026-05-01), the blank digital template 1.3.0, the filled sample of template 1.2.0 (for the
1.2.0 positions of the named ranges), template-named-ranges.json (EFRAG converter settings)
and facts.yaml (disclosure titles), and writes src/parcours/vsme/data/vsme-2026-05-01.json.
It also copies the blank template 1.3.0 and EFRAG's licence next to it (needed at run time
to fill the template). The product never reads the reference folder itself.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "src" / "parcours" / "vsme" / "data"
OUT_FILE = OUT_DIR / "vsme-2026-05-01.json"
BLANK_NAME = "VSME-Digital-Template-1.3.0.xlsx"
SAMPLE_NAME = "VSME-Digital-Template-Sample-1.2.0.xlsx"

LABEL = "http://www.xbrl.org/2003/role/label"
DOCUMENTATION = "http://www.xbrl.org/2003/role/documentation"
MEASUREMENT = "http://www.xbrl.org/2003/role/measurementGuidance"

# Units the template offers, with their UTR ids, the quantity they measure and the factor to
# the quantity's base unit (kg, m3, sqm, MWh): facts from the Unit Type Registry.
UNITS: dict[str, dict[str, Any]] = {
    "utr:kg": {"id": "kg", "quantity": "mass", "factor": 1},
    "utr:t": {"id": "t", "quantity": "mass", "factor": 1000},
    "utr:m3": {"id": "m3", "quantity": "volume", "factor": 1},
    "utr:l": {"id": "l", "quantity": "volume", "factor": 0.001},
    "utr:sqm": {"id": "sqm", "quantity": "area", "factor": 1},
    "utr:ha": {"id": "ha", "quantity": "area", "factor": 10000},
    "utr:MWh": {"id": "MWh", "quantity": "energy", "factor": 1},
    "utr:tCO2e": {"id": "tCO2e", "quantity": "ghg", "factor": 1},
    "xbrli:pure": {"id": "pure", "quantity": "pure", "factor": 1},
}
# Data type → units the template can express for it (first = default).
DATA_TYPE_UNITS = {
    "dtr-types:massItemType": ["utr:t", "utr:kg"],
    "dtr-types:volumeItemType": ["utr:m3", "utr:l"],
    "dtr-types:areaItemType": ["utr:ha", "utr:sqm"],
    "dtr-types:energyItemType": ["utr:MWh"],
    "dtr-types:ghgEmissionsItemType": ["utr:tCO2e"],
    "dtr-types:percentItemType": ["xbrli:pure"],
    "xbrli:decimalItemType": ["xbrli:pure"],
    "xbrli:integerItemType": ["xbrli:pure"],
    "xbrli:nonNegativeIntegerItemType": ["xbrli:pure"],
}
UNIT_KIND = {
    "dtr-types:massItemType": "mass",
    "dtr-types:volumeItemType": "volume",
    "dtr-types:areaItemType": "area",
    "dtr-types:energyItemType": "energy",
    "dtr-types:ghgEmissionsItemType": "ghg",
    "dtr-types:percentItemType": "pure",
    "xbrli:decimalItemType": "pure",
    "xbrli:monetaryItemType": "monetary",
    "dtr-types:ghgEmissionsPerMonetaryItemType": "ghg_per_monetary",
}
META_KEYS = {
    "template_reporting_entity_name": "entity_name",
    "template_reporting_entity_identifier": "entity_identifier",
    "template_reporting_entity_identifier_scheme": "entity_scheme",
    "template_currency": "currency",
    "template_reporting_period_startdate": "period_start",
    "template_reporting_period_enddate": "period_end",
    "template_reporting_schemaRef": "entry_point",
    "template_reporting_template_version": "template_version",
    "template_reporting_title": "report_title",
    "template_reporting_subtitle": "report_subtitle",
}
# The converter's own work-around: the typed axis of the biodiversity table is named after a
# concept that does not exist; its rows are identified by site.
NAME_ALIASES = {"IdentifierOfSitesInBiodiversitySensitiveAreasTypedAxis": "IdentifierOfSiteTypedAxis"}
OTHER = "other"
OTHER_TITLE = {
    "en": "Other and/or entity-specific information",
    "fr": "Autres informations et/ou informations spécifiques à l'entreprise",
}
CELL_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


def clean_label(text: str) -> str:
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\xa0", " ")
    text = re.sub(r"\s*\[[a-z ]+\]\s*$", "", text.strip())
    return re.sub(r"\s+", " ", text).strip().lower()


def label(concept: dict[str, Any], lang: str, role: str = LABEL) -> str | None:
    return concept.get("labels", {}).get(lang, {}).get(role)


class Workbooks:
    """The two workbooks, loaded once with formulas and once with cached values."""

    def __init__(self, path: Path) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.formulas = openpyxl.load_workbook(path)
            self.values = openpyxl.load_workbook(path, data_only=True)
        self.names = {
            name: dn.attr_text for name, dn in self.formulas.defined_names.items() if not name.startswith("_")
        }

    def destination(self, name: str) -> tuple[str, str] | None:
        dn = self.formulas.defined_names[name]
        try:
            dests = list(dn.destinations)
        except Exception:
            return None
        if len(dests) != 1 or "#REF!" in dn.attr_text:
            return None
        sheet, ref = dests[0]
        return sheet, ref.replace("$", "")

    def cells(self, sheet: str, ref: str, *, formulas: bool = False) -> list[tuple[str, Any]]:
        ws: Worksheet = (self.formulas if formulas else self.values)[sheet]
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        out = []
        for row in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col):
            for cell in row:
                out.append((cell.coordinate, cell.value))
        return out


def load_reference(ref_dir: Path) -> dict[str, Any]:
    efrag = ref_dir / "efrag-vsme"
    missing = [p for p in (efrag / BLANK_NAME, efrag / SAMPLE_NAME, ref_dir / "facts.yaml") if not p.exists()]
    if missing:
        raise SystemExit(f"reference files missing: {', '.join(map(str, missing))}")
    return {
        "taxonomy": json.loads((efrag / "vsme-taxonomy-2026-05-01.json").read_text()),
        "converter": json.loads((efrag / "template-named-ranges.json").read_text()),
        "facts": yaml.safe_load((ref_dir / "facts.yaml").read_text()),
        "blank": Workbooks(efrag / BLANK_NAME),
        "sample": Workbooks(efrag / SAMPLE_NAME),
        "efrag_dir": efrag,
    }


class Taxonomy:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.concepts: dict[str, dict[str, Any]] = data["concepts"]
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for qname in self.concepts:
            self.by_name[qname.split(":", 1)[1]].append(qname)
        self.defaults: dict[str, str] = data["dimensions"]["_defaults"]
        # hypercube → {role, explicit axes → members, typed axes, primary items}
        self.cubes: list[dict[str, Any]] = []
        for role, cubes in data["dimensions"].items():
            if role == "_defaults":
                continue
            for cube, details in cubes.items():
                self.cubes.append(
                    {
                        "role": role,
                        "cube": cube,
                        "explicit": details.get("explicitDimensions", {}),
                        "typed": details.get("typedDimensions", []),
                        "items": [q for _, q in details["primaryItems"] if not self.is_abstract(q)],
                    }
                )

    def concept_for_name(self, name: str) -> str | None:
        found = self.by_name.get(NAME_ALIASES.get(name, name), [])
        return found[0] if len(found) == 1 else None

    def is_abstract(self, qname: str) -> bool:
        return bool(self.concepts[qname].get("abstract"))

    def axis_for_member(self, concept: str, member: str) -> str | None:
        for cube in self.cubes:
            if concept in cube["items"]:
                for axis, members in cube["explicit"].items():
                    if member in members:
                        return axis
        return None

    def axes_of(self, concept: str) -> list[dict[str, Any]]:
        return [cube for cube in self.cubes if concept in cube["items"]]


def classify_names(wbs: Workbooks, tax: Taxonomy) -> dict[str, dict[str, Any]]:
    """What each named range of a template means."""
    names: dict[str, dict[str, Any]] = {}
    period_names = {"BaselineYearMember", "TargetYearMember"}
    for name in sorted(wbs.names):
        dest = wbs.destination(name)
        entry: dict[str, Any] = {}
        if dest:
            entry["sheet"], entry["range"] = dest
        if name in META_KEYS:
            entry.update(role="meta", key=META_KEYS[name])
        elif name == "footnote_table" or name == "footnote_text":
            entry.update(role="footnote")
        elif name.startswith(("template_", "enum_", "footnote_")):
            continue  # labels, lists and buttons of the workbook itself
        elif name in period_names:
            entry.update(role="period", period=name)
        elif (qname := tax.concept_for_name(name)) is not None:
            c = tax.concepts[qname]
            if c.get("hypercube"):
                entry.update(role="table", concept=qname)
            elif c.get("dimension"):
                typed = bool(c.get("other", {}).get("typedElement"))
                entry.update(role="typed_axis" if typed else "axis", concept=qname)
            elif c.get("abstract"):
                entry.update(role="unknown", reason="abstract concept")
            else:
                entry.update(role="fact", concept=qname, dimensions={}, period="cur")
        elif name.endswith("_unit") and tax.concept_for_name(name[: -len("_unit")]):
            entry.update(role="unit", concept=tax.concept_for_name(name[: -len("_unit")]))
        elif "_" in name:
            base, _, member_name = name.partition("_")
            qname, member = tax.concept_for_name(base), tax.concept_for_name(member_name)
            axis = tax.axis_for_member(qname, member) if qname and member else None
            if qname and member and axis:
                dims = {} if tax.defaults.get(axis) == member else {axis: member}
                period = member_name if member_name in period_names else "cur"
                entry.update(role="fact", concept=qname, dimensions=dims, period=period)
            else:
                entry.update(role="unknown", reason="no concept or dimension member of that name")
        else:
            entry.update(role="unknown", reason="no concept of that name in the taxonomy")
        if "sheet" not in entry and entry["role"] != "meta":
            entry.update(role="unknown", reason="the named range points nowhere (#REF!)")
        names[name] = entry
    attach_tables(names)
    return names


def _inside(outer: str, inner: str) -> bool:
    a = range_boundaries(outer)
    b = range_boundaries(inner)
    return a[0] <= b[0] and a[1] <= b[1] and b[2] <= a[2] and b[3] <= a[3]


def attach_tables(names: dict[str, dict[str, Any]]) -> None:
    """Columns of a table: the fact and axis ranges lying wholly inside its range."""
    for tname, table in names.items():
        if table["role"] != "table":
            continue
        columns = [
            n
            for n, e in names.items()
            if e["role"] in ("fact", "axis", "typed_axis")
            and e.get("sheet") == table["sheet"]
            and _inside(table["range"], e["range"])
        ]
        table["items"] = sorted(n for n in columns if names[n]["role"] == "fact")
        table["axes"] = sorted(n for n in columns if names[n]["role"] != "fact")
        for n in columns:
            names[n]["table"] = tname
    units = {e["concept"]: n for n, e in names.items() if e["role"] == "unit"}
    for e in names.values():
        if e["role"] == "fact" and e["concept"] in units:
            e["unit_name"] = units[e["concept"]]
    # The energy breakdown's row labels sit outside its table: they are labels, not data.
    for e in names.values():
        if e["role"] == "axis" and "table" not in e:
            e["role"] = "axis_labels"


def input_styles(
    names: dict[str, dict[str, Any]], tax: Taxonomy, blank: Workbooks, sample: Workbooks
) -> None:
    """How a value is written in each fact range of template 1.3.0 (for the export)."""
    for name, e in names.items():
        if e["role"] != "fact":
            continue
        c = tax.concepts[e["concept"]]
        dtype = c["dataType"]
        first = e["range"].split(":")[0]
        formula = blank.cells(e["sheet"], first, formulas=True)[0][1]
        e["formula"] = (isinstance(formula, str) and formula.startswith("=")) or (
            formula is not None and not isinstance(formula, (str, int, float, bool))
        )
        if c.get("baseDataType") == "xbrli:booleanItemType":
            evidence = [v for _, v in blank.cells(e["sheet"], e["range"])]
            if name in sample.names and (dest := sample.destination(name)):
                evidence += [v for _, v in sample.cells(*dest)]
            yesno = any(isinstance(v, str) and v.upper() in ("YES", "NO") for v in evidence)
            e["input"] = "yesno" if yesno or _has_yesno_validation(blank, e) else "bool"
        elif dtype == "enum2:enumerationSetItemType":
            values = [v for _, v in blank.cells(e["sheet"], e["range"])]
            e["input"] = "checkboxes" if any(isinstance(v, bool) for v in values) else "list"
            _min_col, min_row, _max_col, max_row = range_boundaries(e["range"])
            e["orientation"] = "rows" if max_row > min_row else "columns"
        elif dtype == "enum2:enumerationItemType":
            e["input"] = "enum"
        elif c.get("numeric"):
            e["input"] = "number"
        else:
            e["input"] = "text"


def prefilled_keys(names: dict[str, dict[str, Any]], blank: Workbooks) -> None:
    """Typed axes whose rows the blank template already numbers (sites 1…100): value → row."""
    for e in names.values():
        if e["role"] != "typed_axis":
            continue
        prefilled = {}
        for coord, value in blank.cells(e["sheet"], e["range"], formulas=True):
            if isinstance(value, int | float) and not isinstance(value, bool):
                prefilled[str(int(value))] = int(re.sub(r"[A-Z]+", "", coord))
        if prefilled:
            e["prefilled"] = prefilled


def _has_yesno_validation(blank: Workbooks, e: dict[str, Any]) -> bool:
    ws = blank.formulas[e["sheet"]]
    first = e["range"].split(":")[0]
    for dv in ws.data_validations.dataValidation:
        if dv.formula1 and "YesNo" in dv.formula1 and first in dv.sqref:
            return True
    return False


def period_inputs(blank: Workbooks, names: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The start and end dates are formulas over year, month and day cells: find those cells."""
    out: dict[str, Any] = {}
    for key in ("period_start", "period_end"):
        name = next(n for n, e in names.items() if e.get("key") == key)
        e = names[name]
        formula = blank.cells(e["sheet"], e["range"], formulas=True)[0][1]
        refs: list[str] = []
        for col, row in CELL_REF.findall(str(formula)):
            if f"{col}{row}" not in refs:
                refs.append(f"{col}{row}")
        if len(refs) != 3:
            raise SystemExit(f"unexpected formula for {name}: {formula}")
        out[key] = {"sheet": e["sheet"], "year": refs[0], "month": refs[1], "day": refs[2]}
    return out


def enumeration_texts(blank: Workbooks, tax: Taxonomy, converter: dict[str, Any]) -> dict[str, str]:
    """Member QName → the text the template's drop-down shows for it."""
    lookup: dict[str, list[str]] = defaultdict(list)
    for qname, c in tax.concepts.items():
        if (en := label(c, "en")) and (c.get("abstract") or c["dataType"].endswith("domainItemType")):
            lookup[clean_label(en)].append(qname)
    aliases = {clean_label(k): clean_label(v) for k, v in converter["cellValuesToTaxonomyLabels"].items()}
    texts: dict[str, str] = {}
    for name, _dn in blank.formulas.defined_names.items():
        if not name.startswith("enum_") or not (dest := blank.destination(name)):
            continue
        for _, value in blank.cells(*dest):
            if not isinstance(value, str) or not value.strip():
                continue
            key = clean_label(value)
            key = aliases.get(key, key)
            candidates = lookup.get(key) or lookup.get(key.removeprefix("nace ")) or []
            if len(candidates) == 1 and candidates[0] not in texts:
                texts[candidates[0]] = value
    # Lists written in the data validation itself rather than on the lists sheet.
    for ws in blank.formulas.worksheets:
        for dv in ws.data_validations.dataValidation:
            if dv.type == "list" and dv.formula1 and dv.formula1.startswith('"'):
                for value in dv.formula1.strip('"').split(","):
                    key = clean_label(value)
                    key = aliases.get(key, key)
                    candidates = lookup.get(key, [])
                    if len(candidates) == 1:
                        texts.setdefault(candidates[0], value.strip())
    return dict(sorted(texts.items()))


def omitted_checkboxes(blank: Workbooks, tax: Taxonomy) -> dict[str, str]:
    """Member of the omitted-disclosures list → the check box cell that puts it in the list.

    In template 1.3.0 that list is a formula over the check boxes of the table of contents
    (label in column B, box in column D)."""
    concept = tax.concepts["vsme:ListOfOmittedDisclosuresDeemedToBeClassifiedOrSensitiveInformation"]
    by_label = {}
    for member in concept["other"]["ee20DomainMembers"]:
        if en := label(tax.concepts[member], "en"):
            by_label[clean_label(en)] = member
    sheet = "Table of Contents & Validation"
    out: dict[str, str] = {}
    formulas = dict(blank.cells(sheet, "D1:D120", formulas=True))
    for coord, value in blank.cells(sheet, "B1:B120"):
        if not isinstance(value, str):
            continue
        member = by_label.get(clean_label(value))
        box = "D" + coord[1:]
        if member and isinstance(formulas.get(box), bool):
            out.setdefault(member, f"{sheet}!{box}")
    return out


def unit_texts(blank: Workbooks) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in ("enum_ListUnitMeasurement", "enum_ListHectM2", "enum_ListUnitMeasurement_mass_only"):
        dest = blank.destination(name)
        assert dest
        for _, value in blank.cells(*dest):
            if isinstance(value, str) and (unit := parse_unit(value)):
                out.setdefault(unit, value)
    return out


UNIT_REPLACEMENTS = {"m2": "sqm", "m²": "sqm", "m³": "m3"}


def parse_unit(text: str) -> str | None:
    """The same reading as the product's (parcours.vsme.units.parse_unit_text)."""
    candidates = [*re.findall(r"\((.*?)\)", text), text.strip()]
    by_id = {u["id"]: q for q, u in UNITS.items()}
    by_lower = {u["id"].lower(): q for q, u in UNITS.items()}
    for cand in candidates:
        cand = UNIT_REPLACEMENTS.get(cand.strip(), cand.strip())
        if cand in by_id:
            return by_id[cand]
        if cand.lower() in by_lower:
            return by_lower[cand.lower()]
    return None


def disclosure_of(c: dict[str, Any]) -> str | None:
    for ref in c.get("references", []):
        for part, value in ref.get("parts", []):
            if part == "ref:Number" and re.fullmatch(r"[BC]\d{1,2}", value):
                return str(value)
    return None


def build(ref_dir: Path) -> dict[str, Any]:
    ref = load_reference(ref_dir)
    tax = Taxonomy(ref["taxonomy"])
    blank: Workbooks = ref["blank"]
    sample: Workbooks = ref["sample"]
    converter = ref["converter"]

    templates: dict[str, Any] = {}
    for version, wbs in (("1.3.0", blank), ("1.2.0", sample)):
        names = classify_names(wbs, tax)
        templates[version] = {"names": names}
    input_styles(templates["1.3.0"]["names"], tax, blank, sample)
    prefilled_keys(templates["1.3.0"]["names"], blank)
    templates["1.3.0"]["period_inputs"] = period_inputs(blank, templates["1.3.0"]["names"])
    templates["1.3.0"]["file"] = BLANK_NAME
    templates["1.3.0"]["omitted_checkboxes"] = omitted_checkboxes(blank, tax)
    # Semantics are the same in both versions (the same names); 1.2.0 differs in positions.
    for name, e in templates["1.2.0"]["names"].items():
        e13 = templates["1.3.0"]["names"].get(name)
        if e13 and e13["role"] == e["role"]:
            for key in ("input", "orientation", "formula"):
                if key in e13:
                    e[key] = e13[key]
    templates["1.2.0"]["note"] = "Positions read from EFRAG's filled sample of template 1.2.0."

    # Concepts: every reportable concept of the presentation (the datapoints), every concept a
    # template names, the axes and the members of enumerations and axes.
    presentation = []
    used: set[str] = set()
    for role, group in ref["taxonomy"]["presentation"].items():
        definition = group["definition"]
        m = re.match(r"\[(\d+)\]\s*(?:([BC]\d{1,2})\s*-\s*)?(.*)", definition)
        presentation.append(
            {
                "role": role,
                "order": int(m.group(1)) if m else 0,
                "code": m.group(2) if m else None,
                "title": {
                    "en": definition,
                    "fr": group.get("labels", {}).get("fr", definition),
                },
                "rows": [row[:2] for row in group["rows"]],
            }
        )
        used.update(row[1] for row in group["rows"])
    presentation.sort(key=lambda g: g["order"])
    for t in templates.values():
        used.update(e["concept"] for e in t["names"].values() if "concept" in e)
        for e in t["names"].values():
            used.update(e.get("dimensions", {}).values())
    members: set[str] = set()
    axes: dict[str, Any] = {}
    for cube in tax.cubes:
        for axis, mems in cube["explicit"].items():
            axes.setdefault(axis, {"typed": False, "members": [], "default": tax.defaults.get(axis)})
            for mem in mems:
                if mem not in axes[axis]["members"]:
                    axes[axis]["members"].append(mem)
            members.update(mems)
        for axis in cube["typed"]:
            axes.setdefault(axis, {"typed": True, "members": [], "default": None})
    concepts: dict[str, Any] = {}
    template_concepts = {
        e["concept"] for e in templates["1.3.0"]["names"].values() if e["role"] == "fact"
    } | {e["concept"] for e in templates["1.2.0"]["names"].values() if e["role"] == "fact"}
    for qname in sorted(used):
        c = tax.concepts.get(qname)
        if c is None or (c.get("abstract") and not c.get("hypercube") and not c.get("dimension")):
            if c is not None:
                members.add(qname)
            continue
        dtype = c["dataType"]
        entry: dict[str, Any] = {
            "data_type": dtype,
            "base_type": c["baseDataType"],
            "period_type": c["periodType"],
            "numeric": bool(c.get("numeric")),
            "balance": c.get("balance"),  # the taxonomy JSON carries no balance: always null
            "label": {"en": label(c, "en"), "fr": label(c, "fr") or label(c, "en")},
            "disclosure": disclosure_of(c),
            "in_template": qname in template_concepts,
        }
        if c.get("hypercube"):
            entry["kind"] = "hypercube"
        elif c.get("dimension"):
            entry["kind"] = "axis"
        else:
            entry["kind"] = "item"
            doc = {lang: label(c, lang, DOCUMENTATION) for lang in ("en", "fr")}
            if any(doc.values()):
                entry["documentation"] = doc
            kind = UNIT_KIND.get(dtype) or UNIT_KIND.get(c["baseDataType"])
            if c.get("numeric") and kind in ("monetary", "ghg_per_monetary"):
                entry["unit_kind"] = kind
                entry["units"] = []  # built from the report's currency
            elif c.get("numeric"):
                entry["unit_kind"] = kind or "pure"
                units = DATA_TYPE_UNITS.get(dtype) or DATA_TYPE_UNITS.get(c["baseDataType"]) or []
                guidance = label(c, "en", MEASUREMENT) or ""
                guided = [u for u in re.findall(r"\[([a-z0-9-]+:[A-Za-z0-9]+)\]", guidance) if u in UNITS]
                if guided:
                    units = guided + [u for u in units if u not in guided]
                override = converter["conceptsToUnits"].get(qname)
                if override:
                    units = [override] + [u for u in units if u != override]
                entry["units"] = units
            else:
                entry["unit_kind"] = None
            ee = c.get("other", {}).get("ee20DomainMembers")
            if ee:
                entry["members"] = ee
                members.update(ee)
        concepts[qname] = entry

    # A concept without a VSME reference number belongs to the first section presenting it.
    for group in presentation:
        for row in group["rows"]:
            entry = concepts.get(row[1])
            if entry is not None and not entry.get("disclosure"):
                entry["disclosure"] = group["code"] or OTHER
    member_labels = {}
    for qname in sorted(members):
        c = tax.concepts.get(qname)
        if c is None:
            continue
        member_labels[qname] = {"en": label(c, "en"), "fr": label(c, "fr") or label(c, "en")}

    disclosures = []
    yaml_vsme = ref["facts"]["vsme"]
    for code, d in yaml_vsme["disclosures"].items():
        disclosures.append(
            {
                "code": code,
                "module": "basic" if d["module"] == "Basic" else "comprehensive",
                "title": {"en": d["title_en"], "fr": d["title_fr"]},
            }
        )

    disclosures.append({"code": OTHER, "module": "basic", "title": OTHER_TITLE})
    texts = enumeration_texts(blank, tax, converter)
    texts = {  # only where the template's text differs from the member's English label
        q: t
        for q, t in texts.items()
        if q in member_labels and t != re.sub(r"\s*\[[a-z ]+\]$", "", member_labels[q]["en"] or "")
    }
    return {
        "about": (
            "Generated by tools/extract_vsme.py from EFRAG's VSME taxonomy 2026-05-01 and digital "
            "templates 1.3.0 / 1.2.0 (MIT licence, see LICENSE-EFRAG.txt). Do not edit by hand."
        ),
        "taxonomy": {
            "version": "2026-05-01",
            "entry_point": ref["taxonomy"]["entryPoint"],
            "namespaces": ref["taxonomy"]["namespaces"],
            "older_entry_points": ref["converter"]["taxonomyEntryPoints"]["oldEntryPoints"],
        },
        "entity_schemes": converter["entityIdentifierLabelsToSchemes"],
        "cell_aliases": converter["cellValuesToTaxonomyLabels"],
        "unit_replacements": UNIT_REPLACEMENTS,
        "units": UNITS,
        "unit_texts": unit_texts(blank),
        "enumeration_texts": texts,
        "axes": axes,
        "tables": [
            {
                "role": c["role"],
                "cube": c["cube"],
                "explicit": c["explicit"],
                "typed": c["typed"],
                "items": c["items"],
            }
            for c in tax.cubes
        ],
        "disclosures": disclosures,
        "presentation": presentation,
        "concepts": concepts,
        "members": member_labels,
        "templates": templates,
    }


def main(argv: list[str]) -> int:
    ref_dir = Path(argv[0]) if argv else ROOT.parent / "shared" / "reference"
    data = build(ref_dir)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    OUT_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n")
    shutil.copyfile(ref_dir / "efrag-vsme" / BLANK_NAME, OUT_DIR / BLANK_NAME)
    shutil.copyfile(ref_dir / "efrag-vsme" / "LICENSE", OUT_DIR / "LICENSE-EFRAG.txt")
    names = data["templates"]["1.3.0"]["names"]
    roles: dict[str, int] = defaultdict(int)
    for e in names.values():
        roles[e["role"]] += 1
    unknown = sorted(n for n, e in names.items() if e["role"] == "unknown")
    print(f"{OUT_FILE.relative_to(ROOT)}: {len(data['concepts'])} concepts, {len(data['members'])} members")
    print(f"template 1.3.0 named ranges: {dict(sorted(roles.items()))}")
    if unknown:
        print(f"not mapped: {', '.join(unknown)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
