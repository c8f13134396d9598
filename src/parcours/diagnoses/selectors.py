"""Reads for diagnoses: a fixed number of queries whatever the number of answers."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from parcours.organisations.models import Organisation
from parcours.referential.models import Question
from parcours.referential.selectors import CoreSubjectNode, DomainNode, Tree, referential_tree

from . import scoring
from .models import Answer, Diagnosis, DomainAssessment


def get_diagnosis(organisation: Organisation, diagnosis_id: int) -> Diagnosis:
    """A diagnosis of this organisation, or 404: ids of other organisations are never found."""
    return get_object_or_404(
        Diagnosis.objects.select_related("referential_version", "completed_by"),
        organisation=organisation,
        pk=diagnosis_id,
    )


def diagnoses_of(organisation: Organisation) -> QuerySet[Diagnosis]:
    return Diagnosis.objects.filter(organisation=organisation).select_related("completed_by", "started_by")


def previous_completed(diagnosis: Diagnosis) -> Diagnosis | None:
    qs = Diagnosis.objects.filter(
        organisation_id=diagnosis.organisation_id, status__in=Diagnosis.FINAL
    ).exclude(pk=diagnosis.pk)
    if diagnosis.completed_at:
        qs = qs.filter(completed_at__lt=diagnosis.completed_at)
    else:
        qs = qs.filter(created_at__lt=diagnosis.created_at)
    return qs.order_by("-completed_at").first()


@dataclass
class DomainProgress:
    node: DomainNode
    questions: list[Question]
    assessment: DomainAssessment | None
    answered: int
    result: scoring.DomainResult | None = None

    @property
    def relevant(self) -> bool:
        return self.assessment is None or self.assessment.relevant

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def done(self) -> bool:
        return not self.relevant or self.answered == self.total


@dataclass
class CoreSubjectProgress:
    node: CoreSubjectNode
    domains: list[DomainProgress] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(d.answered for d in self.domains if d.relevant)

    @property
    def total(self) -> int:
        return sum(d.total for d in self.domains if d.relevant)

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.answered / self.total)


@dataclass
class DiagnosisState:
    diagnosis: Diagnosis
    tree: Tree
    answers: dict[int, Answer]
    core_subjects: list[CoreSubjectProgress]
    domains: dict[str, DomainProgress]
    results: scoring.Results


def diagnosis_state(diagnosis: Diagnosis) -> DiagnosisState:
    """Everything a diagnosis page shows, in five queries."""
    tree = referential_tree(diagnosis.referential_version)
    answers = {a.question_id: a for a in Answer.objects.filter(diagnosis=diagnosis)}
    assessments = {a.domain_id: a for a in DomainAssessment.objects.filter(diagnosis=diagnosis)}
    cs_progress, domains, inputs = [], {}, []
    for cs in tree.core_subjects:
        csp = CoreSubjectProgress(cs)
        for node in cs.domains:
            questions = [q for q in node.questions if q.applies_to(diagnosis.size_band)]
            values = [answers[q.pk].scoring_value() if q.pk in answers else None for q in questions]
            dp = DomainProgress(
                node=node,
                questions=questions,
                assessment=assessments.get(node.domain.pk),
                answered=sum(1 for v in values if v is not None),
            )
            inputs.append(scoring.DomainInput(node.domain.key, cs.core_subject.key, dp.relevant, values))
            csp.domains.append(dp)
            domains[node.domain.key] = dp
        cs_progress.append(csp)
    results = scoring.score(inputs, [cs.core_subject.key for cs in tree.core_subjects])
    for key, dp in domains.items():
        dp.result = results.domains[key]
    return DiagnosisState(diagnosis, tree, answers, cs_progress, domains, results)


def actions_completed_between(organisation: Organisation, start: Any, end: Any) -> list[Any]:
    """Actions of the plan marked done between two dates (the plan lives in the actions app,
    which builds on diagnoses: imported here lazily to keep the dependency one way)."""
    from django.apps import apps

    action_model = apps.get_model("actions", "Action")
    return list(
        action_model.objects.filter(
            organisation=organisation, status="done", completed_on__gte=start, completed_on__lte=end
        ).order_by("completed_on")
    )
