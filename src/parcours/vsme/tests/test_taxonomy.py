"""Every figure Parcours can hold exports as a fact the official taxonomy accepts.

The checks read EFRAG's taxonomy 2026-05-01 itself (the reference folder beside the clone,
not Parcours' own extract): each fact's concept exists and is not abstract, its period is
an interval or an instant as the concept says, a number carries a unit of the right kind
and a non-number none, an enumeration names members of its domain, and its dimensions are
those of a hypercube the concept belongs to (closed: no other axis), with explicit members
the hypercube lists and a typed axis given a value.
"""

import json
import re
from dataclasses import replace
from functools import cache
from typing import Any

import pytest

from parcours.carbon.services import fill_vsme
from parcours.carbon.tests.conftest import make_estimate
from parcours.vsme.forms import editable, slots, tables, tabular
from parcours.vsme.models import ReportingYear
from parcours.vsme.selectors import catalogue
from parcours.vsme.services import export_xbrl_json, facts_save, import_template

from .helpers import SAMPLE, reference_file

pytestmark = pytest.mark.django_db

UNITS_BY_TYPE = {
    "dtr-types:massItemType": {"utr:kg", "utr:t", "utr:g"},
    "dtr-types:volumeItemType": {"utr:m3", "utr:l"},
    "dtr-types:areaItemType": {"utr:ha", "utr:sqm", "utr:sqkm"},
    "dtr-types:energyItemType": {"utr:MWh", "utr:kWh", "utr:GWh", "utr:GJ"},
    "dtr-types:ghgEmissionsItemType": {"utr:tCO2e"},
    "dtr-types:percentItemType": {"xbrli:pure"},
    "xbrli:decimalItemType": {"xbrli:pure"},
}
CURRENCY = re.compile(r"iso4217:[A-Z]{3}")


@cache
def taxonomy() -> dict[str, Any]:
    return json.loads(reference_file("vsme-taxonomy-2026-05-01.json").read_text(encoding="utf-8"))


@cache
def hypercubes() -> list[dict[str, Any]]:
    """Each table of the taxonomy: its primary items, explicit axes with members, typed axes."""
    out = []
    for role, tables_ in taxonomy()["dimensions"].items():
        if role.startswith("_"):
            continue
        for table in tables_.values():
            out.append(
                {
                    "items": {qname for _depth, qname in table["primaryItems"]},
                    "explicit": {a: set(m) for a, m in (table.get("explicitDimensions") or {}).items()},
                    "typed": set(table.get("typedDimensions") or ()),
                }
            )
    return out


def problems(fact: dict[str, Any]) -> list[str]:
    dims = dict(fact["dimensions"])
    concept, period, unit = dims.pop("concept"), dims.pop("period"), dims.pop("unit", None)
    dims.pop("entity")
    c = taxonomy()["concepts"].get(concept)
    if c is None or c.get("abstract"):
        return [f"{concept}: not a reportable concept of the taxonomy"]
    found = []
    if ("/" in period) != (c["periodType"] == "duration"):
        found.append(f"{concept}: period {period} for a {c['periodType']} concept")
    data_type = c["dataType"]
    if c.get("numeric"):
        if data_type == "xbrli:monetaryItemType":
            ok = unit is not None and CURRENCY.fullmatch(unit)
        elif data_type == "dtr-types:ghgEmissionsPerMonetaryItemType":
            ok = unit is not None and re.fullmatch(r"utr:tCO2e/iso4217:[A-Z]{3}", unit)
        else:
            ok = unit in UNITS_BY_TYPE.get(data_type, {"xbrli:pure"})
        if not ok:
            found.append(f"{concept}: unit {unit} for {data_type}")
    elif unit is not None:
        found.append(f"{concept}: a unit on a non-numeric fact")
    if data_type.startswith("enum2:"):
        domain = set((c.get("other") or {}).get("ee20DomainMembers") or ())
        members = str(fact["value"]).split()
        if not members or (domain and not set(members) <= domain):
            found.append(f"{concept}: {fact['value']!r} is not in its domain")
        if data_type == "enum2:enumerationItemType" and len(members) != 1:
            found.append(f"{concept}: one member expected")
    if dims:
        fits = [
            cube
            for cube in hypercubes()
            if concept in cube["items"]
            and all(
                (axis in cube["typed"] and str(value).strip())
                or (axis in cube["explicit"] and value in cube["explicit"][axis])
                for axis, value in dims.items()
            )
        ]
        if not fits:
            found.append(f"{concept}: dimensions {dims} fit none of its hypercubes")
    return found


