"""Writes of carbon estimates, the computation, and the filling of the VSME B3 datapoints.

Arithmetic is exact (``Decimal`` with a 60-digit context: every product and sum here is
exact); rounding happens once, for display and for the VSME facts (docs/carbon.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parcours.organisations.models import Organisation
from parcours.organisations.services import audit_record
from parcours.vsme import reference
from parcours.vsme.models import Fact, dimensions_key
from parcours.vsme.services import actor_or_none, reporting_year_get_or_create

from .factors import CURRENT_VERSION, Activity, FactorSet, factor_set
from .models import MAX_FACTOR, MAX_QUANTITY, ActivityEntry, CarbonEstimate, FactorOverride

PRECISION = 60
THOUSAND = Decimal(1000)
HUNDRED = Decimal(100)
VSME_DECIMALS = 2
VSME_STEP = Decimal("0.01")


def _exact() -> Any:
    return localcontext(prec=PRECISION)


def round_half_up(value: Decimal, step: Decimal = VSME_STEP) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


# --- writes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityInput:
    quantity: Decimal
    note: str = ""
    recycled_share: Decimal | None = None


@transaction.atomic
def estimate_get_or_create(*, organisation: Organisation, year: int, actor: Any) -> CarbonEstimate:
    """The organisation's estimate for ``year``, created (with its VSME reporting year) when
    missing, on the current factor version."""
    ry = reporting_year_get_or_create(organisation=organisation, year=year, actor=actor)
    estimate, created = CarbonEstimate.objects.get_or_create(
        reporting_year=ry,
        defaults={"factor_set_version": CURRENT_VERSION, "updated_by": actor_or_none(actor)},
    )
    if created:
        audit_record(
            actor=actor,
            organisation=organisation,
            action="carbon.estimate_created",
            obj=estimate,
            changes={"year": year, "factor_set_version": estimate.factor_set_version},
        )
    return estimate


@transaction.atomic
def estimate_upgrade(*, estimate: CarbonEstimate, actor: Any) -> bool:
    """Move the estimate to the current factor version (its figures and the company's own
    factors are kept; defaults become the new version's). False when already current."""
    if estimate.factor_set_version == CURRENT_VERSION:
        return False
    before = estimate.factor_set_version
    factor_set(CURRENT_VERSION)  # fails loudly before anything changes if the file is broken
    estimate.factor_set_version = CURRENT_VERSION
    estimate.updated_by = actor_or_none(actor)
    estimate.save(update_fields=["factor_set_version", "updated_by", "updated_at"])
    audit_record(
        actor=actor,
        organisation=estimate.reporting_year.organisation,
        action="carbon.factors_upgraded",
        obj=estimate,
        changes={"factor_set_version": [before, CURRENT_VERSION]},
    )
    return True


@transaction.atomic
def activities_save(
    *, organisation: Organisation, year: int, actor: Any, data: Mapping[str, ActivityInput | None]
) -> tuple[CarbonEstimate | None, dict[str, Any]]:
    """Replace the activity data of the organisation's estimate for ``year`` by ``data``
    (activity key → input, None = no figure), creating the estimate and its VSME reporting
    year on the first figure. Returns the estimate (None when there is none and nothing was
    given) and the changes, also recorded in the audit log."""
    estimate = CarbonEstimate.objects.filter(
        reporting_year__organisation=organisation, reporting_year__year=year
    ).first()
    if estimate is None:
        if all(given is None for given in data.values()):
            return None, {}
        estimate = estimate_get_or_create(organisation=organisation, year=year, actor=actor)
    fs = factor_set(estimate.factor_set_version)
    current = {e.activity: e for e in estimate.entries.all()}
    changes: dict[str, Any] = {}
    for key, given in data.items():
        activity = fs.activity(key)
        if activity is None:
            raise ValidationError(_("Unknown activity: %(key)s.") % {"key": key})
        entry = current.get(key)
        if given is None:
            if entry is not None:
                changes[key] = [str(entry.quantity), None]
                entry.delete()
            continue
        _check_input(activity, given)
        share = given.recycled_share if activity.asks_recycled_share else None
        if entry is None:
            ActivityEntry.objects.create(
                estimate=estimate,
                activity=key,
                quantity=given.quantity,
                unit=activity.unit,
                note=given.note,
                recycled_share=share,
            )
            changes[key] = [None, str(given.quantity)]
            continue
        before = (entry.quantity, entry.note, entry.recycled_share, entry.unit)
        if before != (given.quantity, given.note, share, activity.unit):
            changes[key] = [str(entry.quantity), str(given.quantity)]
            entry.quantity, entry.note, entry.recycled_share = given.quantity, given.note, share
            entry.unit = activity.unit
            entry.save()
    if changes:
        estimate.updated_by = actor_or_none(actor)
        estimate.save(update_fields=["updated_by", "updated_at"])
        audit_record(
            actor=actor,
            organisation=organisation,
            action="carbon.activities_saved",
            obj=estimate,
            changes=changes,
        )
    return estimate, changes


def _check_input(activity: Activity, given: ActivityInput) -> None:
    if not given.quantity.is_finite() or not 0 <= given.quantity <= MAX_QUANTITY:
        raise ValidationError(
            _("%(activity)s: the quantity is out of range.") % {"activity": activity.label_text}
        )
    share = given.recycled_share
    if share is not None and (not share.is_finite() or not 0 <= share <= HUNDRED):
        raise ValidationError(_("A recycled content is a percentage between 0 and 100."))


@transaction.atomic
def override_set(
    *, estimate: CarbonEstimate, actor: Any, factor_key: str, value: Decimal, justification: str
) -> FactorOverride:
    """Replace the default factor of an activity for this estimate, or give one where
    Parcours has none. The value is in the activity's factor unit; a justification (the
    source of the value) is required."""
    activity = factor_set(estimate.factor_set_version).activity(factor_key)
    if activity is None:
        raise ValidationError(_("Unknown emission factor."))
    justification = (justification or "").strip()
    if not justification:
        raise ValidationError(_("Say why you replace the default factor: a justification is required."))
    if not value.is_finite() or not 0 < value <= MAX_FACTOR:
        raise ValidationError(_("A factor must be a number above 0 and at most 1,000,000."))
    override, _created = FactorOverride.objects.update_or_create(
        estimate=estimate,
        factor_key=factor_key,
        defaults={
            "value": value,
            "unit": activity.factor_unit,
            "justification": justification,
            "set_by": actor_or_none(actor),
        },
    )
    audit_record(
        actor=actor,
        organisation=estimate.reporting_year.organisation,
        action="carbon.factor_replaced",
        obj=estimate,
        changes={
            "factor": factor_key,
            "default": str(activity.factor.value) if activity.factor is not None else None,
            "value": str(value),
            "unit": activity.factor_unit,
            "justification": justification,
        },
    )
    return override


@transaction.atomic
def override_remove(*, estimate: CarbonEstimate, actor: Any, factor_key: str) -> bool:
    deleted, _detail = estimate.overrides.filter(factor_key=factor_key).delete()
    if deleted:
        audit_record(
            actor=actor,
            organisation=estimate.reporting_year.organisation,
            action="carbon.factor_restored",
            obj=estimate,
            changes={"factor": factor_key},
        )
    return bool(deleted)


# --- computation --------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One activity of the estimate: quantity × factor."""

    activity: Activity
    quantity: Decimal
    unit: str
    note: str
    recycled_share: Decimal | None
    factor: Decimal  # kg per unit, the one used (default, blended with recycled, or override)
    override: FactorOverride | None
    recycled_applied: bool  # the recycled share lowered the factor
    kg: Decimal
    kwh: Decimal | None  # energy consumed, for fuels and electricity

    @property
    def scope(self) -> int:
        return self.activity.scope

    @property
    def tonnes(self) -> Decimal:
        return self.kg / THOUSAND

    @property
    def mwh(self) -> Decimal | None:
        return None if self.kwh is None else self.kwh / THOUSAND


@dataclass
class Result:
    version: str
    factors: FactorSet
    lines: list[Line] = field(default_factory=list)
    by_scope: dict[int, Decimal] = field(default_factory=dict)  # tCO2e, exact; only scopes with lines
    electricity_mwh: Decimal | None = None  # None when no electricity was entered
    fuels_mwh: Decimal | None = None
    fuels_renewable_mwh: Decimal = Decimal(0)
    fuels_non_renewable_mwh: Decimal = Decimal(0)
    unknown: list[str] = field(default_factory=list)  # entries whose activity the version lacks
    # entries not counted: Parcours has no factor for them and the company gave none
    uncounted: list[tuple[Activity, ActivityEntry]] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum(self.by_scope.values(), Decimal(0))

    @property
    def scope_1_2(self) -> Decimal:
        return self.by_scope.get(1, Decimal(0)) + self.by_scope.get(2, Decimal(0))

    @property
    def energy_mwh(self) -> Decimal | None:
        parts = [v for v in (self.electricity_mwh, self.fuels_mwh) if v is not None]
        return sum(parts, Decimal(0)) if parts else None

    def share(self, line: Line) -> Decimal | None:
        """Percentage of the total, for the chart and the table (rounded to 0.1)."""
        total = self.total
        if total <= 0:
            return None
        with _exact():
            return round_half_up(line.tonnes * HUNDRED / total, Decimal("0.1"))

    def scope_share(self, scope: int) -> Decimal | None:
        total = self.total
        if total <= 0 or scope not in self.by_scope:
            return None
        with _exact():
            return round_half_up(self.by_scope[scope] * HUNDRED / total, Decimal("0.1"))


def compute(estimate: CarbonEstimate) -> Result:
    """Emissions and energy of the estimate, line by line, with exact totals.

    Factor used: the company's override when there is one, else the default (an activity
    without a default factor and without the company's is listed in ``uncounted``); for an activity
    asking for a recycled content, when the default factor has a recycled value, the two
    are blended by the share. Emissions of a line = quantity × factor (kg), ÷ 1000 for
    tonnes. Energy = quantity × kWh per unit (fuels, electricity)."""
    fs = factor_set(estimate.factor_set_version)
    overrides = {o.factor_key: o for o in estimate.overrides.all()}
    result = Result(version=fs.version, factors=fs)
    entries = {e.activity: e for e in estimate.entries.all()}
    known = {a.key for a in fs.activities}
    result.unknown = sorted(k for k in entries if k not in known)
    with _exact():
        for activity in fs.activities:  # in the file's order, scope by scope
            entry = entries.get(activity.key)
            if entry is None:
                continue
            override = overrides.get(activity.key)
            if activity.factor is None and override is None:
                result.uncounted.append((activity, entry))
                continue
            factor, blended = _factor(activity, entry, override)
            kwh = entry.quantity * activity.energy.kwh_per_unit if activity.energy else None
            line = Line(
                activity=activity,
                quantity=entry.quantity,
                unit=entry.unit,
                note=entry.note,
                recycled_share=entry.recycled_share,
                factor=factor,
                override=override,
                recycled_applied=blended,
                kg=entry.quantity * factor,
                kwh=kwh,
            )
            result.lines.append(line)
            result.by_scope[line.scope] = result.by_scope.get(line.scope, Decimal(0)) + line.tonnes
            if activity.energy is None or line.mwh is None:
                continue
            if activity.energy.kind == "electricity":
                result.electricity_mwh = (result.electricity_mwh or Decimal(0)) + line.mwh
            else:
                result.fuels_mwh = (result.fuels_mwh or Decimal(0)) + line.mwh
                if activity.energy.renewable:
                    result.fuels_renewable_mwh += line.mwh
                else:
                    result.fuels_non_renewable_mwh += line.mwh
    result.by_scope = dict(sorted(result.by_scope.items()))
    return result


def _factor(
    activity: Activity, entry: ActivityEntry, override: FactorOverride | None
) -> tuple[Decimal, bool]:
    if override is not None:
        return override.value, False
    default = activity.factor
    assert default is not None, "an activity without default factor is counted only with an override"
    share = entry.recycled_share
    if activity.asks_recycled_share and share is not None and default.recycled_value is not None:
        blended = (default.value * (HUNDRED - share) + default.recycled_value * share) / HUNDRED
        return blended, True
    return default.value, False


# --- VSME B3 ------------------------------------------------------------------------------

ENERGY_AXIS = "vsme:BreakdownOfEnergyConsumptionAxis"
RENEWABLE = "vsme:RenewableEnergyMember"
NON_RENEWABLE = "vsme:NonRenewableEnergyMember"
TCO2E = "utr:tCO2e"
MWH = "utr:MWh"

# The B3 datapoints the estimate fills, in the order they are reported. The total member of
# the energy breakdown axis is the axis default: its facts carry no dimension.
B3_DATAPOINTS: tuple[tuple[str, dict[str, str], str], ...] = (
    ("vsme:TotalEnergyConsumption", {}, MWH),
    ("vsme:EnergyConsumptionFromElectricity", {}, MWH),
    ("vsme:EnergyConsumptionFromFuels", {}, MWH),
    ("vsme:EnergyConsumptionFromFuels", {ENERGY_AXIS: NON_RENEWABLE}, MWH),
    ("vsme:EnergyConsumptionFromFuels", {ENERGY_AXIS: RENEWABLE}, MWH),
    ("vsme:GrossScope1GreenhouseGasEmissions", {}, TCO2E),
    ("vsme:GrossLocationBasedScope2GreenhouseGasEmissions", {}, TCO2E),
    ("vsme:TotalGrossLocationBasedScope1AndScope2GHGEmissions", {}, TCO2E),
    ("vsme:GrossScope3GreenhouseGasEmissions", {}, TCO2E),
    ("vsme:TotalGrossLocationBasedGHGEmissions", {}, TCO2E),
)


@dataclass(frozen=True)
class PlannedFact:
    concept: str
    dimensions: dict[str, str]
    value: Decimal  # rounded to VSME_DECIMALS
    unit: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.concept, dimensions_key(self.dimensions), Fact.Period.CURRENT.value)

    @property
    def text(self) -> str:
        text = format(self.value.normalize(), "f")
        return "0" if text in ("-0", "") else text


