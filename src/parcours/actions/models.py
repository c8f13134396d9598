from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.core.i18n import tr
from parcours.organisations.models import Organisation
from parcours.referential.models import Domain


class Effort(models.TextChoices):
    LOW = "low", _("Low (a few days)")
    MEDIUM = "medium", _("Medium (a few weeks)")
    HIGH = "high", _("High (months, or outside help)")


class CostBand(models.TextChoices):
    NONE = "none", _("No direct cost")
    LT1K = "lt1k", _("Less than €1,000")
    K1_10K = "1k_10k", _("€1,000 to €10,000")
    GT10K = "gt10k", _("More than €10,000")


class ActionTemplate(models.Model):
    """An action of the catalogue, written for SMEs (loaded from data files)."""

    key = models.CharField(max_length=80, unique=True)
    domain_keys = models.JSONField(default=list, help_text="domain keys, the first is the main one")
    title = models.JSONField(default=dict)
    description = models.JSONField(default=dict)
    effort = models.CharField(max_length=10, choices=Effort.choices)
    cost_band = models.CharField(max_length=10, choices=CostBand.choices)
    expected_effect = models.JSONField(default=dict)
    indicator = models.JSONField(default=dict)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("catalogue action")
        verbose_name_plural = _("catalogue actions")

    def __str__(self) -> str:
        return tr(self.title)

    @property
    def label(self) -> str:
        return tr(self.title)


class Action(models.Model):
    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN_STATUSES = (Status.IDEA, Status.PLANNED, Status.IN_PROGRESS)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="actions")
    template = models.ForeignKey(
        ActionTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    domains = models.ManyToManyField(Domain, related_name="+", verbose_name=_("domains"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IDEA)
    budget = models.DecimalField(_("budget (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    expected_effect = models.TextField(_("expected effect"), blank=True)
    indicator = models.CharField(_("indicator"), max_length=300, blank=True)
    indicator_unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    version = models.PositiveIntegerField(default=1, help_text="raised at every save, for optimistic locking")
    reminder_sent_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [models.Index(fields=["organisation", "status", "due_date"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="action_progress_0_100"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.due_date and self.status in self.OPEN_STATUSES and self.due_date < timezone.localdate()
        )


class ActionReview(models.Model):
    """A dated progress note on an action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("date"), default=timezone.localdate)
    note = models.TextField(_("note"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    indicator_value = models.DecimalField(
        _("indicator value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = _("progress review")
        verbose_name_plural = _("progress reviews")
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="review_progress_0_100")
        ]

    def __str__(self) -> str:
        return f"{self.reviewed_on}: {self.progress}%"
