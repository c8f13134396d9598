"""Tables on the disclosure pages: sites and subsidiaries (typed axes), waste by type,
pollutants and employees by country (long lists of members), one row per identifier or
member, stored as EFRAG's template stores them and kept through the exports."""

import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from parcours.organisations.models import AuditEntry
from parcours.vsme import services
from parcours.vsme.forms import Table, slots, tables
from parcours.vsme.models import Fact, ReportingYear
from parcours.vsme.selectors import catalogue

pytestmark = pytest.mark.django_db

SITE = "vsme:IdentifierOfSiteTypedAxis"
SUBSIDIARY = "vsme:IdentifierOfSubsidiaryTypedAxis"
MATERIAL = "vsme:IdentifierOfMaterialTypedAxis"
WASTE = "vsme:TypeOfWasteAxis"
POLLUTANT = "vsme:TypeOfPollutantAxis"
COUNTRY = "vsme:CountryOfEmploymentContractAxis"
PAPER = "waste:W-200101-Non-Hazardous-PaperAndCardboardMember"
METAL = "waste:W-150104-Non-Hazardous-MetallicPackagingMember"


def table(code: str, axis: str) -> Table:
    disclosure = next(d for d in catalogue("comprehensive") if d.code == code)
    return next(t for t in tables(disclosure, "EUR") if t.axis.qname == axis)


def posted(t: Table, rows: list[dict[str, str]]) -> dict[str, str]:
    """The fields a page sends for these rows: "key" and values by concept."""
    column = {c.datapoint.concept: c.name for c in t.columns}
    data = {f"{t.prefix}-rows": str(len(rows))}
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"{t.prefix}-{i}-{'key' if name == 'key' else column[name]}"] = value
    return data


def save_url(org, code, year=2025):  # type: ignore[no-untyped-def]
    return reverse("indicator_disclosure_save", args=[org.slug, year, code])


def page_url(org, code, year=2025):  # type: ignore[no-untyped-def]
    return reverse("indicator_disclosure", args=[org.slug, year, code])


def facts(**filters):  # type: ignore[no-untyped-def]
    return {
        (f.concept, tuple(sorted(f.dimensions.items()))): (f.value, f.unit)
        for f in Fact.objects.filter(**filters)
    }


@pytest.fixture
def year(org):  # type: ignore[no-untyped-def]
    return ReportingYear.objects.create(organisation=org, year=2025, module="comprehensive")


def sites_and_subsidiaries() -> dict[str, str]:
    sites = posted(
        table("B1", SITE),
        [
            {
                "key": "1",
                "vsme:AddressOfSite": "12 rue des Tanneurs",
                "vsme:PostalCodeOfSite": "69001",
                "vsme:CityOfSite": "Lyon",
                "vsme:CountryOfSite": "country:FR",
                "vsme:GPSLocationOfSite": "45.7640,4.8357",
            },
            {"key": "Atelier Nord", "vsme:CityOfSite": "Lille", "vsme:CountryOfSite": "country:FR"},
            {"key": ""},  # an empty row is ignored
        ],
    )
    subsidiaries = posted(
        table("B1", SUBSIDIARY),
        [
            {
                "key": "1",
                "vsme:NameOfTheSubsidiary": "Tanneurs SAS",
                "vsme:RegisteredAddressOfTheSubsidiary": "Lyon",
            }
        ],
    )
    return sites | subsidiaries


