from decimal import Decimal

import pytest
from django.urls import reverse

from parcours.carbon.models import ActivityEntry, CarbonEstimate, FactorOverride
from parcours.vsme.models import Fact

from .conftest import YEAR, login, make_estimate

pytestmark = pytest.mark.django_db


def url(org, name="carbon_estimate", year=YEAR):  # type: ignore[no-untyped-def]
    return reverse(name, kwargs={"org_slug": org.slug, "year": year})


def test_index_goes_to_the_latest_estimate(client, org, viewer):
    login(client, viewer)
    make_estimate(org, year=2023, electricity="1")
    response = client.get(reverse("carbon_index", args=[org.slug]))
    assert response.status_code == 302 and response["Location"] == url(org, year=2023)


def test_empty_year_shows_the_form_and_creates_nothing(client, org, owner):
    login(client, owner)
    page = client.get(url(org)).content.decode()
    assert "This is an estimate, not a certified carbon footprint." in page
    assert "Base Empreinte" in page
    assert 'name="q_electricity"' in page and "kWh" in page
    assert "fuel card statements" in page  # where to find the figure
    assert not CarbonEstimate.objects.exists() and not org.vsme_years.exists()


def test_save_then_results_chart_and_factors(client, org, owner):
    login(client, owner)
    response = client.post(
        url(org, "carbon_activities"),
        {"q_electricity": "10 000", "q_diesel": "1000,5", "note_diesel": "2 vans", "q_freight_rail": ""},
    )
    assert response.status_code == 302
    estimate = CarbonEstimate.objects.get(reporting_year__organisation=org, reporting_year__year=YEAR)
    assert {e.activity: e.quantity for e in estimate.entries.all()} == {
        "electricity": Decimal("10000"),
        "diesel": Decimal("1000.5"),
    }
    page = client.get(response["Location"]).content.decode()
    assert "Activity data saved" in page
    assert "0.520" in page  # electricity, tCO2e
    assert "3.162" in page  # 1000.5 L × 3.16 kg
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and "chart-bars" in page
    assert "Estimated emissions by source" in page  # the chart's data table
    assert "low — to re-check" in page  # electricity factor has low confidence
    assert "ADEME Base Carbone/Base Empreinte documentation" in page
    assert "2 vans" in page
    assert 'value="1000.5"' in page  # the form shows what was saved


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("q_electricity", "-5", "A quantity cannot be negative."),
        ("q_electricity", "douze", "Enter a number"),
        ("q_electricity", "NaN", "Enter a number"),
        ("q_electricity", "2e9", "looks like a unit mistake"),
        ("q_electricity", "1" * 39, "looks like a unit mistake"),
        ("q_natural_gas", "12.5.3", "Enter a number"),
    ],
)
def test_bad_figures_are_explained_and_nothing_is_lost(client, org, owner, field, value, message):
    login(client, owner)
    response = client.post(url(org, "carbon_activities"), {field: value, "q_petrol": "321"})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'value="{value}"' in page and 'value="321"' in page  # typed values kept
    assert not CarbonEstimate.objects.exists()


def test_percent_outside_0_100_is_refused(client, org, owner, packaging_factors):
    make_estimate(org, version="test", cardboard="1")
    login(client, owner)
    response = client.post(url(org, "carbon_activities"), {"q_cardboard": "2", "recycled_cardboard": "150"})
    assert response.status_code == 400
    assert "A percentage is between 0 and 100." in response.content.decode()
    response = client.post(url(org, "carbon_activities"), {"q_cardboard": "2", "recycled_cardboard": "30"})
    assert response.status_code == 302
    assert ActivityEntry.objects.get(activity="cardboard").recycled_share == Decimal("30")


def test_override_needs_a_justification(client, org, owner):
    make_estimate(org, electricity="10000")
    login(client, owner)
    response = client.post(
        url(org, "carbon_override"), {"factor_key": "electricity", "value": "0,06", "justification": " "}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "a justification is required" in page and 'value="0,06"' in page
    assert not FactorOverride.objects.exists()

    response = client.post(
        url(org, "carbon_override"),
        {"factor_key": "electricity", "value": "0,06", "justification": "Supplier's certificate"},
    )
    assert response.status_code == 302
    page = client.get(url(org)).content.decode()
    assert "Supplier&#x27;s certificate" in page and "your factor" in page
    assert "0.600" in page  # 10000 kWh × 0.06

    response = client.post(url(org, "carbon_override_remove"), {"factor_key": "electricity"})
    assert response.status_code == 302 and not FactorOverride.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"factor_key": "electricity", "value": "0", "justification": "x"}, "A factor must be above 0."),
        ({"factor_key": "electricity", "value": "1e-12", "justification": "x"}, "A factor must be above 0."),
        ({"factor_key": "unobtainium", "value": "1", "justification": "x"}, "Choose one of the factors"),
        ({"factor_key": "electricity", "value": "", "justification": "x"}, "Give the value of your factor."),
    ],
)
def test_bad_overrides_are_explained(client, org, owner, data, message):
    make_estimate(org, electricity="10000")
    login(client, owner)
    response = client.post(url(org, "carbon_override"), data)
    assert response.status_code == 400 and message in response.content.decode()


