"""Writes on diagnoses. Each checks the diagnosis is still open and records an audit entry."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.organisations.models import ConsultantAssignment, Organisation
from parcours.organisations.services import audit_record
from parcours.referential.models import Domain, Question
from parcours.referential.selectors import current_version

from .models import Answer, Diagnosis, DomainAssessment, ReviewComment
from .selectors import diagnosis_state


class StaleAnswer(Exception):
    """Someone else saved this answer after this person loaded it."""

    def __init__(self, current: Answer) -> None:
        super().__init__("stale answer")
        self.current = current


def _ensure_editable(diagnosis: Diagnosis) -> None:
    if not diagnosis.is_editable:
        raise ValidationError(
            _("This diagnosis is no longer open for changes (submitted, completed or validated)."),
            code="read_only",
        )


@transaction.atomic
def diagnosis_start(*, actor: Any, organisation: Organisation, carry_over: bool = False) -> Diagnosis:
    """Start a diagnosis on the current referential; with ``carry_over``, answers and
    relevance of the latest completed diagnosis are copied (matched by key) and marked
    "to confirm"."""
    version = current_version()
    if version is None:
        raise ValidationError(_("No referential is loaded yet: ask an administrator to load it."))
    if Diagnosis.objects.filter(
        organisation=organisation, status__in=(Diagnosis.Status.IN_PROGRESS, Diagnosis.Status.SUBMITTED)
    ).exists():
        raise ValidationError(
            _("A diagnosis is already in progress: complete it before starting another."), code="in_progress"
        )
    diagnosis = Diagnosis.objects.create(
        organisation=organisation,
        referential_version=version,
        size_band=organisation.headcount_band,
        started_by=actor,
    )
    carried = _carry_over(diagnosis) if carry_over else 0
    audit_record(
        actor=actor,
        organisation=organisation,
        action="diagnosis.started",
        obj=diagnosis,
        changes={"referential": version.version, "carried_over": carried},
    )
    return diagnosis


def _carry_over(diagnosis: Diagnosis) -> int:
    previous = (
        Diagnosis.objects.filter(organisation=diagnosis.organisation, status__in=Diagnosis.FINAL)
        .exclude(pk=diagnosis.pk)
        .order_by("-completed_at")
        .first()
    )
    if previous is None:
        return 0
    questions = {q.key: q for q in Question.objects.filter(version=diagnosis.referential_version)}
    domains = {d.key: d for d in Domain.objects.filter(version=diagnosis.referential_version)}
    answers = [
        Answer(
            diagnosis=diagnosis,
            question=questions[a.question.key],
            level=a.level,
            not_applicable=a.not_applicable,
            na_reason=a.na_reason,
            comment=a.comment,
            to_confirm=True,
        )
        for a in Answer.objects.filter(diagnosis=previous).select_related("question")
        if a.question.key in questions and questions[a.question.key].applies_to(diagnosis.size_band)
    ]
    Answer.objects.bulk_create(answers)
    DomainAssessment.objects.bulk_create(
        DomainAssessment(
            diagnosis=diagnosis, domain=domains[a.domain.key], relevant=a.relevant, reason=a.reason
        )
        for a in DomainAssessment.objects.filter(diagnosis=previous).select_related("domain")
        if a.domain.key in domains
    )
    return len(answers)


@transaction.atomic
def answer_save(
    *,
    actor: Any,
    diagnosis: Diagnosis,
    question: Question,
    level: int | None,
    not_applicable: bool = False,
    na_reason: str = "",
    comment: str = "",
    expected_version: int | None = None,
) -> Answer:
    """Save one answer. With ``expected_version`` (the version the person's page showed, 0
    when there was no answer yet), a save over someone else's newer answer raises StaleAnswer."""
    _ensure_editable(diagnosis)
    if question.version_id != diagnosis.referential_version_id or not question.applies_to(
        diagnosis.size_band
    ):
        raise ValidationError(_("This question is not part of this diagnosis."))
    na_reason, comment = na_reason.strip(), comment.strip()
    if not_applicable:
        if not na_reason:
            raise ValidationError({"na_reason": _("Say why this question does not apply to you.")})
        level = None
    else:
        na_reason = ""
        if level is not None and not 0 <= level < len(question.levels):
            raise ValidationError({"level": _("Choose one of the levels shown.")})
    answer = Answer.objects.select_for_update().filter(diagnosis=diagnosis, question=question).first()
    before = (
        {
            "level": answer.level,
            "not_applicable": answer.not_applicable,
            "na_reason": answer.na_reason,
            "comment": answer.comment,
        }
        if answer
        else {}
    )
    if expected_version is not None and (answer.version if answer else 0) != expected_version:
        raise StaleAnswer(answer or Answer(diagnosis=diagnosis, question=question, version=0))
    if answer is None:
        answer = Answer(diagnosis=diagnosis, question=question, version=0)
    answer.level, answer.not_applicable, answer.na_reason, answer.comment = (
        level,
        not_applicable,
        na_reason,
        comment,
    )
    answer.updated_by = actor
    after = {"level": level, "not_applicable": not_applicable, "na_reason": na_reason, "comment": comment}
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if changes or answer.pk is None or answer.to_confirm:
        answer.to_confirm = False
        answer.version += 1
        answer.save()
        audit_record(
            actor=actor,
            organisation=diagnosis.organisation,
            action="answer.saved",
            obj=answer,
            changes={"question": question.key, **changes},
        )
    return answer


