"""The datapoint catalogue the VSME pages are built from."""

import pytest

from parcours.vsme.selectors import catalogue


def test_basic_module_lists_b1_to_b11_in_order():  # type: ignore[no-untyped-def]
    codes = [d.code for d in catalogue("basic")]
    assert codes == [f"B{i}" for i in range(1, 12)] + ["other"]
    assert [d.code for d in catalogue("comprehensive")] == codes[:-1] + [f"C{i}" for i in range(1, 10)] + [
        "other"
    ]


def test_disclosures_and_datapoints_are_bilingual():  # type: ignore[no-untyped-def]
    b3 = next(d for d in catalogue("basic") if d.code == "B3")
    assert (b3.title_en, b3.title_fr) == (
        "Energy and greenhouse gas emissions",
        "Énergie et émissions de gaz à effet de serre",
    )
    scope1 = next(p for p in b3.datapoints if p.concept == "vsme:GrossScope1GreenhouseGasEmissions")
    assert scope1.label_fr.startswith("Émissions brutes")
    assert scope1.units == ("utr:tCO2e",)
    assert scope1.axes == ()


def test_energy_breakdown_needs_the_renewable_axis():  # type: ignore[no-untyped-def]
    b3 = next(d for d in catalogue("basic") if d.code == "B3")
    electricity = next(p for p in b3.datapoints if p.concept == "vsme:EnergyConsumptionFromElectricity")
    (axis,) = electricity.axes
    assert axis.qname == "vsme:BreakdownOfEnergyConsumptionAxis"
    assert axis.default == "vsme:TotalRenewableAndNonRenewableEnergyMember"
    assert {m.qname for m in axis.members} >= {"vsme:RenewableEnergyMember", "vsme:NonRenewableEnergyMember"}
    assert electricity.units == ("utr:MWh",)


def test_enumerations_list_their_choices_and_tables_their_axes():  # type: ignore[no-untyped-def]
    b1 = next(d for d in catalogue("basic") if d.code == "B1")
    basis = next(p for p in b1.datapoints if p.concept == "vsme:BasisForPreparation")
    assert not basis.multiple
    assert [m.qname for m in basis.choices] == [
        "vsme:OptionABasicModuleOnlyMember",
        "vsme:OptionBBasicModuleAndComprehensiveModuleMember",
    ]
    assert basis.choices[1].label_fr.startswith("OPTION B")
    city = next(p for p in b1.datapoints if p.concept == "vsme:CityOfSite")
    assert [(a.qname, a.typed) for a in city.axes] == [("vsme:IdentifierOfSiteTypedAxis", True)]
    c3 = next(d for d in catalogue("comprehensive") if d.code == "C3")
    baseline = next(p for p in c3.datapoints if p.concept == "vsme:GrossScope1GreenhouseGasEmissions")
    assert [m.qname for m in baseline.axes[0].members] == ["vsme:BaselineYearMember", "vsme:TargetYearMember"]


def test_catalogue_reads_no_database(db, django_assert_num_queries):  # type: ignore[no-untyped-def]
    with django_assert_num_queries(0):
        assert catalogue("comprehensive") == catalogue("comprehensive")
    with pytest.raises(ValueError):
        catalogue("extended")
