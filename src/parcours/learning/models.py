from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LearningProgress(models.Model):
    """One person's progress on one core subject's guidance (progress is personal, not per organisation)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning")
    core_subject = models.CharField(_("core subject"), max_length=60)
    domains_read = models.JSONField(default=list, blank=True)
    self_check_score = models.PositiveSmallIntegerField(null=True, blank=True)
    self_check_total = models.PositiveSmallIntegerField(null=True, blank=True)
    self_check_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("learning progress")
        verbose_name_plural = _("learning progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "core_subject"], name="one_progress_per_subject")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.core_subject}"
