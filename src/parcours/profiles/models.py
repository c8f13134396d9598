from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.actions.models import Action
from parcours.organisations.models import Organisation


class PublicProfile(models.Model):
    """The page an organisation may publish for its customers and candidates.

    Shows only what the owner ticked: never answers, evidence or scores left unticked.
    """

    MAX_ACTIONS = 6
    MAX_INDICATORS = 8
    MAX_VSME_FIGURES = 8
    ACTION_STATUSES = (Action.Status.DONE, Action.Status.IN_PROGRESS)

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="public_profile")
    public_slug = models.SlugField(_("public address"), max_length=60, unique=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    commitments = models.TextField(_("our commitments"), blank=True)
    show_maturity = models.BooleanField(_("show the maturity level"), default=False)
    show_validation = models.BooleanField(
        _("show the date of the last validated diagnosis and the consultant's name"), default=False
    )
    show_core_subject_scores = models.BooleanField(_("show the scores of the 7 core subjects"), default=False)
    actions = models.ManyToManyField(Action, blank=True, related_name="+", verbose_name=_("actions shown"))
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # [{"label": str, "value": str (a decimal), "unit": str, "year": int | None}], entered by the owner
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    # ["<year>|<concept>|<dimensions key>"]: VSME facts shown as they stand (vsme.display)
    vsme_figures = models.JSONField(_("figures from the VSME indicators"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("public profile")
        verbose_name_plural = _("public profiles")

    def __str__(self) -> str:
        return self.public_slug


class PublicSlug(models.Model):
    """Every public address an organisation has used: never given to another organisation,
    so that an old link can never lead to someone else's page (it redirects to the current
    address while the profile is published). Kept when the organisation is deleted."""

    slug = models.SlugField(max_length=60, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("public address used")
        verbose_name_plural = _("public addresses used")

    def __str__(self) -> str:
        return self.slug