def value_for(slot: Any) -> str:
    """A canonical value of the slot's kind (what the form would store)."""
    dp = slot.datapoint
    return {
        "number": "12.5",
        "percent": "0.25",
        "boolean": "true",
        "choice": dp.choices[0].qname if dp.choices else "",
        "choices": " ".join(m.qname for m in dp.choices[:2]),
        "year": "2020",
        "date": "2025-06-30",
        "text": "Texte libre",
        "line": "Une ligne",
    }[slot.kind]


def test_every_datapoint_and_table_entered_in_parcours_exports_as_valid_facts(org, owner):
    ry = ReportingYear.objects.create(organisation=org, year=2025, module=ReportingYear.Module.COMPREHENSIVE)
    count = 0
    for disclosure in catalogue("comprehensive"):
        values = [(s, value_for(s)) for s in slots(disclosure, "EUR")]
        for table in tables(disclosure, "EUR"):
            key = "Site 1" if table.typed else table.members[0].qname
            for column in table.columns:
                values.append((replace(column, dimensions={table.axis.qname: key}), value_for(column)))
        count += facts_save(actor=owner, reporting_year=ry, values=[(s, v) for s, v in values if v])
    report = export_xbrl_json(ry)
    assert len(report["facts"]) == count
    # every datapoint of the catalogue was entered (a field, or a row of a table)
    enterable = {
        dp.concept for d in catalogue("comprehensive") for dp in d.datapoints if editable(dp) or tabular(dp)
    }
    exported = {f["dimensions"]["concept"] for f in report["facts"].values()}
    assert enterable <= exported, sorted(enterable - exported)[:10]
    every = {dp.concept for d in catalogue("comprehensive") for dp in d.datapoints}
    assert enterable == every and len(every) > 140  # nothing left to the template only
    found = [p for fact in report["facts"].values() for p in problems(fact)]
    assert not found, found[:20]


def test_imported_sample_and_carbon_figures_export_as_valid_facts(org, owner):
    imported = import_template(reference_file(SAMPLE), organisation=org, year=2024, actor=owner)
    estimate = make_estimate(org, year=2025, electricity="10000", diesel="1000", freight_road="5000")
    fill_vsme(estimate=estimate, actor=owner)
    for ry in (imported.reporting_year, estimate.reporting_year):
        facts = export_xbrl_json(ReportingYear.objects.get(pk=ry.pk))["facts"]
        assert facts
        found = [p for fact in facts.values() for p in problems(fact)]
        assert not found, found[:20]


def test_the_checks_catch_what_the_taxonomy_refuses():
    good = {
        "value": "1",
        "dimensions": {
            "concept": "vsme:GrossScope1GreenhouseGasEmissions",
            "entity": "entity:1",
            "period": "2025-01-01T00:00:00/2026-01-01T00:00:00",
            "unit": "utr:tCO2e",
        },
    }
    assert problems(good) == []
    for change in (
        {"unit": "utr:MWh"},
        {"period": "2026-01-01T00:00:00"},
        {"concept": "vsme:NoSuchThing"},
        {"vsme:TypeOfPollutantAxis": "vsme:TypeOfPollutantMember"},
    ):
        bad = {**good, "dimensions": {**good["dimensions"], **change}}
        assert problems(bad), change
