import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.actions.models import Action
from parcours.diagnoses.models import Answer
from parcours.organisations.models import Organisation
from parcours.vsme.models import ReportingYear


class Evidence(models.Model):
    """A file that shows a practice or a figure: attached to an answer, an action, or a VSME
    disclosure of a reporting year.

    Stored outside the web root under a server-generated name; served only through a
    permission-checked view, always as a download."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="evidence")
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    reporting_year = models.ForeignKey(
        ReportingYear, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    disclosure = models.CharField(_("VSME disclosure"), max_length=10, blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answer__isnull=False)
                | models.Q(action__isnull=False)
                | models.Q(reporting_year__isnull=False),
                name="evidence_has_a_target",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @staticmethod
    def new_stored_name() -> str:
        return uuid.uuid4().hex