@transaction.atomic
def domain_relevance_set(
    *, actor: Any, diagnosis: Diagnosis, domain: Domain, relevant: bool, reason: str = ""
) -> DomainAssessment:
    _ensure_editable(diagnosis)
    if domain.version_id != diagnosis.referential_version_id:
        raise ValidationError(_("This domain is not part of this diagnosis."))
    reason = reason.strip()
    if not relevant and not reason:
        raise ValidationError({"reason": _("Say why this domain is not relevant to your organisation.")})
    assessment, _created = DomainAssessment.objects.update_or_create(
        diagnosis=diagnosis,
        domain=domain,
        defaults={"relevant": relevant, "reason": reason if not relevant else "", "updated_by": actor},
    )
    audit_record(
        actor=actor,
        organisation=diagnosis.organisation,
        action="domain.relevance_set",
        obj=assessment,
        changes={"domain": domain.key, "relevant": relevant, "reason": assessment.reason},
    )
    return assessment


def _require_scores(diagnosis: Diagnosis) -> Any:
    """The diagnosis' state, once every core subject has a score."""
    state = diagnosis_state(diagnosis)
    missing = [
        cs.node.core_subject
        for cs in state.core_subjects
        if state.results.core_subjects[cs.node.core_subject.key].score is None
    ]
    if missing:
        raise ValidationError(
            _("Answer at least one question in each core subject before completing. Missing: %(list)s")
            % {"list": ", ".join(f"{cs.clause} {cs.label}" for cs in missing)},
            code="incomplete",
        )
    return state


def _freeze(diagnosis: Diagnosis, actor: Any, status: str, action: str) -> Diagnosis:
    state = _require_scores(diagnosis)
    diagnosis.status = status
    diagnosis.completed_at = timezone.now()
    diagnosis.completed_by = actor
    if status == Diagnosis.Status.VALIDATED:
        diagnosis.validated_at, diagnosis.validated_by = diagnosis.completed_at, actor
    diagnosis.overall_score = state.results.overall
    diagnosis.maturity_level = state.results.maturity_level
    diagnosis.results = state.results.snapshot()
    diagnosis.save()
    audit_record(
        actor=actor,
        organisation=diagnosis.organisation,
        action=action,
        obj=diagnosis,
        changes={"overall": diagnosis.overall_score, "completeness": state.results.completeness},
    )
    return diagnosis


@transaction.atomic
def diagnosis_complete(*, actor: Any, diagnosis: Diagnosis) -> Diagnosis:
    """A self-assessment: freeze the diagnosis and store its results."""
    diagnosis = Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)
    _ensure_editable(diagnosis)
    return _freeze(diagnosis, actor, Diagnosis.Status.COMPLETED, "diagnosis.completed")


@transaction.atomic
def diagnosis_submit(*, actor: Any, diagnosis: Diagnosis) -> Diagnosis:
    """The company hands the diagnosis to its consultant for review; answers are then frozen."""
    diagnosis = Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)
    _ensure_editable(diagnosis)
    if not ConsultantAssignment.objects.filter(organisation=diagnosis.organisation).exists():
        raise ValidationError(
            _(
                "No consultant is assigned to your organisation: complete the diagnosis as a self-assessment instead."
            )
        )
    _require_scores(diagnosis)
    diagnosis.status = Diagnosis.Status.SUBMITTED
    diagnosis.submitted_at, diagnosis.submitted_by = timezone.now(), actor
    diagnosis.save()
    audit_record(
        actor=actor, organisation=diagnosis.organisation, action="diagnosis.submitted", obj=diagnosis
    )
    return diagnosis


def _ensure_submitted(diagnosis: Diagnosis) -> None:
    if diagnosis.status != Diagnosis.Status.SUBMITTED:
        raise ValidationError(
            _("Only a diagnosis submitted for review can be reviewed."), code="not_submitted"
        )


@transaction.atomic
def review_comment_add(*, actor: Any, diagnosis: Diagnosis, domain: Domain, text: str) -> ReviewComment:
    _ensure_submitted(diagnosis)
    if domain.version_id != diagnosis.referential_version_id:
        raise ValidationError(_("This domain is not part of this diagnosis."))
    if not text.strip():
        raise ValidationError(_("Write your comment before saving it."))
    comment = ReviewComment.objects.create(
        diagnosis=diagnosis, domain=domain, author=actor, text=text.strip()
    )
    audit_record(
        actor=actor,
        organisation=diagnosis.organisation,
        action="diagnosis.review_comment",
        obj=diagnosis,
        changes={"domain": domain.key, "text": comment.text},
    )
    return comment


@transaction.atomic
def diagnosis_return(*, actor: Any, diagnosis: Diagnosis, note: str = "") -> Diagnosis:
    """The consultant sends the diagnosis back to the company to change answers."""
    diagnosis = Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)
    _ensure_submitted(diagnosis)
    diagnosis.status = Diagnosis.Status.IN_PROGRESS
    diagnosis.save(update_fields=["status"])
    audit_record(
        actor=actor,
        organisation=diagnosis.organisation,
        action="diagnosis.returned",
        obj=diagnosis,
        changes={"note": note.strip()},
    )
    return diagnosis


@transaction.atomic
def diagnosis_validate(*, actor: Any, diagnosis: Diagnosis) -> Diagnosis:
    """The consultant validates: the diagnosis is frozen with their name and the date."""
    diagnosis = Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)
    _ensure_submitted(diagnosis)
    diagnosis = _freeze(diagnosis, actor, Diagnosis.Status.VALIDATED, "diagnosis.validated")
    from parcours.benchmarks.tasks import recompute_benchmarks_task  # benchmarks read diagnoses

    transaction.on_commit(recompute_benchmarks_task.enqueue)
    return diagnosis
