from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from parcours.carbon import factors
from parcours.carbon.models import ActivityEntry, CarbonEstimate
from parcours.vsme.models import ReportingYear

YEAR = 2025

PACKAGING_SET = {
    "version": "test",
    "note": {"en": "Test factors", "fr": "Facteurs de test"},
    "sources": {"test_source": {"title": "Test source", "url": ""}},
    "groups": [
        {"key": "fuels", "scope": 1, "label": {"en": "Fuels", "fr": "Combustibles"}},
        {"key": "packaging", "scope": 3, "label": {"en": "Packaging", "fr": "Emballages"}},
    ],
    "activities": [
        {
            "key": "diesel",
            "group": "fuels",
            "label": {"en": "Diesel", "fr": "Gazole"},
            "unit": "L",
            "unit_label": {"en": "litres", "fr": "litres"},
            "help": {"en": "Fuel cards.", "fr": "Cartes carburant."},
            "factor": {
                "value": "3",
                "unit": "kgCO2e/L",
                "year": "2024",
                "confidence": "medium",
                "sources": ["test_source"],
                "note": {"en": "n", "fr": "n"},
            },
            "energy": {
                "kind": "fuel",
                "renewable": False,
                "kwh_per_unit": "10",
                "confidence": "high",
                "sources": ["test_source"],
                "note": {"en": "n", "fr": "n"},
            },
        },
        {
            "key": "cardboard",
            "group": "packaging",
            "label": {"en": "Cardboard", "fr": "Carton"},
            "unit": "t",
            "unit_label": {"en": "tonnes", "fr": "tonnes"},
            "help": {"en": "Purchases.", "fr": "Achats."},
            "asks_recycled_share": True,
            "factor": {
                "value": "1000",
                "recycled_value": "400",
                "unit": "kgCO2e/t",
                "confidence": "low",
                "sources": ["test_source"],
                "note": {"en": "n", "fr": "n"},
            },
        },
        {
            "key": "plastic",
            "group": "packaging",
            "label": {"en": "Plastic", "fr": "Plastique"},
            "unit": "t",
            "unit_label": {"en": "tonnes", "fr": "tonnes"},
            "help": {"en": "Purchases.", "fr": "Achats."},
            "asks_recycled_share": True,
            "factor": {
                "value": "2000",
                "unit": "kgCO2e/t",
                "confidence": "low",
                "sources": ["test_source"],
                "note": {"en": "n", "fr": "n"},
            },
        },
    ],
}


def login(client, user) -> None:  # type: ignore[no-untyped-def]
    """Sign ``user`` in with English pages: text is asserted in the source language."""
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)


def make_estimate(org, year: int = YEAR, version: str = factors.CURRENT_VERSION, **quantities: str):  # type: ignore[no-untyped-def]
    ry, _created = ReportingYear.objects.get_or_create(organisation=org, year=year)
    estimate = CarbonEstimate.objects.create(reporting_year=ry, factor_set_version=version)
    fs = factors.factor_set(version)
    for key, quantity in quantities.items():
        activity = fs.activity(key)
        assert activity is not None, key
        ActivityEntry.objects.create(
            estimate=estimate, activity=key, quantity=Decimal(quantity), unit=activity.unit
        )
    return estimate


@pytest.fixture
def packaging_factors(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    """A factor set "test" with packaging activities that have default factors, one with a
    recycled value (the shipped set has no packaging factor). The shipped current set is
    copied beside it: pages compare an estimate's set with the current one."""
    (tmp_path / "factors-test.yaml").write_text(yaml.safe_dump(PACKAGING_SET), encoding="utf-8")
    current = factors.path_for(factors.CURRENT_VERSION)
    (tmp_path / current.name).write_text(current.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(factors, "DATA_DIR", tmp_path)
    factors.factor_set.cache_clear()
    yield factors.factor_set("test")
    factors.factor_set.cache_clear()
