from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.organisations.models import HeadcountBand, Organisation
from parcours.referential.models import Domain, Question, ReferentialVersion


class Diagnosis(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted to the consultant")
        COMPLETED = "completed", _("Completed (self-assessment)")
        VALIDATED = "validated", _("Validated by the consultant")

    FINAL = (Status.COMPLETED, Status.VALIDATED)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="diagnoses")
    referential_version = models.ForeignKey(ReferentialVersion, on_delete=models.PROTECT, related_name="+")
    size_band = models.CharField(
        _("size band"),
        max_length=10,
        choices=HeadcountBand.choices,
        help_text=_(
            "The organisation's headcount band when the diagnosis started; it decides which questions apply."
        ),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("started on"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed on"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(_("validated on"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overall_score = models.PositiveSmallIntegerField(_("overall score"), null=True, blank=True)
    maturity_level = models.PositiveSmallIntegerField(_("maturity level"), null=True, blank=True)
    results = models.JSONField(_("results at completion"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")
        indexes = [models.Index(fields=["organisation", "status", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.created_at:%Y-%m-%d}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL


class ReviewComment(models.Model):
    """A consultant's remark on one domain of a submitted diagnosis."""

    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="review_comments")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self) -> str:
        return f"{self.domain.key}: {self.text[:40]}"


class DomainAssessment(models.Model):
    """Whether a domain is relevant to the organisation; "not relevant" needs a reason."""

    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="domain_assessments")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    relevant = models.BooleanField(_("relevant"), default=True)
    reason = models.TextField(_("reason"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["diagnosis", "domain"], name="one_assessment_per_domain"),
            models.CheckConstraint(
                condition=models.Q(relevant=True) | ~models.Q(reason=""), name="not_relevant_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain} ({'relevant' if self.relevant else 'not relevant'})"


class Answer(models.Model):
    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    na_reason = models.TextField(_("why it does not apply"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    to_confirm = models.BooleanField(
        _("to confirm"),
        default=False,
        help_text=_("Carried over from the previous diagnosis, not yet confirmed."),
    )
    version = models.PositiveIntegerField(default=1, help_text="raised at every save, for optimistic locking")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["diagnosis", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__lte=4), name="level_0_to_4"
            ),
            models.CheckConstraint(
                condition=models.Q(not_applicable=False)
                | (models.Q(level__isnull=True) & ~models.Q(na_reason="")),
                name="na_needs_reason_and_no_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.key}: {'N/A' if self.not_applicable else self.level}"

    @property
    def is_answered(self) -> bool:
        return self.not_applicable or self.level is not None

    def scoring_value(self) -> int | str | None:
        return "na" if self.not_applicable else self.level
