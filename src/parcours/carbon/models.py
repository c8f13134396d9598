"""A quick carbon estimate of one VSME reporting year: activity data × emission factors.

The factors themselves are project data (``factors.py``, ``data/factors-<version>.yaml``);
the estimate records the version it computes with, the quantities entered and the factors
the company replaced, each with its justification. See docs/carbon.md.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parcours.vsme.models import ReportingYear

MAX_QUANTITY = Decimal("1000000000")  # above this a figure is taken for a unit mistake
MAX_FACTOR = Decimal("1000000")


class CarbonEstimate(models.Model):
    reporting_year = models.OneToOneField(
        ReportingYear,
        on_delete=models.CASCADE,
        related_name="carbon_estimate",
        verbose_name=_("reporting year"),
    )
    factor_set_version = models.CharField(_("version of the emission factors"), max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("carbon estimate")
        verbose_name_plural = _("carbon estimates")

    def __str__(self) -> str:
        return f"{self.reporting_year} — {self.factor_set_version}"


class ActivityEntry(models.Model):
    estimate = models.ForeignKey(
        CarbonEstimate, on_delete=models.CASCADE, related_name="entries", verbose_name=_("estimate")
    )
    activity = models.CharField(_("activity"), max_length=40)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=18,
        decimal_places=6,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_QUANTITY)],
    )
    unit = models.CharField(_("unit"), max_length=30)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recycled_share = models.DecimalField(
        _("recycled content (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        ordering = ["estimate", "activity"]
        verbose_name = _("activity data")
        verbose_name_plural = _("activity data")
        constraints = [
            models.UniqueConstraint(fields=["estimate", "activity"], name="one_carbon_entry_per_activity"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="carbon_quantity_not_negative"),
            models.CheckConstraint(
                condition=Q(recycled_share__isnull=True) | Q(recycled_share__gte=0, recycled_share__lte=100),
                name="carbon_recycled_share_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.quantity} {self.unit}"


class FactorOverride(models.Model):
    """A factor the company replaced for its estimate (a supplier's figure, a newer value…)."""

    estimate = models.ForeignKey(
        CarbonEstimate, on_delete=models.CASCADE, related_name="overrides", verbose_name=_("estimate")
    )
    factor_key = models.CharField(_("factor"), max_length=40)
    value = models.DecimalField(
        _("value"),
        max_digits=20,
        decimal_places=10,
        validators=[MaxValueValidator(MAX_FACTOR)],
    )
    unit = models.CharField(_("unit"), max_length=40)
    justification = models.TextField(_("justification"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["estimate", "factor_key"]
        verbose_name = _("replaced emission factor")
        verbose_name_plural = _("replaced emission factors")
        constraints = [
            models.UniqueConstraint(fields=["estimate", "factor_key"], name="one_carbon_override_per_factor"),
            models.CheckConstraint(condition=Q(value__gt=0), name="carbon_override_value_positive"),
            models.CheckConstraint(condition=~Q(justification=""), name="carbon_override_has_justification"),
        ]

    def __str__(self) -> str:
        return f"{self.factor_key} = {self.value} {self.unit}"
