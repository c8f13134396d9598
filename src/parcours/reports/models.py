import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.diagnoses.models import Diagnosis
from parcours.organisations.models import Organisation


class ReportJob(models.Model):
    """A document generated in the background; the file lives outside the web root."""

    class Kind(models.TextChoices):
        DIAGNOSIS_PDF = "diagnosis_pdf", _("Diagnosis report (PDF)")
        ACTION_PLAN_PDF = "action_plan_pdf", _("Action plan (PDF)")
        CUSTOMER_PACK = "customer_pack", _("Customer pack (ZIP)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being generated")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="report_jobs")
    diagnosis = models.ForeignKey(
        Diagnosis, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reporting_year = models.ForeignKey(
        "vsme.ReportingYear", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    language = models.CharField(max_length=2, choices=settings.LANGUAGES)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file_name = models.CharField(
        max_length=100, blank=True, help_text="server-generated name in PRIVATE_FILES_DIR"
    )
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def suffix(self) -> str:
        return ".zip" if self.kind == self.Kind.CUSTOMER_PACK else ".pdf"

    @property
    def content_type(self) -> str:
        return "application/zip" if self.kind == self.Kind.CUSTOMER_PACK else "application/pdf"

    @staticmethod
    def new_file_name(suffix: str) -> str:
        return f"{uuid.uuid4().hex}{suffix}"
