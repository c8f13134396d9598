"""Conformance with EFRAG's own converter: the filled sample of template 1.2.0 gives exactly
the facts EFRAG's converter reads from it, and survives an export/import round trip through
template 1.3.0 and an export to xBRL-JSON (docs/vsme.md, "Conformance")."""

import io
import zipfile
from datetime import date

import pytest

from parcours.vsme import reference
from parcours.vsme.models import Fact, ReportingYear, dimensions_key
from parcours.vsme.services import build_xlsx, entity_identifier_set, export_xbrl_json, import_template

from .helpers import BLANK, SAMPLE, assert_same_value, expected_facts, reference_file

LEI = "http://standards.iso.org/iso/17442"


@pytest.fixture(scope="module")
def expected():  # type: ignore[no-untyped-def]
    return expected_facts()


@pytest.fixture
def imported(org, owner):  # type: ignore[no-untyped-def]
    return import_template(reference_file(SAMPLE), organisation=org, year=2025, actor=owner)


def stored(ry: ReportingYear) -> dict[tuple[str, str, str], Fact]:
    return {f.key: f for f in ry.facts.all()}


def test_sample_imports_exactly_the_facts_of_efrags_converter(imported, expected):  # type: ignore[no-untyped-def]
    assert imported.version == "1.2.0"
    assert imported.unmapped == []
    facts = stored(imported.reporting_year)
    assert len(expected) == 145
    assert set(facts) == set(expected)
    for key, exp in expected.items():
        fact = facts[key]
        assert_same_value(exp, fact.value, key)
        assert fact.decimals == exp["decimals"], key
        assert fact.source == Fact.Source.IMPORT
        concept = reference.concept(fact.concept)
        assert concept is not None and concept["period_type"] == exp["period_type"], key
        if concept["unit_kind"] == "monetary":
            # The converter sets the currency once for the report (template_currency), so
            # its facts carry no unit aspect; Parcours stores it on each fact.
            assert exp["unit"] is None and fact.unit == "iso4217:EUR", key
        else:
            assert (fact.unit or None) == exp["unit"], key

    # The report's metadata goes to the reporting year.
    ry = imported.reporting_year
    assert (ry.start, ry.end, ry.period_start) == (date(2025, 1, 1), date(2025, 12, 31), None)
    assert ry.currency == "EUR"
    assert ry.module == ReportingYear.Module.COMPREHENSIVE  # "Option B" in the sample
    assert (ry.entity_scheme, ry.entity_identifier) == (LEI, "TestCode1234")
    assert imported.metadata["entity_name"] == "Company XYZ"
    assert imported.metadata["period_years"] == {"BaselineYearMember": 2020, "TargetYearMember": 2030}


def test_export_to_template_130_and_back_gives_the_same_facts(imported, other_org, owner):  # type: ignore[no-untyped-def]
    export = build_xlsx(imported.reporting_year)
    assert export.skipped == []
    again = import_template(io.BytesIO(export.content), organisation=other_org, year=2025, actor=owner)
    assert again.version == "1.3.0"
    assert again.unmapped == []
    assert again.metadata["entry_point"] == reference.entry_point()
    assert (again.metadata["entity_scheme"], again.metadata["entity_identifier"]) == ("LEI", "TestCode1234")
    before = {k: (f.value, f.unit, f.decimals) for k, f in stored(imported.reporting_year).items()}
    after = {k: (f.value, f.unit, f.decimals) for k, f in stored(again.reporting_year).items()}
    assert after == before

    # Only cells of the blank template change: same parts, named ranges, lists and drawings.
    content = export.content
    shipped = reference.TEMPLATE_FILE.read_bytes()
    assert shipped == reference_file(BLANK).read_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as out, zipfile.ZipFile(io.BytesIO(shipped)) as blank:
        assert out.namelist() == blank.namelist()
        changed = [n for n in blank.namelist() if out.read(n) != blank.read(n)]
        workbook = out.read("xl/workbook.xml").decode()
        blank_workbook = blank.read("xl/workbook.xml").decode()
    assert set(changed) <= {"xl/workbook.xml"} | {n for n in changed if n.startswith("xl/worksheets/sheet")}
    # Same named ranges, data validations and drawings; only recalculation on opening is asked.
    assert workbook.replace(' fullCalcOnLoad="1"', "") == blank_workbook


def test_xbrl_json_holds_the_sample_facts(imported, expected):  # type: ignore[no-untyped-def]
    report = export_xbrl_json(imported.reporting_year)
    info = report["documentInfo"]
    assert info["documentType"] == "https://xbrl.org/2021/xbrl-json"
    assert info["taxonomy"] == ["https://xbrl.efrag.org/taxonomy/vsme/2026-05-01/vsme-all.xsd"]
    assert info["namespaces"]["vsme"] == "https://xbrl.efrag.org/taxonomy/vsme/2026-05-01/vsme"
    assert info["namespaces"]["entity"] == LEI  # the sample's LEI: this organisation has no SIREN
    facts = report["facts"]
    assert len(facts) == len(expected)
    seen = set()
    for fact in facts.values():
        dims = dict(fact["dimensions"])
        concept, entity, period = dims.pop("concept"), dims.pop("entity"), dims.pop("period")
        unit = dims.pop("unit", None)
        assert entity == "entity:TestCode1234"
        named = (
            "BaselineYearMember"
            if "2020-01-01" in period
            else "TargetYearMember"
            if "2030-" in period
            else "cur"
        )
        key = (concept, dimensions_key(dims), named)
        exp = expected[key]
        seen.add(key)
        assert_same_value(exp, fact["value"], key)
        assert fact.get("decimals") == exp["decimals"], key
        if exp["period_type"] == "instant":
            assert period == "2026-01-01T00:00:00", key
        elif named == "BaselineYearMember":
            assert period == "2020-01-01T00:00:00/2021-01-01T00:00:00", key
        elif named == "cur":
            assert period == "2025-01-01T00:00:00/2026-01-01T00:00:00", key
        assert unit == (exp["unit"] or ("iso4217:EUR" if exp["kind"] == "number" else None)), key
    assert seen == set(expected)

    # The identifier given for the year (here the sample's LEI) wins over the SIREN; without
    # one, the SIREN identifies the entity.
    org = imported.reporting_year.organisation
    org.siren = "552100554"
    org.save()
    ry = ReportingYear.objects.get(pk=imported.reporting_year.pk)
    assert export_xbrl_json(ry)["documentInfo"]["namespaces"]["entity"] == LEI
    entity_identifier_set(actor=None, reporting_year=ry, scheme_key="", identifier="")
    report = export_xbrl_json(ReportingYear.objects.get(pk=imported.reporting_year.pk))
    assert report["documentInfo"]["namespaces"]["entity"] == "http://www.sirene.fr"
    assert {f["dimensions"]["entity"] for f in report["facts"].values()} == {"entity:552100554"}
