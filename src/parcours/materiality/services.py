"""Writes on stakeholders, materiality and surveys (audited)."""

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from parcours.organisations.models import Organisation
from parcours.organisations.services import audit_record

from .models import MaterialityRating, Stakeholder, Survey, SurveyResponse

STAKEHOLDER_FIELDS = (
    "group",
    "name",
    "examples",
    "expectations",
    "influence",
    "dependence",
    "engagement",
    "frequency",
)


@transaction.atomic
def stakeholder_save(
    *, actor: Any, organisation: Organisation, data: dict[str, Any], stakeholder: Stakeholder | None = None
) -> Stakeholder:
    created = stakeholder is None
    stakeholder = stakeholder or Stakeholder(organisation=organisation)
    changes = {
        f: [getattr(stakeholder, f, None), data[f]]
        for f in STAKEHOLDER_FIELDS
        if f in data and getattr(stakeholder, f, None) != data[f]
    }
    for field in STAKEHOLDER_FIELDS:
        if field in data:
            setattr(stakeholder, field, data[field])
    stakeholder.full_clean()
    stakeholder.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        action="stakeholder.created" if created else "stakeholder.updated",
        obj=stakeholder,
        changes=changes,
    )
    return stakeholder


@transaction.atomic
def stakeholder_delete(*, actor: Any, stakeholder: Stakeholder) -> None:
    audit_record(
        actor=actor,
        organisation=stakeholder.organisation,
        action="stakeholder.deleted",
        obj=stakeholder,
        changes={"name": stakeholder.name},
    )
    stakeholder.delete()


@transaction.atomic
def materiality_set(
    *,
    actor: Any,
    organisation: Organisation,
    domain_key: str,
    relevant: bool,
    reason: str = "",
    significance: int | None = None,
    impact: int | None = None,
    raised_by: list[Stakeholder] | None = None,
) -> MaterialityRating:
    reason = reason.strip()
    if not relevant and not reason:
        raise ValidationError({"reason": _("Say why this domain is not relevant to your organisation.")})
    for value in (significance, impact):
        if value is not None and not 1 <= value <= 4:
            raise ValidationError(_("Ratings go from 1 to 4."))
    if raised_by and any(s.organisation_id != organisation.pk for s in raised_by):
        raise ValidationError(_("Unknown stakeholder."))
    rating, _created = MaterialityRating.objects.get_or_create(
        organisation=organisation, domain_key=domain_key
    )
    before = {
        "relevant": rating.relevant,
        "reason": rating.reason,
        "significance": rating.significance,
        "impact": rating.impact,
    }
    rating.relevant, rating.reason = relevant, reason if not relevant else ""
    rating.significance, rating.impact, rating.updated_by = significance, impact, actor
    rating.save()
    if raised_by is not None:
        rating.raised_by.set(raised_by)
    after = {
        "relevant": rating.relevant,
        "reason": rating.reason,
        "significance": significance,
        "impact": impact,
    }
    audit_record(
        actor=actor,
        organisation=organisation,
        action="materiality.set",
        obj=rating,
        changes={"domain": domain_key, **{k: [before[k], v] for k, v in after.items() if before[k] != v}},
    )
    return rating


@transaction.atomic
def survey_create(
    *,
    actor: Any,
    organisation: Organisation,
    title: str,
    group: str,
    domain_keys: list[str],
    expires_at: Any,
    max_responses: int,
) -> Survey:
    if not domain_keys:
        raise ValidationError({"domain_keys": _("Choose at least one domain to ask about.")})
    survey = Survey(
        organisation=organisation,
        title=title,
        group=group,
        domain_keys=domain_keys,
        expires_at=expires_at,
        max_responses=max_responses,
        created_by=actor,
    )
    survey.full_clean()
    survey.save()
    audit_record(
        actor=actor, organisation=organisation, action="survey.created", obj=survey, changes={"title": title}
    )
    return survey


class SurveyClosed(Exception):
    pass


def respondent_hash(survey: Survey, browser_id: str) -> str:
    return hashlib.sha256(f"{survey.token}:{browser_id}".encode()).hexdigest()


def survey_answer(*, survey: Survey, browser_id: str, ratings: dict[str, int]) -> SurveyResponse:
    """Record one anonymous answer. Refused when the link expired, the survey is full, or
    this browser already answered; ratings outside the survey's domains are ignored."""
    if not survey.is_open:
        raise SurveyClosed(_("This survey is closed."))
    clean = {k: int(v) for k, v in ratings.items() if k in survey.domain_keys and int(v) in (0, 1, 2, 3)}
    if not clean:
        raise ValidationError(_("Rate at least one topic before sending."))
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.responses.count() >= locked.max_responses:
            raise SurveyClosed(_("This survey has received all the answers it can take. Thank you."))
        try:
            with transaction.atomic():
                return SurveyResponse.objects.create(
                    survey=locked, respondent=respondent_hash(locked, browser_id), ratings=clean
                )
        except IntegrityError as exc:
            raise SurveyClosed(_("You have already answered this survey. Thank you.")) from exc
