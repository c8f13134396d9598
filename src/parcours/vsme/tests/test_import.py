"""Importing templates: bad files are refused with a clear message, the blank template gives no
fact, every filled cell that gives no fact is reported, and a re-import replaces the previous
import without touching what was entered by hand."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from parcours.organisations.models import AuditEntry
from parcours.vsme import reference
from parcours.vsme.models import Fact, ReportingYear, dimensions_key
from parcours.vsme.services import build_xlsx, import_template
from parcours.vsme.template_writer import CellWrite, fill_workbook

from .helpers import BLANK, SAMPLE, reference_file


def test_blank_template_130_imports_no_fact(org, owner):  # type: ignore[no-untyped-def]
    result = import_template(reference_file(BLANK), organisation=org, year=2025, actor=owner)
    assert result.version == "1.3.0"
    assert result.imported == 0
    assert result.unmapped == []
    assert result.reporting_year.facts.count() == 0
    # Its preset values (a "YES", a "false", an empty list) are reported, not imported.
    assert len(result.ignored_defaults) == 3
    assert result.warnings


def test_pdf_renamed_xlsx_is_refused(org, owner, tmp_path):  # type: ignore[no-untyped-def]
    pdf = tmp_path / "report.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n")
    with pytest.raises(ValidationError) as e:
        import_template(pdf, organisation=org, year=2025, actor=owner)
    assert e.value.code == "not_xlsx"
    assert "pas un classeur Excel" in e.value.messages[0]  # the default language is French
    assert not ReportingYear.objects.exists()


def test_other_workbook_is_refused(org, owner):  # type: ignore[no-untyped-def]
    wb = openpyxl.Workbook()
    wb.active.append(["Turnover", 1000])
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(ValidationError) as e:
        import_template(buffer, organisation=org, year=2025, actor=owner)
    assert e.value.code == "not_vsme"
    assert "pas un modèle numérique VSME" in e.value.messages[0]


def test_unsupported_template_version_is_refused(org, owner):  # type: ignore[no-untyped-def]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"] = "0.9.0", "https://xbrl.efrag.org/taxonomy/vsme/2024-12-17/vsme-all.xsd"
    for name, ref in (("template_reporting_template_version", "A1"), ("template_reporting_schemaRef", "A2")):
        wb.defined_names[name] = openpyxl.workbook.defined_name.DefinedName(
            name, attr_text=f"Sheet!${ref[0]}${ref[1]}"
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(ValidationError) as e:
        import_template(buffer, organisation=org, year=2025, actor=owner)
    assert e.value.code == "unsupported_version"
    assert "0.9.0" in e.value.messages[0]


def test_missing_file_is_refused(org, owner, tmp_path):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        import_template(tmp_path / "nowhere.xlsx", organisation=org, year=2025, actor=owner)


@pytest.fixture
def sample_year(org, owner):  # type: ignore[no-untyped-def]
    return import_template(reference_file(SAMPLE), organisation=org, year=2025, actor=owner).reporting_year


def test_cells_that_give_no_fact_are_reported(sample_year, other_org, owner, tmp_path):  # type: ignore[no-untyped-def]
    exported = tmp_path / "exported.xlsx"
    exported.write_bytes(build_xlsx(sample_year).content)
    env, gen = "Environmental Disclosures", "General Information"
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(
        fill_workbook(
            exported,
            {
                (env, "D22"): CellWrite("about a hundred"),  # Scope 1 emissions: not a number
                (gen, "E179"): CellWrite("Something else"),  # basis for reporting: not in the list
                (env, "G85"): CellWrite(12),  # pollutant emitted to air, on a row naming no pollutant
                (env, "D86"): CellWrite("Unobtainium"),  # a pollutant the taxonomy does not know
                (env, "G86"): CellWrite(3),
                ("Footnotes", "B4"): CellWrite("Estimated from invoices."),
            },
        )
    )
    result = import_template(damaged, organisation=other_org, year=2025, actor=owner)
    found = {(u.named_range, u.cell): u for u in result.unmapped}
    assert set(found) == {
        ("GrossScope1GreenhouseGasEmissions", "D22"),
        ("BasisForReporting", "E179"),
        ("AmountOfEmissionToAir", "G85"),
        ("AmountOfEmissionToAir", "G86"),
        ("footnote_text", "B4"),
    }
    assert found[("GrossScope1GreenhouseGasEmissions", "D22")].value == "about a hundred"
    assert "nombre" in found[("GrossScope1GreenhouseGasEmissions", "D22")].reason
    assert "pollutant" in found[("AmountOfEmissionToAir", "G85")].reason
    assert "Unobtainium" in found[("AmountOfEmissionToAir", "G86")].reason
    assert "notes de bas de page" in found[("footnote_text", "B4")].reason
    assert result.imported == 145 - 2  # everything else still comes in


def test_reimport_replaces_the_previous_import_and_keeps_other_facts(sample_year, org, owner):  # type: ignore[no-untyped-def]
    manual = Fact.objects.create(
        reporting_year=sample_year,
        concept="vsme:TotalWaterConsumption",
        value="12",
        unit="utr:m3",
        decimals=0,
        source=Fact.Source.MANUAL,
    )
    stale = Fact.objects.create(
        reporting_year=sample_year,
        concept="vsme:TotalAmountOfWaterWithdrawnFromAllSites",
        value="99",
        unit="utr:m3",
        source=Fact.Source.IMPORT,
    )
    scope1 = sample_year.facts.get(concept="vsme:GrossScope1GreenhouseGasEmissions", period="cur")
    scope1.value, scope1.source = "101", Fact.Source.MANUAL
    scope1.save()

    result = import_template(reference_file(SAMPLE), organisation=org, year=2025, actor=owner)

    assert result.reporting_year == sample_year
    assert (result.created, result.updated, result.deleted, result.unchanged) == (0, 1, 1, 144)
    assert len(result.overwritten) == 1 and "101 → 100" in result.overwritten[0]
    assert Fact.objects.filter(pk=manual.pk).exists()
    assert not Fact.objects.filter(pk=stale.pk).exists()
    scope1.refresh_from_db()
    assert (scope1.value, scope1.source) == ("100", Fact.Source.IMPORT)
    entry = AuditEntry.objects.filter(action="vsme.template_imported").first()
    assert entry is not None and entry.changes["updated"] == 1 and entry.actor == owner


def test_fact_is_unique_per_concept_dimensions_and_period(sample_year):  # type: ignore[no-untyped-def]
    dims = {"vsme:TypeOfPollutantAxis": "vsme:AlachlorMember"}
    assert sample_year.facts.filter(
        concept="vsme:AmountOfEmissionToAir", dimensions_key=dimensions_key(dims)
    ).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Fact.objects.create(
            reporting_year=sample_year, concept="vsme:AmountOfEmissionToAir", dimensions=dims, value="1"
        )
    Fact.objects.create(
        reporting_year=sample_year,
        concept="vsme:AmountOfEmissionToAir",
        dimensions=dims,
        period=Fact.Period.BASELINE,
        value="1",
    )


def test_data_file_matches_the_shipped_template():  # type: ignore[no-untyped-def]
    wb = openpyxl.load_workbook(reference.TEMPLATE_FILE, read_only=True)
    try:
        names = {n: d.attr_text.replace("$", "") for n, d in wb.defined_names.items()}
    finally:
        wb.close()
    for name, e in reference.template_names("1.3.0").items():
        if "range" in e:
            sheet = e["sheet"]
            quoted = f"'{sheet}'" if " " in sheet or "&" in sheet else sheet
            assert names[name] == f"{quoted}!{e['range']}", name
    assert Path(reference.DATA_DIR / "LICENSE-EFRAG.txt").read_text().startswith("MIT")
