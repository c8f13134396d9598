"""ISO 26000 as data. Every row belongs to one referential version, so a diagnosis keeps
pointing at the exact questions and levels it was answered on, whatever is loaded later."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.core.i18n import tr


class ReferentialVersion(models.Model):
    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.JSONField(_("title"), default=dict)
    source = models.TextField(_("source"), blank=True)
    structure_fingerprint = models.CharField(max_length=64)
    content_hash = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)
    is_current = models.BooleanField(_("current"), default=False)

    class Meta:
        verbose_name = _("referential version")
        verbose_name_plural = _("referential versions")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="one_current_referential"
            )
        ]

    def __str__(self) -> str:
        return self.version


class Principle(models.Model):
    class Kind(models.TextChoices):
        PRINCIPLE = "principle", _("principle")
        PRACTICE = "practice", _("fundamental practice")

    version = models.ForeignKey(ReferentialVersion, on_delete=models.CASCADE, related_name="principles")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=40)
    clause = models.CharField(max_length=10)
    title = models.JSONField(default=dict)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "kind", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_principle_key")]

    def __str__(self) -> str:
        return f"{self.clause} {tr(self.title)}"


class CoreSubject(models.Model):
    version = models.ForeignKey(ReferentialVersion, on_delete=models.CASCADE, related_name="core_subjects")
    key = models.CharField(max_length=60)
    clause = models.CharField(max_length=10)
    title = models.JSONField(default=dict)
    short_title = models.JSONField(default=dict)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("core subject")
        verbose_name_plural = _("core subjects")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_core_subject_key")]

    def __str__(self) -> str:
        return f"{self.clause} {tr(self.title)}"

    @property
    def label(self) -> str:
        return tr(self.title)

    @property
    def short_label(self) -> str:
        return tr(self.short_title) or tr(self.title)


class Domain(models.Model):
    """An ISO 26000 issue ("domaine d'action"), or 6.2 assessed as a domain of its own."""

    version = models.ForeignKey(ReferentialVersion, on_delete=models.CASCADE, related_name="domains")
    core_subject = models.ForeignKey(CoreSubject, on_delete=models.CASCADE, related_name="domains")
    key = models.CharField(max_length=20)
    clause = models.CharField(max_length=10)
    issue_no = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.JSONField(default=dict)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_domain_key")]

    def __str__(self) -> str:
        return f"{self.clause} {tr(self.title)}"

    @property
    def label(self) -> str:
        return tr(self.title)


class Question(models.Model):
    """A diagnosis question with five levels (0 to 4), each an observable practice."""

    class SizeBand(models.TextChoices):
        MICRO = "micro", _("micro (fewer than 10 people)")
        SMALL = "small", _("small (10 to 49 people)")
        MEDIUM = "medium", _("medium (50 to 249 people)")

    version = models.ForeignKey(ReferentialVersion, on_delete=models.CASCADE, related_name="questions")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="questions")
    key = models.CharField(max_length=80)
    text = models.JSONField(default=dict)
    why = models.JSONField(default=dict)
    evidence = models.JSONField(default=dict)
    levels = models.JSONField(default=list, help_text="five {fr, en} descriptors, level 0 to 4")
    size_bands = models.JSONField(default=list, blank=True, help_text="empty: every size")
    position = models.PositiveSmallIntegerField(default=0)

    MAX_LEVEL = 4

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_question_key")]

    def __str__(self) -> str:
        return self.key

    @property
    def label(self) -> str:
        return tr(self.text)

    def applies_to(self, size_band: str) -> bool:
        return not self.size_bands or size_band in self.size_bands

    def level_choices(self) -> list[tuple[int, str]]:
        return [(i, tr(text)) for i, text in enumerate(self.levels)]
