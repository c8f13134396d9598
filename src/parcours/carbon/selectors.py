"""Reads for the carbon pages, scoped to the organisation resolved from the URL."""

from __future__ import annotations

from django.db.models import Prefetch

from parcours.organisations.models import Organisation

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
