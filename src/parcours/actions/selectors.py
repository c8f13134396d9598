"""Reads for action plans: a fixed number of queries whatever the number of actions."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from parcours.diagnoses.models import Diagnosis
from parcours.diagnoses.selectors import diagnosis_state
from parcours.organisations.models import Organisation
from parcours.referential.models import Domain
from parcours.referential.selectors import current_version, referential_tree

from .models import Action, ActionReview, ActionTemplate


def get_action(organisation: Organisation, action_id: int) -> Action:
    return get_object_or_404(
        Action.objects.select_related("owner", "updated_by").prefetch_related("domains__core_subject"),
        organisation=organisation,
        pk=action_id,
    )


def get_template(key: str) -> ActionTemplate:
    return get_object_or_404(ActionTemplate, key=key)


def actions_of(organisation: Organisation, filters: dict[str, Any] | None = None) -> QuerySet[Action]:
    filters = filters or {}
    qs = (
        Action.objects.filter(organisation=organisation)
        .select_related("owner")
        .prefetch_related(Prefetch("domains", queryset=Domain.objects.select_related("core_subject")))
    )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("core_subject"):
        qs = qs.filter(domains__core_subject__key=filters["core_subject"]).distinct()
    if filters.get("owner"):
        qs = qs.filter(owner_id=filters["owner"])
    if filters.get("overdue"):
        qs = qs.filter(status__in=Action.OPEN_STATUSES, due_date__lt=timezone.localdate())
    return qs


def action_reviews(action: Action) -> QuerySet[ActionReview]:
    return ActionReview.objects.filter(action=action).select_related("author")


def board(
    organisation: Organisation, filters: dict[str, Any] | None = None
) -> list[tuple[str, str, list[Action]]]:
    columns: dict[str, list[Action]] = {s: [] for s in Action.Status.values}
    for action in actions_of(organisation, filters):
        columns[action.status].append(action)
    return [(value, str(label), columns[value]) for value, label in Action.Status.choices]


@dataclass
class Suggestion:
    domain: Domain
    score: int | None
    significance: int
    priority: float
    templates: list[ActionTemplate]


def latest_diagnosis(organisation: Organisation) -> Diagnosis | None:
    return (
        Diagnosis.objects.filter(organisation=organisation, status__in=Diagnosis.FINAL)
        .select_related("referential_version")
        .order_by("-completed_at")
        .first()
        or Diagnosis.objects.filter(organisation=organisation).select_related("referential_version").first()
    )


def suggestions(
    organisation: Organisation,
    significance: dict[str, int] | None = None,
    not_relevant: set[str] | None = None,
    limit: int = 10,
) -> list[Suggestion]:
    """Domains ranked by priority = significance (1–4) × gap (100 − score), with catalogue actions
    not yet in the plan. Without a materiality rating, significance counts as 2 (medium)."""
    significance = significance or {}
    diagnosis = latest_diagnosis(organisation)
    version = diagnosis.referential_version if diagnosis else current_version()
    if version is None:
        return []
    tree = referential_tree(version)
    scores: dict[str, int | None] = {}
    relevant: dict[str, bool] = {}
    if diagnosis is not None:
        state = diagnosis_state(diagnosis)
        for key, dp in state.domains.items():
            scores[key] = dp.result.display if dp.result else None
            relevant[key] = dp.relevant
    used = set(
        Action.objects.filter(organisation=organisation, template__isnull=False).values_list(
            "template__key", flat=True
        )
    )
    by_domain: dict[str, list[ActionTemplate]] = {}
    for template in ActionTemplate.objects.all():
        if template.key in used:
            continue
        for key in template.domain_keys[:1]:
            by_domain.setdefault(key, []).append(template)
    rows = []
    for key, node in tree.domains.items():
        if not relevant.get(key, True) or key in (not_relevant or set()) or not by_domain.get(key):
            continue
        score = scores.get(key)
        gap = 100 - score if score is not None else 50
        sig = significance.get(key, 2)
        rows.append(Suggestion(node.domain, score, sig, sig * gap, by_domain[key][:3]))
    rows.sort(key=lambda s: (-s.priority, s.domain.position))
    return rows[:limit]