def test_fill_button_reports_filled_and_kept(client, org, editor):
    estimate = make_estimate(org, electricity="10000")
    Fact.objects.create(
        reporting_year=estimate.reporting_year,
        concept="vsme:GrossLocationBasedScope2GreenhouseGasEmissions",
        value="1.5",
        unit="utr:tCO2e",
        source=Fact.Source.MANUAL,
    )
    login(client, editor)
    page = client.get(url(org)).content.decode()
    assert "Fill the VSME energy and GHG datapoints (B3)" in page
    assert "kept unless you ask to replace it" in page
    response = client.post(url(org, "carbon_fill_vsme"), {}, follow=True)
    page = response.content.decode()
    assert "VSME B3 filled from the estimate" in page
    assert "Not filled, because a figure entered by hand or imported is already there" in page
    assert "Gross location-based Scope 2 greenhouse gas emissions" in page
    assert Fact.objects.get(concept="vsme:GrossLocationBasedScope2GreenhouseGasEmissions").value == "1.5"

    page = client.post(url(org, "carbon_fill_vsme"), {"overwrite": "on"}, follow=True).content.decode()
    assert "Replaced by the estimate" in page
    assert Fact.objects.get(concept="vsme:GrossLocationBasedScope2GreenhouseGasEmissions").value == "0.52"


def test_fill_without_data_says_so(client, org, owner):
    login(client, owner)
    page = client.post(url(org, "carbon_fill_vsme"), follow=True).content.decode()
    assert "Nothing to fill: enter some activity data first." in page
    assert not Fact.objects.exists()


def test_viewer_reads_but_cannot_write(client, org, viewer):
    make_estimate(org, electricity="10000")
    login(client, viewer)
    page = client.get(url(org)).content.decode()
    assert "0.520" in page
    assert 'name="q_electricity"' not in page and "Fill the VSME" not in page
    for name in ("carbon_activities", "carbon_override", "carbon_override_remove", "carbon_fill_vsme"):
        assert client.post(url(org, name), {"q_electricity": "1"}).status_code == 403, name
    assert ActivityEntry.objects.get().quantity == Decimal("10000")


def test_consultant_can_write(client, org, consultant):
    login(client, consultant)
    assert client.post(url(org, "carbon_activities"), {"q_petrol": "10"}).status_code == 302


def test_outsider_gets_404_and_anonymous_the_login(client, org, outsider):
    make_estimate(org, electricity="10000")
    names = (
        "carbon_estimate",
        "carbon_activities",
        "carbon_override",
        "carbon_override_remove",
        "carbon_fill_vsme",
    )
    for name in names:
        response = client.post(url(org, name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    login(client, outsider)
    for name in names:
        assert client.get(url(org, name)).status_code == 404, name
        assert client.post(url(org, name)).status_code == 404, name
    assert client.get(reverse("carbon_index", args=[org.slug])).status_code == 404


def test_years_out_of_range_are_not_found(client, org, owner):
    login(client, owner)
    assert client.get(url(org, year=1850)).status_code == 404
    assert client.post(url(org, "carbon_activities", year=99999), {"q_petrol": "1"}).status_code == 404


def test_get_only_page_and_post_only_actions(client, org, owner):
    login(client, owner)
    assert client.post(url(org)).status_code == 405
    assert client.get(url(org, "carbon_activities")).status_code == 405


def test_page_queries_do_not_grow_with_lines(client, org, owner, django_assert_max_num_queries):
    estimate = make_estimate(org, electricity="1")
    login(client, owner)
    client.get(url(org))  # warm caches (session, factor file)
    with django_assert_max_num_queries(14) as few:
        client.get(url(org))
    for key in ("diesel", "petrol", "natural_gas", "freight_road", "freight_sea", "travel_car_diesel"):
        ActivityEntry.objects.create(estimate=estimate, activity=key, quantity=Decimal(5), unit="x")
        FactorOverride.objects.create(estimate=estimate, factor_key=key, value=1, unit="x", justification="j")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url(org))


def test_packaging_and_air_freight_are_entered_then_counted_with_the_company_s_factor(client, org, owner):
    login(client, owner)
    page = client.get(url(org)).content.decode()
    assert 'name="q_packaging_plastic"' in page and 'name="recycled_packaging_plastic"' in page
    assert "Parcours has no default factor for this activity" in page
    response = client.post(
        url(org, "carbon_activities"),
        {"q_packaging_plastic": "2,5", "recycled_packaging_plastic": "30", "q_freight_air": "1200"},
    )
    assert response.status_code == 302
    page = client.get(url(org)).content.decode()
    assert "Not counted yet: Parcours has no emission factor for these activities." in page
    assert "Packaging: plastics — 2.5 tonnes (30 % recycled)" in page
    assert "no factor in Parcours, give yours in kgCO2e/t" in page  # the factor choice

    response = client.post(url(org, "carbon_override"), {"factor_key": "packaging_plastic", "value": "2000"})
    assert response.status_code == 400
    assert "a justification is required" in response.content.decode()
    assert not FactorOverride.objects.exists()
    response = client.post(
        url(org, "carbon_override"),
        {"factor_key": "packaging_plastic", "value": "2000", "justification": "Supplier, 30 % recycled PET"},
    )
    assert response.status_code == 302
    page = client.get(url(org)).content.decode()
    assert "Supplier, 30 % recycled PET" in page
    assert "Air freight — 1,200 tonne-kilometres" in page  # still not counted
    assert "Remove your factor" in page  # not "restore the default": there is none


def test_an_older_estimate_offers_the_current_factor_set(client, org, owner, viewer):
    make_estimate(org, version="2026.1", electricity="10000")
    login(client, viewer)
    page = client.get(url(org)).content.decode()
    assert "This estimate uses the factor set 2026.1" in page and "Packaging: glass" in page
    assert "Use the factor set" not in page  # a viewer cannot change it
    assert client.post(url(org, "carbon_upgrade")).status_code == 403
    login(client, owner)
    response = client.post(url(org, "carbon_upgrade"))
    assert response.status_code == 302
    assert CarbonEstimate.objects.get().factor_set_version == "2026.2"
    assert "This estimate uses the factor set" not in client.get(url(org)).content.decode()