def test_sites_and_subsidiaries_are_saved_as_typed_rows(client, org, editor, year):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    page = client.get(page_url(org, "B1")).content.decode()
    assert "<caption>" in page and 'scope="col"' in page and 'name="t1-rows" value="3"' in page
    resp = client.post(save_url(org, "B1"), sites_and_subsidiaries())
    assert resp.status_code == 302
    assert facts(reporting_year=year) == {
        ("vsme:AddressOfSite", ((SITE, "1"),)): ("12 rue des Tanneurs", ""),
        ("vsme:PostalCodeOfSite", ((SITE, "1"),)): ("69001", ""),
        ("vsme:CityOfSite", ((SITE, "1"),)): ("Lyon", ""),
        ("vsme:CountryOfSite", ((SITE, "1"),)): ("country:FR", ""),
        ("vsme:GPSLocationOfSite", ((SITE, "1"),)): ("45.7640,4.8357", ""),
        ("vsme:CityOfSite", ((SITE, "Atelier Nord"),)): ("Lille", ""),
        ("vsme:CountryOfSite", ((SITE, "Atelier Nord"),)): ("country:FR", ""),
        ("vsme:NameOfTheSubsidiary", ((SUBSIDIARY, "1"),)): ("Tanneurs SAS", ""),
        ("vsme:RegisteredAddressOfTheSubsidiary", ((SUBSIDIARY, "1"),)): ("Lyon", ""),
    }
    assert {f.source for f in Fact.objects.all()} == {"manual"}
    entry = AuditEntry.objects.get(action="vsme.facts_saved")
    assert len(entry.changes["facts"]) == 9 and entry.actor == editor
    # The page shows the rows, then empty ones to add more.
    page = client.get(page_url(org, "B1")).content.decode()
    assert 'value="Atelier Nord"' in page and 'value="12 rue des Tanneurs"' in page
    assert '<option value="country:FR" selected>' in page
    assert 'name="t1-rows" value="5"' in page  # two sites + three empty rows


def test_rows_are_edited_renamed_and_deleted(client, org, editor, year):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    client.post(save_url(org, "B1"), sites_and_subsidiaries())
    sites = posted(
        table("B1", SITE),
        [
            {"key": "Lyon", "vsme:CityOfSite": "Lyon 1er", "vsme:CountryOfSite": "country:FR"},  # was "1"
            {"key": "Atelier Nord"},  # values cleared: the row goes
        ],
    )
    subsidiaries = posted(table("B1", SUBSIDIARY), [{"key": "", "vsme:NameOfTheSubsidiary": ""}])
    assert client.post(save_url(org, "B1"), sites | subsidiaries).status_code == 302
    assert facts(reporting_year=year) == {
        ("vsme:CityOfSite", ((SITE, "Lyon"),)): ("Lyon 1er", ""),
        ("vsme:CountryOfSite", ((SITE, "Lyon"),)): ("country:FR", ""),
    }


def test_a_post_without_a_table_leaves_its_rows(client, org, editor, year):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    count = "vsme:NumberOfEmployeesForCountryOfEmploymentContract"
    assert (
        client.post(
            save_url(org, "B8"), posted(table("B8", COUNTRY), [{"key": "FR", count: "12"}])
        ).status_code
        == 302
    )
    b8 = next(d for d in catalogue("basic") if d.code == "B8")
    turnover = next(s.name for s in slots(b8, "EUR") if s.datapoint.concept == "vsme:EmployeeTurnoverRate")
    assert client.post(save_url(org, "B8"), {turnover: "10"}).status_code == 302
    assert Fact.objects.filter(dimensions={COUNTRY: "country:FR"}).exists()


def test_employees_by_country_with_french_decimals(client, org, editor, year):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    t = table("B8", COUNTRY)
    count = "vsme:NumberOfEmployeesForCountryOfEmploymentContract"
    # a country by its name or its code, a headcount the French way
    data = posted(t, [{"key": "France", count: "12"}, {"key": "be", count: "3,5"}])
    assert client.post(save_url(org, "B8"), data).status_code == 302
    assert facts(reporting_year=year) == {
        (count, ((COUNTRY, "country:FR"),)): ("12", "xbrli:pure"),
        (count, ((COUNTRY, "country:BE"),)): ("3.5", "xbrli:pure"),
    }
    # Countries are suggested by name, in alphabetical order, to a labelled field.
    page = client.get(page_url(org, "B8")).content.decode()
    tag = re.search(r'<label class="sr-only" for="id_t0-0-key">[^<]+</label>(<input[^>]+>)', page)
    assert tag is not None
    assert all(a in tag.group(1) for a in ('type="text"', 'name="t0-0-key"', 'value="Belgium"'))
    assert 'list="t0-members"' in page
    datalist = re.search(r'<datalist id="t0-members">.*?</datalist>', page, re.S)
    assert datalist is not None
    options = datalist.group(0)
    assert options.index('"Afghanistan"') < options.index('"Andorra"') < options.index('"Zimbabwe"')
    # the hint speaks of countries, not of the European List of Waste
    assert "code à deux lettres (DE)" in page and "liste européenne des déchets" not in page


