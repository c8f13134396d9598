from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.actions.models import Action
from parcours.organisations.models import Organisation, new_token


class StaffRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    CONSULTANT = "consultant", _("Consultant")
    FUNDER = "funder", _("Funder")
    OBSERVER = "observer", _("Observer")


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
    created_at = models.DateTimeField(auto_now_add=True, null=True)
    organisations = models.ManyToManyField(Organisation, through="Enrolment", related_name="programmes")

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        permissions = [("create_programme", _("Can create programmes and coordinate them"))]

    def __str__(self) -> str:
        return self.name


class ProgrammeStaff(models.Model):
    """Who runs or follows a programme: coordinators, consultants, funders and observers."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_roles"
    )
    role = models.CharField(_("role"), max_length=12, choices=StaffRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "user__email"]
        verbose_name = _("programme staff")
        verbose_name_plural = _("programme staff")
        constraints = [models.UniqueConstraint(fields=["programme", "user"], name="one_programme_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.programme} ({self.role})"


class Enrolment(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="enrolments")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="enrolments")
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programme_enrolments",
        verbose_name=_("consultant"),
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["programme", "organisation"], name="one_enrolment")]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.programme}"


def default_expiry() -> datetime:
    """Programme invitations stay open longer than a colleague's: companies take time to decide."""
    return timezone.now() + timedelta(days=30)


class ProgrammeInvitation(models.Model):
    """An invitation to join a programme: a company (it accepts and enrols) or a member of staff."""

    ORGANISATION = "organisation"
    KINDS = [(ORGANISATION, _("Company to enrol")), *StaffRole.choices]

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    kind = models.CharField(_("invited as"), max_length=12, choices=KINDS, default=ORGANISATION)
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("programme invitation")
        verbose_name_plural = _("programme invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.programme} ({self.kind})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.declined_at is None and self.expires_at > timezone.now()


class Step(models.Model):
    """One step of the programme's calendar."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training sessions")
        DIAGNOSIS = "diagnosis", _("Diagnosis window")
        WORKSHOP = "workshop", _("Collective workshops")
        PLAN = "plan", _("Action-plan deadline")
        REVIEW = "review", _("Final review")
        OTHER = "other", _("Other")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    """A training or a collective workshop, with attendance per person."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        WORKSHOP = "workshop", _("Workshop")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TRAINING)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=180)
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    materials = models.TextField(
        _("materials"), blank=True, help_text=_("Links to slides, handouts or recordings, one per line.")
    )
    core_subjects = models.JSONField(
        _("core subjects covered"),
        default=list,
        blank=True,
        help_text=_("Attending a training counts as trained on these core subjects."),
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.title

    @property
    def material_links(self) -> list[str]:
        return [line.strip() for line in self.materials.splitlines() if line.strip()]


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_attendance_per_person")]

    def __str__(self) -> str:
        return f"{self.user} at {self.session}"


class SharedPractice(models.Model):
    """An action a company chose to share with its cohorts (opt-in, withdrawable)."""

    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="shared_practice")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="shared_practices")
    title = models.CharField(_("title"), max_length=200)
    what_was_done = models.TextField(_("what was done"))
    result = models.TextField(_("result"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)
    copies = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-shared_at"]
        verbose_name = _("shared good practice")
        verbose_name_plural = _("shared good practices")

    def __str__(self) -> str:
        return self.title
