from decimal import Decimal
from pathlib import Path

import pytest

from parcours.carbon import factors
from parcours.carbon.factors import FactorSetError, factor_set

# The numbers of the reference compilation (facts.yaml, emission_factors), copied here so a
# typo in the shipped YAML is caught without reading the reference folder.
EXPECTED = {
    "electricity": ("0.052", "kgCO2e/kWh", 2, "low"),
    "natural_gas": ("0.2154", "kgCO2e/kWh PCS", 1, "medium"),
    "heating_oil": ("3.24348", "kgCO2e/L", 1, "low"),
    "lpg": ("1.77", "kgCO2/L", 1, "high"),
    "diesel": ("3.16", "kgCO2e/L", 1, "medium"),
    "petrol": ("2.79", "kgCO2e/L", 1, "medium"),
    "freight_road": ("0.0836891", "kgCO2e/t.km", 3, "low"),
    "freight_rail": ("0.00167", "kgCO2e/t.km", 3, "low"),
    "freight_sea": ("0.00956", "kgCO2e/t.km", 3, "low"),
    "travel_car_petrol": ("0.1978", "kgCO2e/vehicle.km", 3, "low"),
    "travel_car_diesel": ("0.1865", "kgCO2e/vehicle.km", 3, "low"),
}
# Activities customers ask about for which the reference has no factor: the company gives its
# own (unit of that factor, recycled content asked).
OWN_FACTOR = {
    "freight_air": ("kgCO2e/t.km", False),
    "freight_road_light": ("kgCO2e/t.km", False),
    "travel_train": ("kgCO2e/passenger.km", False),
    "travel_plane": ("kgCO2e/passenger.km", False),
    "packaging_paper": ("kgCO2e/t", True),
    "packaging_plastic": ("kgCO2e/t", True),
    "packaging_glass": ("kgCO2e/t", True),
    "packaging_metal": ("kgCO2e/t", True),
    "packaging_wood": ("kgCO2e/t", True),
}
ENERGY = {
    "electricity": "1",
    "natural_gas": "0.9005",
    "heating_oil": "10.03",
    "lpg": "7.10",
    "diesel": "10.03",
    "petrol": "9.11",
}


def test_the_shipped_set_holds_the_reference_values():
    fs = factor_set()
    assert fs.version == factors.CURRENT_VERSION
    assert {a.key for a in fs.activities} == set(EXPECTED) | set(OWN_FACTOR)
    for key, (value, unit, scope, confidence) in EXPECTED.items():
        a = fs.activity(key)
        assert a is not None and a.factor is not None
        assert (a.factor.value, a.factor.unit, a.scope, a.factor.confidence) == (
            Decimal(value),
            unit,
            scope,
            confidence,
        ), key
        assert a.factor.sources, key
        assert a.label["fr"] and a.label["en"] and a.help["fr"] and a.help["en"], key
        if key in ENERGY:
            assert a.energy is not None and a.energy.kwh_per_unit == Decimal(ENERGY[key]), key
            assert a.energy.kind == ("electricity" if key == "electricity" else "fuel")
            assert not a.energy.renewable
        else:
            assert a.energy is None, key


def test_activities_without_a_reference_factor_ask_for_the_company_s():
    fs = factor_set()
    for key, (unit, recycled) in OWN_FACTOR.items():
        a = fs.activity(key)
        assert a is not None and a.needs_own_factor and a.factor is None, key
        assert (a.factor_unit, a.scope, a.asks_recycled_share, a.energy) == (unit, 3, recycled, None), key
        assert a.own_factor_hint and a.own_factor_hint["fr"] and a.own_factor_hint["en"], key


def test_the_previous_version_is_kept_unchanged():
    old, new = factor_set("2026.1"), factor_set()
    assert {a.key for a in old.activities} == set(EXPECTED)
    for a in old.activities:
        assert new.activity(a.key) == a, a.key


def test_natural_gas_energy_ratio_is_the_ratio_of_the_two_reference_factors():
    assert round(Decimal("0.2154") / Decimal("0.2392"), 4) == Decimal("0.9005")


def test_the_product_reads_only_its_own_data():
    package = Path(factors.__file__).resolve().parent
    assert factors.path_for(factors.CURRENT_VERSION).is_relative_to(package)
    for source in package.glob("*.py"):
        assert "shared/reference" not in source.read_text(encoding="utf-8"), source.name


def test_an_unknown_version_is_refused():
    with pytest.raises(FactorSetError):
        factor_set("1999.9")


def test_a_malformed_file_is_refused(tmp_path, monkeypatch):
    (tmp_path / "factors-bad.yaml").write_text(
        """
version: "bad"
note: {en: n, fr: n}
sources: {s: {title: S}}
groups: [{key: g, scope: 1, label: {en: G, fr: G}}]
activities:
  - key: x
    group: g
    label: {en: X, fr: X}
    unit: L
    unit_label: {en: l, fr: l}
    help: {en: h, fr: h}
    factor: {value: 3.1, unit: kg/L, confidence: low, sources: [s], note: {en: n, fr: n}}
""",
        encoding="utf-8",
    )
    monkeypatch.setattr(factors, "DATA_DIR", tmp_path)
    factor_set.cache_clear()
    try:
        with pytest.raises(FactorSetError, match="quoted strings"):
            factor_set("bad")
    finally:
        factor_set.cache_clear()
