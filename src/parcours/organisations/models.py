import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_nace, validate_siren


class HeadcountBand(models.TextChoices):
    MICRO = "micro", _("Fewer than 10 people")
    SMALL = "small", _("10 to 49 people")
    MEDIUM = "medium", _("50 to 249 people")


class TurnoverBand(models.TextChoices):
    UNDER_2M = "lt2m", _("Less than €2 million")
    UNDER_10M = "lt10m", _("€2 to 10 million")
    UNDER_50M = "lt50m", _("€10 to 50 million")
    OVER_50M = "gte50m", _("€50 million or more")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[validate_siren])
    nace_code = models.CharField(_("NACE/NAF code"), max_length=6, blank=True, validators=[validate_nace])
    headcount_band = models.CharField(
        _("headcount"), max_length=10, choices=HeadcountBand.choices, default=HeadcountBand.SMALL
    )
    turnover_band = models.CharField(_("turnover"), max_length=10, choices=TurnoverBand.choices, blank=True)
    region = models.CharField(_("region"), max_length=3, blank=True)
    department = models.CharField(_("department"), max_length=3, blank=True)
    activity = models.TextField(_("activity"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.role})"


class ConsultantAssignment(models.Model):
    """A consultant sees exactly the organisations assigned to them (done by staff in the admin)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="consultant_assignments"
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultant_assignments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consultant assignment")
        verbose_name_plural = _("consultant assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "consultant"], name="one_assignment_per_consultant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultant} → {self.organisation}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def default_expiry() -> datetime:
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class AuditEntry(models.Model):
    """Who changed what, when, in which organisation. Written by services, never edited."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="audit_entries", null=True, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
