"""The yearly indicator pages: start a year, enter a disclosure with checks, carry over,
compare years, import a filled template, download, attach evidence."""

import io
import json
import re

import pytest
from django.urls import reverse

from parcours.evidence.models import Evidence
from parcours.vsme.forms import slots
from parcours.vsme.models import Fact, ReportingYear
from parcours.vsme.selectors import catalogue

from .helpers import SAMPLE, reference_file

pytestmark = pytest.mark.django_db


def b3_slots():
    return {
        (s.datapoint.concept, tuple(sorted(s.dimensions.values()))): s.name
        for s in slots(next(d for d in catalogue("basic") if d.code == "B3"), "EUR")
    }


def field(concept, *members):
    return b3_slots()[(concept, tuple(sorted(members)))]


def start(client, org, year, carry_over=False):
    data = {"year": str(year)}
    if carry_over:
        data["carry_over"] = "on"
    return client.post(reverse("indicator_year_new", args=[org.slug]), data)


def test_enter_energy_and_emissions_with_totals_checked(client, org, editor):
    client.force_login(editor)
    resp = start(client, org, 2025)
    assert resp["Location"] == reverse("indicator_year", args=[org.slug, 2025])
    page = client.get(reverse("indicator_disclosure", args=[org.slug, 2025, "B3"])).content.decode()
    url = reverse("indicator_disclosure_save", args=[org.slug, 2025, "B3"])
    assert "(MWh)" in page and "(t CO₂e)" in page
    bad = {
        field("vsme:EnergyConsumptionFromElectricity"): "100",
        field("vsme:EnergyConsumptionFromElectricity", "vsme:RenewableEnergyMember"): "30",
        field("vsme:EnergyConsumptionFromElectricity", "vsme:NonRenewableEnergyMember"): "60",
        field("vsme:GrossScope1GreenhouseGasEmissions"): "-4",
    }
    resp = client.post(url, bad)
    assert resp.status_code == 400
    text = resp.content.decode()
    assert "doit être égal au total" in text  # renewable + non-renewable ≠ total, in French
    assert "positif" in text
    assert 'value="30"' in text  # what was typed is kept
    assert not Fact.objects.exists()

    good = {**bad, field("vsme:EnergyConsumptionFromElectricity", "vsme:NonRenewableEnergyMember"): "70"}
    good[field("vsme:GrossScope1GreenhouseGasEmissions")] = "12.5"
    good[field("vsme:GrossLocationBasedScope2GreenhouseGasEmissions")] = "3"
    good[field("vsme:TotalGrossLocationBasedScope1AndScope2GHGEmissions")] = "20"
    resp = client.post(url, good)
    assert resp.status_code == 400 and "15.5" in resp.content.decode()  # 12.5 + 3 ≠ 20
    good[field("vsme:TotalGrossLocationBasedScope1AndScope2GHGEmissions")] = "15.5"
    resp = client.post(url, good)
    assert resp.status_code == 302
    ry = ReportingYear.objects.get(organisation=org, year=2025)
    scope1 = Fact.objects.get(reporting_year=ry, concept="vsme:GrossScope1GreenhouseGasEmissions")
    assert (scope1.value, scope1.unit, scope1.decimals, scope1.source) == ("12.5", "utr:tCO2e", 1, "manual")
    renewable = Fact.objects.get(
        reporting_year=ry,
        concept="vsme:EnergyConsumptionFromElectricity",
        dimensions={"vsme:BreakdownOfEnergyConsumptionAxis": "vsme:RenewableEnergyMember"},
    )
    assert renewable.value == "30" and renewable.unit == "utr:MWh"
    # emptying a field removes the figure; the page shows what is stored
    good[field("vsme:GrossScope1GreenhouseGasEmissions")] = ""
    good[field("vsme:TotalGrossLocationBasedScope1AndScope2GHGEmissions")] = ""
    client.post(url, good)
    assert not Fact.objects.filter(concept="vsme:GrossScope1GreenhouseGasEmissions").exists()


