"""Writes on action plans: audited, and guarded against silent overwrites."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.core.i18n import tr
from parcours.organisations.models import Organisation
from parcours.organisations.services import audit_record
from parcours.referential.models import Domain
from parcours.referential.selectors import current_version

from . import catalogue
from .models import Action, ActionReview, ActionTemplate

EDITABLE_FIELDS = (
    "title",
    "description",
    "owner",
    "start_date",
    "due_date",
    "status",
    "budget",
    "expected_effect",
    "indicator",
    "indicator_unit",
    "baseline",
    "target",
)


class StaleEdit(Exception):
    """Someone saved the action after this person opened it."""

    def __init__(self, current: Action) -> None:
        super().__init__("stale edit")
        self.current = current


@dataclass
class CatalogueLoad:
    created: int
    updated: int


@transaction.atomic
def catalogue_load() -> CatalogueLoad:
    actions = catalogue.read_catalogue()
    errors = catalogue.validate(actions)
    if errors:
        raise ValidationError(errors)
    created = updated = 0
    for position, a in enumerate(actions):
        _obj, was_created = ActionTemplate.objects.update_or_create(
            key=a["key"],
            defaults={
                "domain_keys": a["domains"],
                "title": a["title"],
                "description": a["description"],
                "effort": a["effort"],
                "cost_band": a["cost_band"],
                "expected_effect": a["expected_effect"],
                "indicator": a["indicator"],
                "position": position,
            },
        )
        created += was_created
        updated += not was_created
    return CatalogueLoad(created, updated)


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return str(value)
    return value


def _current_domains(keys: list[str]) -> list[Domain]:
    version = current_version()
    return list(Domain.objects.filter(version=version, key__in=keys)) if version else []


def _check_dates(start: date | None, due: date | None) -> None:
    if start and due and due < start:
        raise ValidationError({"due_date": _("The due date cannot be before the start date.")})


@transaction.atomic
def action_create(
    *,
    actor: Any,
    organisation: Organisation,
    data: dict[str, Any],
    domains: list[Domain],
    template: ActionTemplate | None = None,
) -> Action:
    _check_dates(data.get("start_date"), data.get("due_date"))
    if not domains:
        raise ValidationError({"domains": _("Choose at least one domain this action serves.")})
    action = Action(organisation=organisation, template=template, updated_by=actor)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(action, field, data[field])
    action.full_clean(exclude=["domains"])
    action.save()
    action.domains.set(domains)
    audit_record(
        actor=actor,
        organisation=organisation,
        action="action.created",
        obj=action,
        changes={"title": action.title, "template": template.key if template else None},
    )
    return action


def action_create_from_template(
    *, actor: Any, organisation: Organisation, template: ActionTemplate
) -> Action:
    data = {
        "title": tr(template.title)[:200],
        "description": tr(template.description),
        "expected_effect": tr(template.expected_effect),
        "indicator": tr(template.indicator)[:300],
        "status": Action.Status.IDEA,
    }
    return action_create(
        actor=actor,
        organisation=organisation,
        data=data,
        domains=_current_domains(template.domain_keys),
        template=template,
    )


@transaction.atomic
def action_update(
    *, actor: Any, action: Action, data: dict[str, Any], domains: list[Domain] | None, expected_version: int
) -> Action:
    current = Action.objects.select_for_update().get(pk=action.pk)
    if current.version != expected_version:
        raise StaleEdit(current)
    _check_dates(data.get("start_date", current.start_date), data.get("due_date", current.due_date))
    changes = {}
    for field in EDITABLE_FIELDS:
        if field in data and getattr(current, field) != data[field]:
            changes[field] = [_jsonable(getattr(current, field)), _jsonable(data[field])]
            setattr(current, field, data[field])
    if domains is not None:
        if not domains:
            raise ValidationError({"domains": _("Choose at least one domain this action serves.")})
        before = sorted(d.key for d in current.domains.all())
        after = sorted(d.key for d in domains)
        if before != after:
            changes["domains"] = [before, after]
            current.domains.set(domains)
    if "status" in changes:
        current.completed_on = timezone.localdate() if current.status == Action.Status.DONE else None
    if changes:
        current.version += 1
        current.updated_by = actor
        current.full_clean(exclude=["domains"])
        current.save()
        audit_record(
            actor=actor,
            organisation=current.organisation,
            action="action.updated",
            obj=current,
            changes=changes,
        )
    return current


def action_set_status(*, actor: Any, action: Action, status: str, expected_version: int) -> Action:
    if status not in Action.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    return action_update(
        actor=actor, action=action, data={"status": status}, domains=None, expected_version=expected_version
    )


@transaction.atomic
def review_add(
    *,
    actor: Any,
    action: Action,
    reviewed_on: date,
    note: str,
    progress: int,
    indicator_value: Decimal | None = None,
) -> ActionReview:
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progress is a percentage between 0 and 100.")})
    if not note.strip():
        raise ValidationError({"note": _("Write a short note on what was done.")})
    current = Action.objects.select_for_update().get(pk=action.pk)
    review = ActionReview.objects.create(
        action=current,
        reviewed_on=reviewed_on,
        note=note.strip(),
        progress=progress,
        indicator_value=indicator_value,
        author=actor,
    )
    current.progress = progress
    if current.status in (Action.Status.IDEA, Action.Status.PLANNED) and progress > 0:
        current.status = Action.Status.IN_PROGRESS
    current.version += 1
    current.updated_by = actor
    current.save()
    audit_record(
        actor=actor,
        organisation=current.organisation,
        action="action.reviewed",
        obj=current,
        changes={"progress": progress, "note": review.note, "indicator_value": _jsonable(indicator_value)},
    )
    return review
