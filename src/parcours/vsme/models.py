"""VSME reporting: one reporting year per organisation and year, holding its XBRL facts.

A fact is stored the way the VSME taxonomy and EFRAG's digital template see it: a concept
(QName such as ``vsme:GrossScope1GreenhouseGasEmissions``), its dimensions (axis QName →
member QName, or the value of a typed axis), a period name and a canonical value. See
docs/vsme.md.
"""

import json
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.organisations.models import Organisation


def dimensions_key(dimensions: dict[str, Any]) -> str:
    """The canonical text of a dimensions dict, used for uniqueness on every database."""
    return json.dumps(dimensions or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class ReportingYear(models.Model):
    class Module(models.TextChoices):
        BASIC = "basic", _("Basic module")
        COMPREHENSIVE = "comprehensive", _("Basic and comprehensive modules")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="vsme_years", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    module = models.CharField(_("module"), max_length=15, choices=Module.choices, default=Module.BASIC)
    currency = models.CharField(
        _("currency"), max_length=3, default="EUR", help_text=_("ISO 4217 code of the monetary values.")
    )
    period_start = models.DateField(
        _("start of the reporting period"), null=True, blank=True, help_text=_("1 January when empty.")
    )
    period_end = models.DateField(
        _("end of the reporting period"), null=True, blank=True, help_text=_("31 December when empty.")
    )
    entity_scheme = models.CharField(
        _("identifier scheme"),
        max_length=200,
        blank=True,
        help_text=_("Scheme URI of an identifier read from a digital template (LEI, EUID…)."),
    )
    entity_identifier = models.CharField(_("identifier"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "-year"]
        verbose_name = _("VSME reporting year")
        verbose_name_plural = _("VSME reporting years")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_vsme_year_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.year}"

    @property
    def start(self) -> date:
        return self.period_start or date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return self.period_end or date(self.year, 12, 31)


class Fact(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        IMPORT = "import", _("Imported from a digital template")
        CARBON = "carbon", _("Carbon footprint")
        DIAGNOSIS = "diagnosis", _("Diagnosis")

    class Period(models.TextChoices):
        CURRENT = "cur", _("Reporting period")
        BASELINE = "BaselineYearMember", _("Baseline year")
        TARGET = "TargetYearMember", _("Target year")

    reporting_year = models.ForeignKey(
        ReportingYear, on_delete=models.CASCADE, related_name="facts", verbose_name=_("reporting year")
    )
    concept = models.CharField(_("concept"), max_length=255)
    dimensions = models.JSONField(_("dimensions"), default=dict, blank=True)
    dimensions_key = models.CharField(max_length=1000, default="{}", editable=False)
    period = models.CharField(_("period"), max_length=30, choices=Period.choices, default=Period.CURRENT)
    value = models.TextField(_("value"), blank=True)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    decimals = models.SmallIntegerField(_("decimals"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["concept", "period", "dimensions_key"]
        verbose_name = _("VSME fact")
        verbose_name_plural = _("VSME facts")
        constraints = [
            models.UniqueConstraint(
                fields=["reporting_year", "concept", "dimensions_key", "period"],
                name="one_vsme_fact_per_aspects",
            )
        ]

    def __str__(self) -> str:
        return f"{self.concept} = {self.value}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.dimensions_key = dimensions_key(self.dimensions)
        super().save(*args, **kwargs)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.concept, dimensions_key(self.dimensions), self.period)