def waste_rows() -> dict[str, str]:
    t = table("B7", WASTE)
    paper = next(m for m in t.members if m.qname == PAPER)
    return posted(
        t,
        [
            {
                "key": paper.label_fr,  # the suggestion's text
                "vsme:WasteDivertedToRecycleOrReuseMass": "1200",
                "vsme:WasteDirectedToDisposalMass": "300",
                "vsme:TotalWasteRecycledReusedAndDirectedToDisposalMass": "1500",
                "vsme:WasteDivertedToRecycleOrReuseVolume": "4,5",
            },
            {"key": "15 01 04", "vsme:WasteDirectedToDisposalMass": "80"},  # the code alone
        ],
    )


def test_waste_by_type_is_chosen_among_the_european_list(client, org, editor, year):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    page = client.get(page_url(org, "B7")).content.decode()
    assert page.count("<option value=") >= 974 and 'list="t0-members"' in page
    assert client.post(save_url(org, "B7"), waste_rows()).status_code == 302
    assert facts(reporting_year=year) == {
        ("vsme:WasteDivertedToRecycleOrReuseMass", ((WASTE, PAPER),)): ("1200", "utr:kg"),
        ("vsme:WasteDirectedToDisposalMass", ((WASTE, PAPER),)): ("300", "utr:kg"),
        ("vsme:TotalWasteRecycledReusedAndDirectedToDisposalMass", ((WASTE, PAPER),)): ("1500", "utr:kg"),
        ("vsme:WasteDivertedToRecycleOrReuseVolume", ((WASTE, PAPER),)): ("4.5", "utr:m3"),
        ("vsme:WasteDirectedToDisposalMass", ((WASTE, METAL),)): ("80", "utr:kg"),
    }
    page = client.get(page_url(org, "B7")).content.decode()
    assert 'value="20 01 01 - Non-Hazardous - Paper and cardboard"' in page
    assert "(kg)" in page and "(m³)" in page


def assert_rejected(resp, input_id: str) -> str:  # type: ignore[no-untyped-def]
    """400, an error beside the input and tied to it, in the summary too; nothing written."""
    assert resp.status_code == 400
    page = resp.content.decode()
    assert f'id="{input_id}-error"' in page and f'href="#{input_id}"' in page
    tag = re.search(rf'<[^>]+id="{input_id}"[^>]*>', page)
    assert tag is not None and f"{input_id}-error" in tag.group(0) and 'aria-invalid="true"' in tag.group(0)
    assert not Fact.objects.exists()
    return str(page)


def test_unknown_waste_type_is_refused_and_what_was_typed_kept(client, org, editor, year):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    data = waste_rows() | {"t0-1-key": "Déchets imaginaires"}
    page = assert_rejected(client.post(save_url(org, "B7"), data), "id_t0-1-key")
    assert 'value="Déchets imaginaires"' in page and 'value="1200"' in page and 'value="80"' in page


def test_unknown_country_is_refused(client, org, editor, year):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    t = table("B8", COUNTRY)
    data = posted(t, [{"key": "Atlantide", "vsme:NumberOfEmployeesForCountryOfEmploymentContract": "3"}])
    assert_rejected(client.post(save_url(org, "B8"), data), "id_t0-0-key")