def datapoint_label(concept: str, dimensions: Mapping[str, str], language: str = "en") -> str:
    label = reference.concept_label(concept, language)
    members = [reference.member_label(m, language) for m in dimensions.values()]
    return f"{label} ({', '.join(members)})" if members else label


def planned_facts(result: Result) -> list[PlannedFact]:
    """The B3 facts the estimate supports, rounded to 0.01 (half up). A datapoint is only
    given when some activity feeds it (no scope 3 figure without scope 3 data); the totals
    are the sums of the rounded parts, so the report adds up."""
    values: dict[tuple[str, str], Decimal] = {}
    s1, s2, s3 = (result.by_scope.get(s) for s in (1, 2, 3))
    r = {s: round_half_up(v) for s, v in ((1, s1), (2, s2), (3, s3)) if v is not None}
    if 1 in r:
        values[("vsme:GrossScope1GreenhouseGasEmissions", "")] = r[1]
    if 2 in r:
        values[("vsme:GrossLocationBasedScope2GreenhouseGasEmissions", "")] = r[2]
    if 1 in r or 2 in r:
        values[("vsme:TotalGrossLocationBasedScope1AndScope2GHGEmissions", "")] = r.get(
            1, Decimal(0)
        ) + r.get(2, Decimal(0))
    if 3 in r:
        values[("vsme:GrossScope3GreenhouseGasEmissions", "")] = r[3]
    if r:
        values[("vsme:TotalGrossLocationBasedGHGEmissions", "")] = sum(r.values(), Decimal(0))
    elec = round_half_up(result.electricity_mwh) if result.electricity_mwh is not None else None
    fuels = None
    if result.fuels_mwh is not None:
        non_renewable = round_half_up(result.fuels_non_renewable_mwh)
        renewable = round_half_up(result.fuels_renewable_mwh)
        fuels = non_renewable + renewable
        values[("vsme:EnergyConsumptionFromFuels", NON_RENEWABLE)] = non_renewable
        if result.fuels_renewable_mwh > 0:
            values[("vsme:EnergyConsumptionFromFuels", RENEWABLE)] = renewable
        values[("vsme:EnergyConsumptionFromFuels", "")] = fuels
    if elec is not None:
        values[("vsme:EnergyConsumptionFromElectricity", "")] = elec
    if elec is not None or fuels is not None:
        values[("vsme:TotalEnergyConsumption", "")] = (elec or Decimal(0)) + (fuels or Decimal(0))
    out = []
    for concept, dims, unit in B3_DATAPOINTS:
        value = values.get((concept, dims.get(ENERGY_AXIS, "")))
        if value is not None:
            out.append(PlannedFact(concept, dims, value, unit))
    return out