def test_percentages_are_stored_as_fractions_and_years_compared(client, org, editor):
    client.force_login(editor)
    start(client, org, 2024)
    b8 = next(d for d in catalogue("basic") if d.code == "B8")
    names = {s.datapoint.concept: s.name for s in slots(b8, "EUR")}
    url = reverse("indicator_disclosure_save", args=[org.slug, 2024, "B8"])
    assert client.post(url, {names["vsme:EmployeeTurnoverRate"]: "140"}).status_code == 400
    client.post(url, {names["vsme:EmployeeTurnoverRate"]: "12.5", names["vsme:NumberOfMaleEmployees"]: "20"})
    fact = Fact.objects.get(concept="vsme:EmployeeTurnoverRate")
    assert fact.value == "0.125"
    # the next year starts from this one's figures, shown beside the new ones
    start(client, org, 2025, carry_over=True)
    assert Fact.objects.filter(reporting_year__year=2025).count() == 2
    client.post(
        reverse("indicator_disclosure_save", args=[org.slug, 2025, "B8"]),
        {names["vsme:EmployeeTurnoverRate"]: "10", names["vsme:NumberOfMaleEmployees"]: "25"},
    )
    page = client.get(reverse("indicator_year", args=[org.slug, 2025])).content.decode()
    assert "25.0 %" in page or "25,0 %" in page  # 20 → 25 people
    form = client.get(reverse("indicator_disclosure", args=[org.slug, 2025, "B8"])).content.decode()
    assert "2024" in form and 'value="10"' in form
    assert start(client, org, 2025).status_code == 302  # already there: a message, not an error page
    assert ReportingYear.objects.filter(organisation=org).count() == 2


