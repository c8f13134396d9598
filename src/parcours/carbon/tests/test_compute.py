from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from parcours.carbon import services
from parcours.carbon.models import ActivityEntry, FactorOverride
from parcours.carbon.services import ActivityInput, compute
from parcours.organisations.models import AuditEntry

from .conftest import YEAR, make_estimate

pytestmark = pytest.mark.django_db


def test_electricity_times_the_grid_factor(org):
    result = compute(make_estimate(org, electricity="10000"))
    [line] = result.lines
    assert line.factor == Decimal("0.052")
    assert line.kg == Decimal("520")
    assert line.tonnes == Decimal("0.52")
    assert result.by_scope == {2: Decimal("0.52")}
    assert result.electricity_mwh == Decimal("10")
    assert result.fuels_mwh is None
    assert result.energy_mwh == Decimal("10")


def test_scope_totals_and_energy(org):
    estimate = make_estimate(
        org,
        natural_gas="20000",  # 20000 × 0.2154 = 4308 kg; × 0.9005 = 18010 kWh PCI
        diesel="1000",  # 3160 kg; 10030 kWh
        electricity="50000",  # 2600 kg; 50 MWh
        freight_road="100000",  # 8368.91 kg
        travel_car_petrol="5000",  # 989 kg
    )
    result = compute(estimate)
    assert result.by_scope == {
        1: Decimal("7.468"),
        2: Decimal("2.6"),
        3: Decimal("9.35791"),
    }
    assert result.total == Decimal("19.42591")
    assert result.scope_1_2 == Decimal("10.068")
    assert result.fuels_mwh == Decimal("28.04")
    assert result.fuels_non_renewable_mwh == Decimal("28.04")
    assert result.electricity_mwh == Decimal("50")
    assert result.energy_mwh == Decimal("78.04")
    # lines follow the factor file: scope by scope
    assert [line.activity.key for line in result.lines] == [
        "natural_gas",
        "diesel",
        "electricity",
        "freight_road",
        "travel_car_petrol",
    ]
    assert sum((result.share(line) for line in result.lines), Decimal(0)) == pytest.approx(100, abs=0.3)


def test_arithmetic_is_exact_for_small_and_large_figures(org):
    result = compute(make_estimate(org, freight_rail="0.000001", freight_sea="999999999.999999"))
    rail, sea = result.lines
    assert rail.kg == Decimal("0.00000000167")
    assert sea.kg == Decimal("999999999.999999") * Decimal("0.00956")
    assert str(sea.kg) == "9559999.99999999044"


def test_a_zero_is_a_line_with_no_emissions(org):
    result = compute(make_estimate(org, petrol="0"))
    assert result.by_scope == {1: Decimal(0)}
    assert result.fuels_mwh == Decimal(0)
    assert result.share(result.lines[0]) is None


def test_an_override_replaces_the_default_factor(org, owner):
    estimate = make_estimate(org, electricity="10000")
    services.override_set(
        estimate=estimate,
        actor=owner,
        factor_key="electricity",
        value=Decimal("0.06"),
        justification="Supplier's certificate 2025",
    )
    [line] = compute(estimate).lines
    assert line.factor == Decimal("0.06") and line.tonnes == Decimal("0.6")
    assert line.override is not None and line.override.justification == "Supplier's certificate 2025"
    assert line.override.unit == "kgCO2e/kWh"
    entry = AuditEntry.objects.get(action="carbon.factor_replaced")
    assert entry.changes["default"] == "0.052" and entry.changes["value"] == "0.06"

    services.override_remove(estimate=estimate, actor=owner, factor_key="electricity")
    assert compute(estimate).lines[0].factor == Decimal("0.052")


@pytest.mark.parametrize(
    ("value", "justification", "message"),
    [
        ("0.06", "   ", "justification est obligatoire"),  # French, the default language
        ("0", "Because", "supérieur à 0"),
        ("-1", "Because", "supérieur à 0"),
    ],
)
def test_an_override_needs_a_justification_and_a_positive_value(org, owner, value, justification, message):
    estimate = make_estimate(org, electricity="10000")
    with pytest.raises(ValidationError, match=message):
        services.override_set(
            estimate=estimate,
            actor=owner,
            factor_key="electricity",
            value=Decimal(value),
            justification=justification,
        )
    assert not FactorOverride.objects.exists()


