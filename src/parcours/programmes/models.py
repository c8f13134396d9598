from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.organisations.models import Organisation


class Programme(models.Model):
    """A cohort of organisations following the path together, run by coordinators."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    operators = models.CharField(_("operators"), max_length=300, blank=True)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    region = models.CharField(_("region"), max_length=3, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="coordinated_programmes",
        blank=True,
        verbose_name=_("coordinators"),
    )
    organisations = models.ManyToManyField(Organisation, through="Enrolment", related_name="programmes")

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="enrolments")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="enrolments")
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["programme", "organisation"], name="one_enrolment")]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.programme}"