def test_import_page_lists_what_was_not_read_and_downloads_work(client, org, owner, settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path
    client.force_login(owner)
    with reference_file(SAMPLE).open("rb") as f:
        resp = client.post(reverse("indicator_import", args=[org.slug]), {"year": "2025", "file": f})
    assert resp.status_code == 200
    assert "145" in resp.content.decode()
    resp = client.post(
        reverse("indicator_import", args=[org.slug]),
        {"year": "2025", "file": io.BytesIO(b"%PDF-1.4 not a workbook")},
    )
    assert resp.status_code == 302  # back to the page with the reason
    xlsx = client.get(reverse("indicator_export", args=[org.slug, 2025, "xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats") and xlsx.content[:2] == b"PK"
    data = json.loads(client.get(reverse("indicator_export", args=[org.slug, 2025, "json"])).content)
    assert data["documentInfo"]["documentType"] == "https://xbrl.org/2021/xbrl-json"
    assert len(data["facts"]) >= 145
    assert client.get(reverse("indicator_export", args=[org.slug, 2025, "pdf"])).status_code == 404
    # evidence on a disclosure
    upload = io.BytesIO(b"%PDF-1.7 facture")
    upload.name = "facture-electricite.pdf"
    client.post(reverse("indicator_evidence_add", args=[org.slug, 2025, "B3"]), {"file": upload})
    evidence = Evidence.objects.get()
    assert evidence.disclosure == "B3" and evidence.reporting_year.year == 2025
    assert (
        "facture-electricite.pdf"
        in client.get(reverse("indicator_disclosure", args=[org.slug, 2025, "B3"])).content.decode()
    )


def test_viewers_read_but_do_not_write(client, org, viewer):
    ReportingYear.objects.create(organisation=org, year=2025)
    client.force_login(viewer)
    assert client.get(reverse("indicator_disclosure", args=[org.slug, 2025, "B3"])).status_code == 200
    assert (
        client.post(reverse("indicator_disclosure_save", args=[org.slug, 2025, "B3"]), {}).status_code == 403
    )
    assert client.get(reverse("indicator_disclosure", args=[org.slug, 2025, "Z9"])).status_code == 404
    assert client.get(reverse("indicator_year", args=[org.slug, 1999])).status_code == 404


def test_customer_pack_holds_the_vsme_files_report_plan_and_evidence_index(
    client, org, owner, settings, tmp_path
):
    import zipfile

    from parcours.diagnoses.services import diagnosis_complete
    from parcours.reports.models import ReportJob
    from parcours.testing import DiagnosisFactory, answer_all

    settings.PRIVATE_FILES_DIR = tmp_path
    client.force_login(owner)
    start(client, org, 2025)
    upload = io.BytesIO(b"%PDF-1.7 facture")
    upload.name = "facture.pdf"
    client.post(reverse("indicator_evidence_add", args=[org.slug, 2025, "B3"]), {"file": upload})
    diagnosis = DiagnosisFactory(organisation=org)
    answer_all(diagnosis, level=2)
    diagnosis_complete(actor=owner, diagnosis=diagnosis)
    # built in the background like the PDF reports, then downloaded from its job page
    assert client.get(reverse("customer_pack", args=[org.slug, 2025])).status_code == 405
    resp = client.post(reverse("customer_pack", args=[org.slug, 2025]))
    assert resp.status_code == 302 and "/reports/" in resp["Location"]
    job = ReportJob.objects.get(kind=ReportJob.Kind.CUSTOMER_PACK)
    assert (job.status, job.reporting_year.year) == (ReportJob.Status.DONE, 2025)
    assert "Télécharger le ZIP" in client.get(resp["Location"]).content.decode()
    resp = client.get(reverse("report_download", args=[org.slug, job.pk]))
    assert resp["Content-Type"] == "application/zip"
    assert resp["Content-Disposition"].endswith('.zip"')
    content = b"".join(resp.streaming_content)
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert any(n.endswith("-vsme.xlsx") for n in names) and any(n.endswith("-vsme-xbrl.json") for n in names)
    assert any(n.endswith("-diagnostic-rse.pdf") for n in names)
    assert any(n.endswith("-plan-d-action.xlsx") for n in names)
    index = next(n for n in names if n.endswith(".csv"))
    assert "facture.pdf" in zipfile.ZipFile(io.BytesIO(content)).read(index).decode("utf-8-sig")
    assert client.post(reverse("customer_pack", args=[org.slug, 1999])).status_code == 404


def test_b2_is_prefilled_from_the_diagnosis_and_saved_only_when_confirmed(client, org, editor):
    from parcours.diagnoses.services import diagnosis_complete
    from parcours.testing import DiagnosisFactory, answer_all

    diagnosis = DiagnosisFactory(organisation=org)
    answer_all(diagnosis, level=3)  # every domain at 75/100
    diagnosis_complete(actor=editor, diagnosis=diagnosis)
    ReportingYear.objects.create(organisation=org, year=2025)
    client.force_login(editor)
    url = reverse("indicator_disclosure", args=[org.slug, 2025, "B2"])
    assert "prefill=diagnosis" in client.get(url).content.decode()
    page = client.get(url, {"prefill": "diagnosis"}).content.decode()
    assert 'value="vsme:ClimateChangeMember"' in page
    assert page.count("checked") >= 5 and "6.5.5" in page  # why it is suggested
    assert not Fact.objects.exists()  # nothing saved until confirmed
    assert "(proposées)" in page or "proposé" in page  # the crosswalk is labelled as a proposal


def test_results_page_shows_related_vsme_disclosures_and_sdgs(client, org, viewer):
    from parcours.diagnoses.services import diagnosis_complete
    from parcours.testing import DiagnosisFactory, answer_all

    diagnosis = DiagnosisFactory(organisation=org)
    answer_all(diagnosis, level=2)
    diagnosis_complete(actor=None, diagnosis=diagnosis)
    client.force_login(viewer)
    page = client.get(reverse("diagnosis_results", args=[org.slug, diagnosis.pk])).content.decode()
    assert "B3, B6, B7" in page or "B3" in page
    assert "ODD 13" in page  # climate change mitigation → SDG 13, in French
    assert "proposées" in page


def test_year_over_year_reads_like_the_forms(client, org, editor):
    for year, rate, renewable in ((2024, "0.12", "60"), (2025, "0.09", "92")):
        ry = ReportingYear.objects.create(organisation=org, year=year)
        Fact.objects.create(
            reporting_year=ry, concept="vsme:EmployeeTurnoverRate", value=rate, unit="xbrli:pure"
        )
        Fact.objects.create(
            reporting_year=ry,
            concept="vsme:EnergyConsumptionFromElectricity",
            dimensions={"vsme:BreakdownOfEnergyConsumptionAxis": "vsme:RenewableEnergyMember"},
            value=renewable,
            unit="utr:MWh",
        )
    client.force_login(editor)
    page = client.get(reverse("indicator_year", args=[org.slug, 2025])).content.decode()
    assert '<td class="num">12</td>' in page and '<td class="num">9</td>' in page  # percentages as %
    assert "Énergie renouvelable" in page and "RenewableEnergy" not in page  # member labels, in French
    assert "53,3" in page or "53.3" in page


def test_ghg_intensity_shows_and_stores_its_unit_per_currency(client, org, owner):
    client.force_login(owner)
    start(client, org, 2025)
    b3 = next(d for d in catalogue("basic") if d.code == "B3")
    slot = next(
        s
        for s in slots(b3, "EUR")
        if s.datapoint.concept == "vsme:TotalLocationBasedGreenhouseGasEmissionsIntensityValue"
    )
    assert (slot.unit, slot.unit_label) == ("utr:tCO2e/iso4217:EUR", "t CO₂e / EUR")
    page = client.get(reverse("indicator_disclosure", args=[org.slug, 2025, "B3"])).content.decode()
    assert "(t CO₂e / EUR)" in page
    resp = client.post(
        reverse("indicator_disclosure_save", args=[org.slug, 2025, "B3"]), {slot.name: "0,0000149"}
    )
    assert resp.status_code == 302
    fact = Fact.objects.get(concept="vsme:TotalLocationBasedGreenhouseGasEmissionsIntensityValue")
    assert (fact.value, fact.unit) == ("0.0000149", "utr:tCO2e/iso4217:EUR")


def _lei(base18: str) -> str:
    """A valid LEI from 18 characters: ISO 7064 MOD 97-10 check digits."""
    number = int("".join(str(int(c, 36)) for c in base18 + "00"))
    return f"{base18}{98 - number % 97:02d}"


def test_entity_identifier_for_efrag_s_converter(client, org, owner, viewer):
    import zipfile

    from parcours.organisations.models import AuditEntry
    from parcours.vsme.forms import clean_entity_identifier, lei_checksum_ok

    lei = _lei("969500PARCOURS0001")
    assert lei_checksum_ok(lei) and not lei_checksum_ok(lei[:-1] + str((int(lei[-1]) + 1) % 10))
    assert clean_entity_identifier("duns", "15-048-3782") == "150483782"
    org.siren = "552100554"
    org.save()
    client.force_login(owner)
    start(client, org, 2025)
    settings_url = reverse("indicator_year_settings", args=[org.slug, 2025])
    year_url = reverse("indicator_year", args=[org.slug, 2025])
    assert "SIREN 552100554" in client.get(year_url).content.decode()  # says what is used meanwhile
    base = {"module": "basic", "currency": "EUR"}

    resp = client.post(
        settings_url, {**base, "entity_scheme": "lei", "entity_identifier": "FR123"}, follow=True
    )
    assert "FR123" in resp.content.decode()  # the message names what was typed
    ry = ReportingYear.objects.get(organisation=org, year=2025)
    assert ry.entity_identifier == ""
    resp = client.post(settings_url, {**base, "entity_scheme": "lei", "entity_identifier": ""}, follow=True)
    assert ReportingYear.objects.get(pk=ry.pk).entity_identifier == ""

    client.post(settings_url, {**base, "entity_scheme": "lei", "entity_identifier": lei.lower()})
    ry.refresh_from_db()
    assert (ry.entity_scheme, ry.entity_identifier) == ("http://standards.iso.org/iso/17442", lei)
    assert AuditEntry.objects.filter(action="vsme.entity_identifier_set").count() == 1
    report = json.loads(client.get(reverse("indicator_export", args=[org.slug, 2025, "json"])).content)
    assert report["documentInfo"]["namespaces"]["entity"] == "http://standards.iso.org/iso/17442"
    # the XLSX names the scheme EFRAG's converter expects, and the identifier
    xlsx = client.get(reverse("indicator_export", args=[org.slug, 2025, "xlsx"])).content
    book = zipfile.ZipFile(io.BytesIO(xlsx))
    strings = " ".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))
    assert lei in strings and ">LEI<" in strings
    # a settings form without the identifier fields leaves it; the next year starts with it
    client.post(settings_url, base)
    assert ReportingYear.objects.get(pk=ry.pk).entity_identifier == lei
    start(client, org, 2026)
    assert ReportingYear.objects.get(organisation=org, year=2026).entity_identifier == lei
    # a viewer sees it, cannot change it
    client.force_login(viewer)
    assert lei in client.get(year_url).content.decode()
    assert client.post(settings_url, {**base, "entity_scheme": ""}).status_code == 403


def test_long_lists_are_list_boxes_not_a_thousand_check_boxes(client, org, editor):
    client.force_login(editor)
    start(client, org, 2025)
    b1 = next(d for d in catalogue("basic") if d.code == "B1")
    nace = next(s for s in slots(b1, "EUR") if s.datapoint.concept == "vsme:NaceSectorClassificationCodes")
    codes = [m.qname for m in nace.datapoint.choices[:2]]
    page = client.get(reverse("indicator_disclosure", args=[org.slug, 2025, "B1"])).content.decode()
    assert page.count('type="checkbox"') < 200  # the two lists of disclosures, not 1,047 NACE codes
    assert re.search(rf'<select[^>]* name="{nace.name}"[^>]* multiple>', page)
    assert f'<label for="id_{nace.name}">' in page
    resp = client.post(reverse("indicator_disclosure_save", args=[org.slug, 2025, "B1"]), {nace.name: codes})
    assert resp.status_code == 302
    assert Fact.objects.get(concept="vsme:NaceSectorClassificationCodes").value == " ".join(sorted(codes))
    page = client.get(reverse("indicator_disclosure", args=[org.slug, 2025, "B1"])).content.decode()
    assert page.count(" selected>") >= 2


def test_year_page_queries_do_not_grow_with_figures(client, org, owner):
    """The year page (disclosures, year-over-year table, transport and packaging) reads the
    same number of queries with 2 figures as with 150."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from parcours.carbon.tests.conftest import make_estimate
    from parcours.vsme.services import import_template

    client.force_login(owner)
    for year in (2024, 2025):
        ReportingYear.objects.create(organisation=org, year=year)
        Fact.objects.create(
            reporting_year=ReportingYear.objects.get(organisation=org, year=year),
            concept="vsme:NumberOfMaleEmployees",
            value="3",
            unit="xbrli:pure",
        )
    url = reverse("indicator_year", args=[org.slug, 2025])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for year in (2024, 2025):
        import_template(reference_file(SAMPLE), organisation=org, year=year, actor=owner)
    make_estimate(org, year=2024, freight_road="1", packaging_glass="2")
    make_estimate(org, year=2025, freight_air="1", packaging_paper="2", packaging_wood="3")
    assert ReportingYear.objects.get(organisation=org, year=2025).facts.count() > 140
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert "Emballages : bois" in page and "Fret aérien" in page
    assert len(many) == len(few)