def test_activities_save_creates_the_year_updates_and_removes(org, owner):
    estimate, changes = services.activities_save(
        organisation=org, year=YEAR, actor=owner, data={"electricity": None}
    )
    assert estimate is None and changes == {}  # nothing given: nothing created

    estimate, changes = services.activities_save(
        organisation=org,
        year=YEAR,
        actor=owner,
        data={"electricity": ActivityInput(Decimal("1200"), note="2 sites"), "diesel": None},
    )
    assert estimate is not None and estimate.reporting_year.year == YEAR
    assert changes == {"electricity": [None, "1200"]}
    entry = ActivityEntry.objects.get(estimate=estimate)
    assert (entry.quantity, entry.unit, entry.note) == (Decimal("1200"), "kWh", "2 sites")

    _same, changes = services.activities_save(
        organisation=org, year=YEAR, actor=owner, data={"electricity": None}
    )
    assert changes == {"electricity": ["1200.000000", None]}
    assert not ActivityEntry.objects.exists()
    assert AuditEntry.objects.filter(action="carbon.activities_saved").count() == 2


def test_activities_save_refuses_bad_figures_and_writes_nothing(org, owner):
    with pytest.raises(ValidationError):
        services.activities_save(
            organisation=org,
            year=YEAR,
            actor=owner,
            data={"electricity": ActivityInput(Decimal("-5"))},
        )
    assert not ActivityEntry.objects.exists()
    assert not org.vsme_years.exists()


def test_recycled_share_lowers_the_factor_only_when_a_recycled_factor_exists(org, packaging_factors):
    estimate = make_estimate(org, version="test", cardboard="2", plastic="1")
    ActivityEntry.objects.filter(estimate=estimate).update(recycled_share=Decimal("25"))
    cardboard, plastic = compute(estimate).lines
    # 1000 × 75 % + 400 × 25 % = 850 kg per tonne
    assert cardboard.factor == Decimal("850") and cardboard.recycled_applied
    assert cardboard.tonnes == Decimal("1.7")
    # no recycled factor in the data: the share is kept but does not change the factor
    assert plastic.factor == Decimal("2000") and not plastic.recycled_applied
    assert plastic.recycled_share == Decimal("25")


def test_an_activity_without_factor_is_recorded_but_not_counted_until_the_company_gives_one(org, owner):
    estimate = make_estimate(org, electricity="10000", packaging_paper="12", freight_air="3000")
    entry = ActivityEntry.objects.get(activity="packaging_paper")
    entry.recycled_share = Decimal("80")
    entry.save()
    result = compute(estimate)
    assert [line.activity.key for line in result.lines] == ["electricity"]
    assert [(a.key, e.quantity) for a, e in result.uncounted] == [
        ("freight_air", Decimal("3000")),
        ("packaging_paper", Decimal("12")),
    ]
    assert 3 not in result.by_scope
    assert [p.concept for p in services.planned_facts(result)] == [
        "vsme:TotalEnergyConsumption",
        "vsme:EnergyConsumptionFromElectricity",
        "vsme:GrossLocationBasedScope2GreenhouseGasEmissions",
        "vsme:TotalGrossLocationBasedScope1AndScope2GHGEmissions",
        "vsme:TotalGrossLocationBasedGHGEmissions",
    ]

    services.override_set(
        estimate=estimate,
        actor=owner,
        factor_key="packaging_paper",
        value=Decimal("700"),
        justification="Supplier's declaration for 80 % recycled corrugated board, 2025",
    )
    assert FactorOverride.objects.get().unit == "kgCO2e/t"
    result = compute(estimate)
    paper = next(line for line in result.lines if line.activity.key == "packaging_paper")
    assert paper.kg == Decimal("8400") and paper.override is not None and not paper.recycled_applied
    assert result.by_scope[3] == Decimal("8.4")
    assert [a.key for a, _e in result.uncounted] == ["freight_air"]
    audit = AuditEntry.objects.get(action="carbon.factor_replaced")
    assert audit.changes["default"] is None and audit.changes["unit"] == "kgCO2e/t"


def test_an_estimate_moves_to_the_current_factors_keeping_figures_and_own_factors(org, owner):
    estimate = make_estimate(org, version="2026.1", electricity="10000")
    services.override_set(
        estimate=estimate, actor=owner, factor_key="electricity", value=Decimal("0.06"), justification="EDF"
    )
    assert services.estimate_upgrade(estimate=estimate, actor=owner) is True
    estimate.refresh_from_db()
    assert estimate.factor_set_version == services.CURRENT_VERSION
    [line] = compute(estimate).lines
    assert line.factor == Decimal("0.06") and line.quantity == Decimal("10000")
    assert services.estimate_upgrade(estimate=estimate, actor=owner) is False
    audit = AuditEntry.objects.get(action="carbon.factors_upgraded")
    assert audit.changes == {"factor_set_version": ["2026.1", services.CURRENT_VERSION]}
