"""Reads for the carbon pages, scoped to the organisation resolved from the URL."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch

from parcours.organisations.models import Organisation

from .factors import CURRENT_VERSION, Activity, factor_set
from .models import ActivityEntry, CarbonEstimate, FactorOverride


def estimate_for(organisation: Organisation, year: int) -> CarbonEstimate | None:
    """The organisation's estimate for ``year`` with its entries and overrides, or None."""
    return (
        CarbonEstimate.objects.select_related("reporting_year__organisation", "updated_by")
        .prefetch_related(
            Prefetch("entries", queryset=ActivityEntry.objects.order_by("activity")),
            Prefetch("overrides", queryset=FactorOverride.objects.select_related("set_by")),
        )
        .filter(reporting_year__organisation=organisation, reporting_year__year=year)
        .first()
    )


def estimate_years(organisation: Organisation) -> list[int]:
    """Years the organisation has an estimate for, latest first."""
    return list(
        CarbonEstimate.objects.filter(reporting_year__organisation=organisation)
        .order_by("-reporting_year__year")
        .values_list("reporting_year__year", flat=True)
    )


# --- what key-account customers ask: freight by mode, packaging by material ---------------

CUSTOMER_GROUPS = ("freight", "packaging")


@dataclass(frozen=True)
class CustomerFigure:
    activity: Activity
    quantity: Decimal | None
    recycled_share: Decimal | None
    previous: Decimal | None
    previous_recycled_share: Decimal | None


@dataclass(frozen=True)
class CustomerFigures:
    year: int
    freight: list[CustomerFigure]
    packaging: list[CustomerFigure]

    @property
    def packaging_tonnes(self) -> Decimal | None:
        given = [f.quantity for f in self.packaging if f.quantity is not None]
        return sum(given, Decimal(0)) if given else None

    @property
    def packaging_recycled_share(self) -> Decimal | None:
        """Recycled content of all packaging, weighted by mass (%, 0.1), when every material
        given this year has its share."""
        given = [f for f in self.packaging if f.quantity is not None]
        total = sum((f.quantity or Decimal(0) for f in given), Decimal(0))
        if not given or total <= 0 or any(f.recycled_share is None for f in given):
            return None
        recycled = sum((f.quantity or Decimal(0)) * (f.recycled_share or Decimal(0)) for f in given)
        return (recycled / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def __bool__(self) -> bool:
        return bool(self.freight or self.packaging)


def customer_figures(organisation: Organisation, year: int) -> CustomerFigures:
    """Freight t·km by mode and packaging tonnes by material (with recycled content) of
    ``year``, beside the previous year's, from the carbon estimates' activity data (one
    query). Only activities with a figure in either year are listed, in the factor set's
    order."""
    fs = factor_set(CURRENT_VERSION)
    activities = [a for a in fs.activities if a.group.key in CUSTOMER_GROUPS]
    entries = {
        (e.estimate.reporting_year.year, e.activity): e
        for e in ActivityEntry.objects.select_related("estimate__reporting_year").filter(
            estimate__reporting_year__organisation=organisation,
            estimate__reporting_year__year__in=(year, year - 1),
            activity__in=[a.key for a in activities],
        )
    }
    rows: dict[str, list[CustomerFigure]] = {g: [] for g in CUSTOMER_GROUPS}
    for a in activities:
        now, before = entries.get((year, a.key)), entries.get((year - 1, a.key))
        if now is None and before is None:
            continue
        rows[a.group.key].append(
            CustomerFigure(
                activity=a,
                quantity=now.quantity if now else None,
                recycled_share=now.recycled_share if now else None,
                previous=before.quantity if before else None,
                previous_recycled_share=before.recycled_share if before else None,
            )
        )
    return CustomerFigures(year=year, freight=rows["freight"], packaging=rows["packaging"])
