"""Precomputed, anonymised benchmarks: one row per group of organisations (docs/benchmarks.md).

Rows are written only by ``services.recompute_benchmarks``; pages read them through the
selectors and never compute a quantile themselves.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.organisations.models import HeadcountBand
from parcours.programmes.models import Programme


class BenchmarkGroup(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HELD = "held", _("Held (previous figures kept)")
        SUPPRESSED = "suppressed", _("Suppressed (no figures)")

    class Reason(models.TextChoices):
        NONE = "", _("none")
        TOO_FEW = "too_few", _("Fewer than 5 validated diagnoses in this group")
        OVERLAP = "overlap", _("Too close to another published group")
        SINCE_LAST = "since_last", _("Changed by fewer than 5 diagnoses since its figures were withdrawn")

    VISIBLE = (Status.PUBLISHED, Status.HELD)

    key = models.CharField(_("group key"), max_length=80, unique=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="benchmark_groups",
        verbose_name=_("programme"),
    )
    sector = models.CharField(_("NACE section"), max_length=1, blank=True)
    size_band = models.CharField(_("headcount"), max_length=10, choices=HeadcountBand.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    reason = models.CharField(
        _("why no new figures"), max_length=12, choices=Reason.choices, blank=True, default=Reason.NONE
    )
    n = models.PositiveIntegerField(
        _("diagnoses behind the figures"), default=0, help_text=_("0 when the group is suppressed.")
    )
    stats = models.JSONField(
        _("figures"),
        default=dict,
        blank=True,
        help_text=_(
            "Number of scores, Q1, median and Q3 of the overall score, each core subject and domain."
        ),
    )
    published_ids = models.JSONField(
        _("diagnoses of the last publication"),
        default=list,
        blank=True,
        help_text=_("Sorted ids; kept while the group is held or suppressed, to check the next publication."),
    )
    computed_at = models.DateTimeField(_("last computed"))
    published_at = models.DateTimeField(_("figures published on"), null=True, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("benchmark group")
        verbose_name_plural = _("benchmark groups")

    def __str__(self) -> str:
        return self.key

    @property
    def is_visible(self) -> bool:
        return self.status in self.VISIBLE
