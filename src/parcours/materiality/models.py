from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.organisations.models import Organisation, new_token

ONE_TO_FOUR = [MinValueValidator(1), MaxValueValidator(4)]


class Stakeholder(models.Model):
    class Group(models.TextChoices):
        CUSTOMERS = "customers", _("Customers")
        STAFF = "staff", _("Staff and their representatives")
        SUPPLIERS = "suppliers", _("Suppliers and subcontractors")
        OWNERS = "owners", _("Owners and shareholders")
        FINANCE = "finance", _("Banks and insurers")
        COMMUNITY = "community", _("Neighbours and local community")
        AUTHORITIES = "authorities", _("Public authorities")
        ASSOCIATIONS = "associations", _("Associations and NGOs")
        PEERS = "peers", _("Competitors and trade bodies")
        SCHOOLS = "schools", _("Schools and training bodies")
        OTHER = "other", _("Other")

    class Frequency(models.TextChoices):
        NEVER = "never", _("Not engaged yet")
        OCCASIONAL = "occasional", _("Occasionally")
        YEARLY = "yearly", _("Once a year")
        QUARTERLY = "quarterly", _("Every quarter")
        MONTHLY = "monthly", _("Every month or more")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="stakeholders")
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("e.g. “Key-account customers in the car industry”")
    )
    examples = models.CharField(_("examples"), max_length=300, blank=True)
    expectations = models.TextField(_("what they expect"), blank=True)
    influence = models.PositiveSmallIntegerField(
        _("influence on the company (1–4)"), validators=ONE_TO_FOUR, default=2
    )
    dependence = models.PositiveSmallIntegerField(
        _("dependence on the company (1–4)"), validators=ONE_TO_FOUR, default=2
    )
    engagement = models.CharField(_("how they are engaged"), max_length=300, blank=True)
    frequency = models.CharField(
        _("how often"), max_length=12, choices=Frequency.choices, default=Frequency.NEVER
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-influence", "-dependence", "name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")

    def __str__(self) -> str:
        return self.name


class MaterialityRating(models.Model):
    """Per domain: is it relevant, how significant, how strong the company's impact."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="materiality")
    domain_key = models.CharField(max_length=20)
    relevant = models.BooleanField(_("relevant"), default=True)
    reason = models.TextField(_("why it is not relevant"), blank=True)
    significance = models.PositiveSmallIntegerField(
        _("significance (1–4)"), null=True, blank=True, validators=ONE_TO_FOUR
    )
    impact = models.PositiveSmallIntegerField(
        _("the company's impact (1–4)"), null=True, blank=True, validators=ONE_TO_FOUR
    )
    raised_by = models.ManyToManyField(Stakeholder, blank=True, related_name="+", verbose_name=_("raised by"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("materiality rating")
        verbose_name_plural = _("materiality ratings")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "domain_key"], name="one_rating_per_domain"),
            models.CheckConstraint(
                condition=models.Q(relevant=True) | ~models.Q(reason=""), name="materiality_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.domain_key}"


def in_30_days() -> datetime:
    return timezone.now() + timedelta(days=30)


class Survey(models.Model):
    """A private link stakeholders use to rate the domains anonymously."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    group = models.CharField(
        _("stakeholder group"), max_length=20, choices=Stakeholder.Group.choices, blank=True
    )
    domain_keys = models.JSONField(default=list)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    expires_at = models.DateTimeField(_("closes on"), default=in_30_days)
    max_responses = models.PositiveIntegerField(_("maximum number of answers"), default=50)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("stakeholder survey")
        verbose_name_plural = _("stakeholder surveys")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.expires_at > timezone.now()


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.CharField(
        max_length=64, help_text="hash of a random browser id: one answer per respondent"
    )
    ratings = models.JSONField(default=dict, help_text="domain key → 0 (not important) to 3 (very important)")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "respondent"], name="one_answer_per_respondent")
        ]

    def __str__(self) -> str:
        return f"{self.survey} {self.submitted_at:%Y-%m-%d}"