def test_duplicate_identifier_is_refused(client, org, editor, year):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    data = posted(
        table("B1", SITE),
        [{"key": "Site 1", "vsme:CityOfSite": "Lyon"}, {"key": "site  1", "vsme:CityOfSite": "Lille"}],
    )
    page = assert_rejected(client.post(save_url(org, "B1"), data), "id_t1-1-key")
    assert 'value="site  1"' in page and 'value="Lille"' in page


def test_values_without_identifier_are_refused(client, org, editor, year):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    data = posted(table("B1", SITE), [{"key": "", "vsme:CityOfSite": "Lyon"}])
    assert_rejected(client.post(save_url(org, "B1"), data), "id_t1-0-key")


def test_bad_numbers_are_refused_with_the_usual_messages(client, org, editor, year):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    data = waste_rows() | {"t0-1-c3": "-80"}  # directed to disposal (mass), metal packaging
    page = assert_rejected(client.post(save_url(org, "B7"), data), "id_t0-1-c3")
    assert "Indiquez un nombre positif ou zéro." in page
    data = waste_rows() | {"t0-1-c3": "quatre-vingts"}
    page = assert_rejected(client.post(save_url(org, "B7"), data), "id_t0-1-c3")
    assert "Indiquez un nombre (utilisez une virgule ou un point pour les décimales)." in page
    # recycled + disposal must make the total, as the template computes it
    data = waste_rows() | {"t0-0-c5": "1600"}
    assert_rejected(client.post(save_url(org, "B7"), data), "id_t0-0-c5")


def test_add_rows_keeps_what_was_typed_and_saves_nothing(client, org, editor, year):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    resp = client.post(save_url(org, "B7"), waste_rows() | {"add_rows": "1"})
    assert resp.status_code == 200
    page = resp.content.decode()
    assert 'name="t0-rows" value="7"' in page and 'value="1200"' in page
    assert not Fact.objects.exists()


def test_a_value_stored_in_another_unit_is_shown_converted_and_kept(client, org, editor, year):  # type: ignore[no-untyped-def]
    fact = Fact.objects.create(
        reporting_year=year,
        concept="vsme:AmountOfEmissionToAir",
        dimensions={POLLUTANT: "vsme:AmmoniaNH3Member"},
        value="1500",
        unit="utr:kg",
        decimals=0,
        source=Fact.Source.IMPORT,
    )
    client.force_login(editor)
    page = client.get(page_url(org, "B4")).content.decode()
    assert "(t)" in page and 'value="1.5"' in page  # 1500 kg in the tonnes column
    t = table("B4", POLLUTANT)
    unchanged = posted(t, [{"key": "vsme:AmmoniaNH3Member", "vsme:AmountOfEmissionToAir": "1,5"}])
    assert client.post(save_url(org, "B4"), unchanged).status_code == 302
    fact.refresh_from_db()
    assert (fact.value, fact.unit, fact.source) == ("1500", "utr:kg", "import")
    changed = posted(t, [{"key": "vsme:AmmoniaNH3Member", "vsme:AmountOfEmissionToAir": "2"}])
    client.post(save_url(org, "B4"), changed)
    fact.refresh_from_db()
    assert (fact.value, fact.unit, fact.source) == ("2", "utr:t", "manual")


def test_last_years_value_is_shown_for_the_same_site(client, org, editor, year):  # type: ignore[no-untyped-def]
    before = ReportingYear.objects.create(organisation=org, year=2024)
    Fact.objects.create(
        reporting_year=before,
        concept="vsme:AreaOfSiteInBiodiversitySensitiveArea",
        dimensions={SITE: "1"},
        value="2.5",
        unit="utr:ha",
    )
    Fact.objects.create(
        reporting_year=year, concept="vsme:CityOfSite", dimensions={SITE: "1"}, value="Lyon", unit=""
    )
    Fact.objects.create(
        reporting_year=year,
        concept="vsme:SiteLocatedNearABiodiversitySensitiveArea",
        dimensions={SITE: "1"},
        value="true",
        unit="",
    )
    client.force_login(editor)
    page = client.get(page_url(org, "B5")).content.decode()
    previous = re.search(r'<p class="help" id="(id_t0-0-c\d)-previous">([^<]*)</p>', page)
    assert previous is not None and "2024" in previous.group(2) and "2.5 ha" in previous.group(2)
    tag = re.search(rf'<input[^>]+id="{previous.group(1)}"[^>]*>', page)
    assert tag is not None and f"{previous.group(1)}-previous" in tag.group(0)
    assert '<option value="true" selected>' in page
    assert '<option value="1">Lyon</option>' not in page  # site 1 is already a row here


