from decimal import Decimal

import pytest

from parcours.carbon import services
from parcours.carbon.models import ActivityEntry
from parcours.vsme.models import Fact
from parcours.vsme.selectors import catalogue

from .conftest import make_estimate

pytestmark = pytest.mark.django_db

AXIS = "vsme:BreakdownOfEnergyConsumptionAxis"


def facts(estimate):  # type: ignore[no-untyped-def]
    return {
        (f.concept, tuple(sorted(f.dimensions.items()))): f
        for f in Fact.objects.filter(reporting_year=estimate.reporting_year)
    }


def test_the_datapoints_exist_in_the_catalogue_with_these_units_and_axis():
    b3 = next(d for d in catalogue("basic") if d.code == "B3")
    by_concept = {dp.concept: dp for dp in b3.datapoints}
    for concept, dims, unit in services.B3_DATAPOINTS:
        dp = by_concept[concept]
        assert unit in dp.units, concept
        for axis, member in dims.items():
            [a] = [a for a in dp.axes if a.qname == axis]
            assert member in {m.qname for m in a.members}
            assert a.default == "vsme:TotalRenewableAndNonRenewableEnergyMember"


def test_fill_writes_the_b3_facts(org, owner):
    estimate = make_estimate(
        org, natural_gas="20000", diesel="1000", electricity="50000", freight_road="100000"
    )
    result = services.fill_vsme(estimate=estimate, actor=owner)
    written = facts(estimate)
    expected = {
        ("vsme:GrossScope1GreenhouseGasEmissions", ()): ("7.47", "utr:tCO2e"),
        ("vsme:GrossLocationBasedScope2GreenhouseGasEmissions", ()): ("2.6", "utr:tCO2e"),
        ("vsme:TotalGrossLocationBasedScope1AndScope2GHGEmissions", ()): ("10.07", "utr:tCO2e"),
        ("vsme:GrossScope3GreenhouseGasEmissions", ()): ("8.37", "utr:tCO2e"),
        ("vsme:TotalGrossLocationBasedGHGEmissions", ()): ("18.44", "utr:tCO2e"),
        ("vsme:TotalEnergyConsumption", ()): ("78.04", "utr:MWh"),
        ("vsme:EnergyConsumptionFromElectricity", ()): ("50", "utr:MWh"),
        ("vsme:EnergyConsumptionFromFuels", ()): ("28.04", "utr:MWh"),
        ("vsme:EnergyConsumptionFromFuels", ((AXIS, "vsme:NonRenewableEnergyMember"),)): ("28.04", "utr:MWh"),
    }
    assert {k: (f.value, f.unit) for k, f in written.items()} == expected
    assert {(f.source, f.period, f.decimals) for f in written.values()} == {("carbon", "cur", 2)}
    assert len(result.created) == len(expected) and not result.skipped
    # a second run changes nothing
    again = services.fill_vsme(estimate=estimate, actor=owner)
    assert len(again.unchanged) == len(expected) and again.written == 0


def test_totals_are_sums_of_the_rounded_scopes(org, owner):
    # scope 1: 1 L petrol = 2.79 kg = 0.00279 t → 0.00; scope 2: 100 kWh = 0.0052 t → 0.01
    estimate = make_estimate(org, petrol="1", electricity="100")
    services.fill_vsme(estimate=estimate, actor=owner)
    written = facts(estimate)
    assert written[("vsme:GrossScope1GreenhouseGasEmissions", ())].value == "0"
    assert written[("vsme:GrossLocationBasedScope2GreenhouseGasEmissions", ())].value == "0.01"
    assert written[("vsme:TotalGrossLocationBasedScope1AndScope2GHGEmissions", ())].value == "0.01"
    assert ("vsme:GrossScope3GreenhouseGasEmissions", ()) not in written  # no scope 3 data


def test_figures_entered_by_hand_are_kept_unless_overwrite(org, owner):
    estimate = make_estimate(org, electricity="10000")
    ry = estimate.reporting_year
    Fact.objects.create(
        reporting_year=ry,
        concept="vsme:GrossLocationBasedScope2GreenhouseGasEmissions",
        value="1.5",
        unit="utr:tCO2e",
        source=Fact.Source.MANUAL,
    )
    result = services.fill_vsme(estimate=estimate, actor=owner)
    [(planned, kept)] = result.skipped
    assert planned.concept == "vsme:GrossLocationBasedScope2GreenhouseGasEmissions"
    assert kept.value == "1.5"
    scope2 = Fact.objects.get(reporting_year=ry, concept=planned.concept)
    assert (scope2.value, scope2.source) == ("1.5", "manual")
    # the other datapoints were written
    assert Fact.objects.get(reporting_year=ry, concept="vsme:EnergyConsumptionFromElectricity").value == "10"

    result = services.fill_vsme(estimate=estimate, actor=owner, overwrite=True)
    assert [p.concept for p in result.overwritten] == [planned.concept]
    scope2.refresh_from_db()
    assert (scope2.value, scope2.source) == ("0.52", "carbon")


def test_carbon_facts_the_estimate_no_longer_gives_are_removed(org, owner):
    estimate = make_estimate(org, electricity="10000", freight_rail="1000")
    services.fill_vsme(estimate=estimate, actor=owner)
    assert Fact.objects.filter(concept="vsme:GrossScope3GreenhouseGasEmissions").exists()
    ActivityEntry.objects.filter(activity="freight_rail").delete()
    result = services.fill_vsme(estimate=estimate, actor=owner)
    assert [f.concept for f in result.removed] == ["vsme:GrossScope3GreenhouseGasEmissions"]
    assert not Fact.objects.filter(concept="vsme:GrossScope3GreenhouseGasEmissions").exists()
    assert Fact.objects.get(concept="vsme:TotalGrossLocationBasedGHGEmissions").value == "0.52"


def test_planned_values_round_half_up():
    result = services.Result(version="x", factors=None)  # type: ignore[arg-type]
    result.by_scope = {1: Decimal("0.005"), 3: Decimal("0.0149")}
    planned = {p.concept: p.text for p in services.planned_facts(result)}
    assert planned["vsme:GrossScope1GreenhouseGasEmissions"] == "0.01"
    assert planned["vsme:GrossScope3GreenhouseGasEmissions"] == "0.01"
    assert planned["vsme:TotalGrossLocationBasedGHGEmissions"] == "0.02"
