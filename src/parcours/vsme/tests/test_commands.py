"""The command-line import and export."""

import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parcours.vsme.models import ReportingYear

from .helpers import SAMPLE, reference_file


def test_import_then_export_from_the_command_line(org, tmp_path, capsys):  # type: ignore[no-untyped-def]
    call_command("vsme_import", str(reference_file(SAMPLE)), org=org.slug, year=2025)
    out = capsys.readouterr().out
    assert "template 1.2.0: 145 facts" in out
    assert "not mapped: 0" in out
    assert ReportingYear.objects.get(organisation=org, year=2025).facts.count() == 145

    xlsx = tmp_path / "vsme.xlsx"
    call_command("vsme_export", org=org.slug, year=2025, format="xlsx", output=str(xlsx))
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    try:
        assert wb["Introduction"]["C1"].value == "1.3.0"
    finally:
        wb.close()

    report = tmp_path / "vsme.json"
    call_command("vsme_export", org=org.slug, year=2025, format="xbrl-json", output=str(report))
    data = json.loads(report.read_text())
    assert len(data["facts"]) == 145
    assert "145 facts" in capsys.readouterr().out


def test_import_command_prints_what_is_not_mapped(org, tmp_path, capsys):  # type: ignore[no-untyped-def]
    wb = openpyxl.Workbook()
    wb.active["A1"] = "not a template"
    path = tmp_path / "other.xlsx"
    wb.save(path)
    with pytest.raises(CommandError, match="pas un modèle numérique VSME"):
        call_command("vsme_import", str(path), org=org.slug, year=2025)
    bad = tmp_path / "scan.xlsx"
    bad.write_bytes(b"%PDF-1.4 not a workbook")
    with pytest.raises(CommandError, match="pas un classeur Excel"):
        call_command("vsme_import", str(bad), org=org.slug, year=2025)


def test_commands_refuse_unknown_organisation_or_year(org, tmp_path):  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="no organisation"):
        call_command("vsme_import", "x.xlsx", org="nobody", year=2025)
    with pytest.raises(CommandError, match="no VSME reporting year 2031"):
        call_command("vsme_export", org=org.slug, year=2031, format="xlsx", output=str(tmp_path / "x.xlsx"))