def test_b5_suggests_the_sites_of_b1(client, org, editor, year):  # type: ignore[no-untyped-def]
    Fact.objects.create(
        reporting_year=year, concept="vsme:CityOfSite", dimensions={SITE: "2"}, value="Lille", unit=""
    )
    client.force_login(editor)
    page = client.get(page_url(org, "B5")).content.decode()
    assert 'list="t0-known"' in page and '<option value="2">Lille</option>' in page


def test_viewers_see_the_rows_without_empty_ones(client, org, viewer, year):  # type: ignore[no-untyped-def]
    Fact.objects.create(
        reporting_year=year, concept="vsme:CityOfSite", dimensions={SITE: "1"}, value="Lyon", unit=""
    )
    client.force_login(viewer)
    page = client.get(page_url(org, "B1")).content.decode()
    assert 'name="t1-rows" value="1"' in page and 'name="add_rows"' not in page
    assert client.post(save_url(org, "B1"), sites_and_subsidiaries()).status_code == 403


def all_rows() -> dict[str, dict[str, str]]:
    """Rows for every table of the comprehensive module, by disclosure."""
    b4 = posted(
        table("B4", POLLUTANT),
        [
            {
                "key": "vsme:AmmoniaNH3Member",
                "vsme:AmountOfEmissionToAir": "1.2",
                "vsme:AmountOfEmissionToSoil": "0.3",
            }
        ],
    )
    b5 = posted(
        table("B5", SITE),
        [
            {
                "key": "1",
                "vsme:AreaOfSiteInBiodiversitySensitiveArea": "2.5",
                "vsme:SiteLocatedInABiodiversitySensitiveArea": "false",
                "vsme:SiteLocatedNearABiodiversitySensitiveArea": "true",
            }
        ],
    )
    materials = posted(
        table("B7", MATERIAL),
        [
            {"key": "1", "vsme:NameOfMaterialUsed": "Cuir", "vsme:WeightOfMaterialUsed": "12"},
            {"key": "007", "vsme:NameOfMaterialUsed": "Colle", "vsme:VolumeOfMaterialUsed": "0.4"},
            {"key": "Fil", "vsme:WeightOfMaterialUsed": "0.2", "vsme:VolumeOfMaterialUsed": "0.1"},
        ],
    )
    count = "vsme:NumberOfEmployeesForCountryOfEmploymentContract"
    b8 = posted(table("B8", COUNTRY), [{"key": "country:FR", count: "12"}, {"key": "country:BE", count: "3"}])
    return {"B1": sites_and_subsidiaries(), "B4": b4, "B5": b5, "B7": waste_rows() | materials, "B8": b8}