@dataclass
class FillResult:
    created: list[PlannedFact] = field(default_factory=list)
    updated: list[PlannedFact] = field(default_factory=list)
    unchanged: list[PlannedFact] = field(default_factory=list)
    overwritten: list[PlannedFact] = field(default_factory=list)  # facts of another source replaced
    skipped: list[tuple[PlannedFact, Fact]] = field(default_factory=list)  # kept: entered by hand…
    removed: list[Fact] = field(default_factory=list)  # earlier carbon facts the estimate no longer gives

    @property
    def written(self) -> int:
        return len(self.created) + len(self.updated)


@transaction.atomic
def fill_vsme(*, estimate: CarbonEstimate, actor: Any, overwrite: bool = False) -> FillResult:
    """Write the estimate's energy and GHG figures into the B3 facts of its reporting year,
    with source "carbon" (unit utr:tCO2e or utr:MWh, period "cur", 2 decimals).

    A fact of another source (entered by hand, imported from a template…) on the same
    datapoint is kept and listed in ``skipped`` unless ``overwrite`` is true. Facts this
    function wrote earlier that the estimate no longer supports are deleted."""
    ry = estimate.reporting_year
    planned = planned_facts(compute(estimate))
    managed = {(c, dimensions_key(d), Fact.Period.CURRENT.value) for c, d, _u in B3_DATAPOINTS}
    concepts = {c for c, _d, _u in B3_DATAPOINTS}
    existing = {
        f.key: f
        for f in ry.facts.select_for_update().filter(concept__in=concepts, period=Fact.Period.CURRENT)
    }
    result = FillResult()
    user = actor_or_none(actor)
    to_create: list[Fact] = []
    for p in planned:
        fact = existing.get(p.key)
        if fact is None:
            to_create.append(
                Fact(
                    reporting_year=ry,
                    concept=p.concept,
                    dimensions=p.dimensions,
                    dimensions_key=dimensions_key(p.dimensions),
                    period=Fact.Period.CURRENT,
                    value=p.text,
                    unit=p.unit,
                    decimals=VSME_DECIMALS,
                    source=Fact.Source.CARBON,
                    updated_by=user,
                )
            )
            result.created.append(p)
            continue
        if fact.source != Fact.Source.CARBON and not overwrite:
            result.skipped.append((p, fact))
            continue
        if (fact.value, fact.unit, fact.decimals, fact.source) == (
            p.text,
            p.unit,
            VSME_DECIMALS,
            Fact.Source.CARBON,
        ):
            result.unchanged.append(p)
            continue
        if fact.source != Fact.Source.CARBON:
            result.overwritten.append(p)
        fact.value, fact.unit, fact.decimals = p.text, p.unit, VSME_DECIMALS
        fact.source, fact.updated_by = Fact.Source.CARBON, user
        fact.save(update_fields=["value", "unit", "decimals", "source", "updated_by", "updated_at"])
        result.updated.append(p)
    Fact.objects.bulk_create(to_create)
    planned_keys = {p.key for p in planned}
    result.removed = [
        f
        for k, f in existing.items()
        if k in managed and k not in planned_keys and f.source == Fact.Source.CARBON
    ]
    if result.removed:
        Fact.objects.filter(pk__in=[f.pk for f in result.removed]).delete()
    audit_record(
        actor=actor,
        organisation=ry.organisation,
        action="carbon.vsme_filled",
        obj=ry,
        changes={
            "factor_set_version": estimate.factor_set_version,
            "written": {f"{p.concept} {p.key[1]}": p.text for p in result.created + result.updated},
            "overwritten": [f"{p.concept} {p.key[1]}" for p in result.overwritten],
            "skipped": [f"{p.concept} {p.key[1]}" for p, _f in result.skipped],
            "removed": [f"{f.concept} {f.dimensions_key}" for f in result.removed],
        },
    )
    return result