def test_rows_go_to_xbrl_json_and_through_the_template_and_back(client, org, other_org, editor, year):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    for code, data in all_rows().items():
        assert client.post(save_url(org, code), data).status_code == 302, code
    stored = {f.key: f for f in year.facts.all()}
    assert len(stored) == 9 + 2 + 3 + 5 + 6 + 2

    report = services.export_xbrl_json(year)
    exported = {
        (f["dimensions"]["concept"], f["dimensions"].get(SITE), f["dimensions"].get(WASTE), f["value"])
        for f in report["facts"].values()
    }
    assert ("vsme:CityOfSite", "Atelier Nord", None, "Lille") in exported
    assert ("vsme:WasteDirectedToDisposalMass", None, PAPER, "300") in exported
    assert ("vsme:SiteLocatedNearABiodiversitySensitiveArea", "1", None, "true") in exported
    units = {f["dimensions"]["concept"]: f["dimensions"].get("unit") for f in report["facts"].values()}
    assert units["vsme:WasteDirectedToDisposalMass"] == "utr:kg"
    assert units["vsme:AmountOfEmissionToAir"] == "utr:t"

    export = services.build_xlsx(year)
    assert export.skipped == []
    again = services.import_template(
        io.BytesIO(export.content), organisation=other_org, year=2025, actor=editor
    )
    assert again.unmapped == []

    def comparable(ry: ReportingYear) -> dict[tuple[str, str, str], tuple[object, str]]:
        out: dict[tuple[str, str, str], tuple[object, str]] = {}
        for f in ry.facts.all():
            value: object = Decimal(f.value) if f.unit else f.value
            out[f.key] = (value, f.unit)
        return out

    assert comparable(again.reporting_year) == comparable(year)


class _FormFields(HTMLParser):
    """What a browser sends for the indicator form of a page, untouched."""

    def __init__(self) -> None:
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self.inside = False
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = "indicators" in (a.get("class") or "")
        if not self.inside or (not a.get("name") and tag != "option"):
            return
        name = a.get("name") or ""
        if tag == "input" and a.get("type") in ("checkbox", "radio"):
            if "checked" in a:
                self.data.append((name, a.get("value") or "on"))
        elif tag == "input" and a.get("type") != "submit" and name != "csrfmiddlewaretoken":
            self.data.append((name, a.get("value") or ""))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in a:
            self.data.append((self.select, a.get("value") or ""))
        elif tag == "textarea":
            self.textarea = name
            self.data.append((name, ""))

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.data[-1] = (self.textarea, self.data[-1][1] + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def test_saving_imported_tables_untouched_changes_nothing(client, org, owner):  # type: ignore[no-untyped-def]
    from .helpers import SAMPLE, reference_file

    imported = services.import_template(reference_file(SAMPLE), organisation=org, year=2025, actor=owner)
    ry = imported.reporting_year
    before = {f.key: (f.value, f.unit, f.decimals, f.source) for f in ry.facts.all()}
    client.force_login(owner)
    for code in ("B1", "B4", "B5", "B7", "B8"):
        page = client.get(page_url(org, code)).content.decode()
        parser = _FormFields()
        parser.feed(page)
        data: dict[str, list[str]] = {}
        for name, value in parser.data:
            data.setdefault(name, []).append(value.strip("\n") if name.startswith("d") else value)
        resp = client.post(save_url(org, code), data)
        assert resp.status_code == 302, (
            code,
            re.findall(r'class="field-error">([^<]*)', resp.content.decode()),
        )
    after = {f.key: (f.value, f.unit, f.decimals, f.source) for f in ry.facts.all()}
    assert after == before


def test_queries_do_not_grow_with_the_rows(client, org, editor, year):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    count = "vsme:NumberOfEmployeesForCountryOfEmploymentContract"
    client.force_login(editor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page_url(org, "B8")).status_code == 200
        return len(ctx.captured_queries)

    Fact.objects.create(reporting_year=year, concept=count, dimensions={COUNTRY: "country:FR"}, value="1")
    queries()  # caches warmed (session, referential)
    few = queries()
    members = [m.qname for m in table("B8", COUNTRY).members[:40]]
    for member in members:
        Fact.objects.get_or_create(
            reporting_year=year, concept=count, dimensions={COUNTRY: member}, defaults={"value": "2"}
        )
    assert queries() == few


def test_a_new_row_with_a_name_only_is_refused_not_dropped(client, org, editor, year):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    data = posted(table("B1", SITE), [{"key": "Dreux"}])
    page = assert_rejected(client.post(save_url(org, "B1"), data), "id_t1-0-key")
    assert "Indiquez au moins un chiffre dans cette ligne" in page and 'value="Dreux"' in page
    assert not facts(reporting_year=year)
