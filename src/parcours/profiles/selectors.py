"""Reads for label readiness and public profiles: a fixed number of queries per page."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.formats import number_format

from parcours.actions.models import Action
from parcours.diagnoses import scoring
from parcours.diagnoses.models import Diagnosis
from parcours.organisations.models import Organisation
from parcours.referential.models import CoreSubject
from parcours.vsme.display import Figure, figure
from parcours.vsme.models import Fact

from .models import PublicProfile, PublicSlug


def latest_final_diagnosis(organisation: Organisation) -> Diagnosis | None:
    """The organisation's latest completed or validated diagnosis (label readiness reads it)."""
    return (
        Diagnosis.objects.filter(organisation=organisation, status__in=Diagnosis.FINAL)
        .select_related("referential_version", "validated_by", "completed_by")
        .order_by("-completed_at", "-pk")
        .first()
    )


def latest_validated_diagnosis(organisation: Organisation) -> Diagnosis | None:
    return (
        Diagnosis.objects.filter(organisation=organisation, status=Diagnosis.Status.VALIDATED)
        .select_related("validated_by")
        .order_by("-validated_at", "-pk")
        .first()
    )


def latest_completed_diagnosis(organisation: Organisation) -> Diagnosis | None:
    return (
        Diagnosis.objects.filter(organisation=organisation, status=Diagnosis.Status.COMPLETED)
        .order_by("-completed_at", "-pk")
        .first()
    )


def open_diagnosis(organisation: Organisation) -> Diagnosis | None:
    """The diagnosis in progress, where evidence files can still be attached to answers."""
    return (
        Diagnosis.objects.filter(organisation=organisation, status=Diagnosis.Status.IN_PROGRESS)
        .order_by("-created_at")
        .first()
    )


# --- public profile -------------------------------------------------------------------


def profile_of(organisation: Organisation) -> PublicProfile | None:
    return PublicProfile.objects.filter(organisation=organisation).first()


def slug_taken(slug: str, organisation: Organisation) -> bool:
    """Whether ``slug`` is, or once was, another organisation's public address, or is another
    organisation's own short name (so nobody can take a company's name before it does)."""
    return (
        PublicSlug.objects.filter(slug=slug).exclude(organisation=organisation).exists()
        or PublicProfile.objects.filter(public_slug=slug).exclude(organisation=organisation).exists()
        or Organisation.objects.filter(slug=slug).exclude(pk=organisation.pk).exists()
    )


def default_slug(organisation: Organisation) -> str:
    """The organisation's short name, or the first free variant of it."""
    base = organisation.slug[:55]
    slug, n = base, 2
    while slug_taken(slug, organisation):
        slug = f"{base}-{n}"
        n += 1
    return slug


def profile_or_default(organisation: Organisation) -> PublicProfile:
    """The saved profile, or an unsaved one with the defaults (nothing shown, not published)."""
    profile = profile_of(organisation)
    if profile is None:
        profile = PublicProfile(organisation=organisation, public_slug=default_slug(organisation))
    return profile


def selectable_actions(organisation: Organisation) -> QuerySet[Action]:
    """The actions an owner may show: done or in progress, in the organisation's own plan."""
    return Action.objects.filter(
        organisation=organisation, status__in=PublicProfile.ACTION_STATUSES
    ).order_by("status", "title", "pk")


def published_profile(public_slug: str) -> PublicProfile:
    """The published profile at this address; Http404 for any other (unpublished, unknown)."""
    profile = (
        PublicProfile.objects.select_related("organisation")
        .filter(public_slug=public_slug, published=True)
        .first()
    )
    if profile is None:
        raise Http404
    return profile


def current_slug_for_old(public_slug: str) -> str | None:
    """The current address of a published profile that once used ``public_slug``."""
    row = PublicSlug.objects.filter(slug=public_slug, organisation__isnull=False).first()
    if row is None or row.organisation_id is None:
        return None
    return (
        PublicProfile.objects.filter(organisation_id=row.organisation_id, published=True)
        .exclude(public_slug=public_slug)
        .values_list("public_slug", flat=True)
        .first()
    )


@dataclass
class PublicContent:
    """Exactly what the public page shows; the owner's preview renders the same object."""

    organisation_name: str
    commitments: str = ""
    basis: dict[str, Any] | None = None
    maturity: dict[str, Any] | None = None
    validation: dict[str, Any] | None = None
    core_subjects: list[dict[str, Any]] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    contact_email: str = ""
    published_at: datetime | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.commitments
            or self.maturity
            or self.validation
            or self.core_subjects
            or self.actions
            or self.indicators
            or self.contact_email
        )


def public_content(profile: PublicProfile) -> PublicContent:
    """What the profile shows, in the active language; only the items the owner chose."""
    org = profile.organisation
    content = PublicContent(
        organisation_name=org.name,
        commitments=profile.commitments.strip(),
        contact_email=profile.contact_email,
        indicators=[
            *format_figures(chosen_figures(org, profile.vsme_figures)),
            *format_indicators(profile.indicators),
        ],
        published_at=profile.published_at,
    )
    needs_basis = profile.show_maturity or profile.show_core_subject_scores
    validated = latest_validated_diagnosis(org) if (needs_basis or profile.show_validation) else None
    # the latest validated diagnosis, else the latest self-assessment: the page says which
    basis = validated or (latest_completed_diagnosis(org) if needs_basis else None)
    if needs_basis and basis is not None:
        content.basis = {
            "validated": basis.status == Diagnosis.Status.VALIDATED,
            "date": basis.validated_at or basis.completed_at,
        }
    if profile.show_maturity and basis is not None and basis.maturity_level:
        content.maturity = {
            "level": basis.maturity_level,
            "name": scoring.maturity_name(basis.maturity_level),
        }
    if profile.show_validation and validated is not None:
        who = validated.validated_by
        content.validation = {
            "date": validated.validated_at,
            # the consultant's name only, never their e-mail address
            "consultant": who.get_full_name() if who is not None else "",
        }
    if profile.show_core_subject_scores and basis is not None:
        scores = (basis.results or {}).get("core_subjects", {})
        content.core_subjects = [
            {"clause": cs.clause, "label": cs.label, "score": scores.get(cs.key)}
            for cs in CoreSubject.objects.filter(version_id=basis.referential_version_id).order_by("position")
            if cs.key in scores
        ]
    if profile.pk:
        content.actions = list(
            profile.actions.filter(organisation=org, status__in=PublicProfile.ACTION_STATUSES).order_by(
                "status", "title", "pk"
            )
        )
    return content


def format_indicators(rows: Any) -> list[dict[str, Any]]:
    """The stored indicator rows, with the value written the local way (1 234,5 in French)."""
    out = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict) or not row.get("label"):
            continue
        value = str(row.get("value", ""))
        try:
            shown = number_format(Decimal(value), use_l10n=True, force_grouping=True)
        except (InvalidOperation, ValueError):
            shown = value
        out.append(
            {"label": str(row["label"]), "value": shown, "unit": row.get("unit", ""), "year": row.get("year")}
        )
    return out


def vsme_figures(organisation: Organisation) -> list[Figure]:
    """Every number of the organisation's VSME reporting years (reporting period), latest
    year first, in label order: what the owner may pick for the public profile. One query."""
    facts = Fact.objects.filter(
        reporting_year__organisation=organisation, period=Fact.Period.CURRENT
    ).select_related("reporting_year")
    figures = [f for f in (figure(fact, fact.reporting_year.year) for fact in facts) if f is not None]
    return sorted(figures, key=lambda f: (-f.year, f.label.casefold()))


def chosen_figures(organisation: Organisation, keys: Any) -> list[Figure]:
    """The figures behind the stored keys, in the owner's order, as they stand now: a figure
    whose fact was deleted is left out. One query (none when nothing is chosen)."""
    wanted = [k for k in keys if isinstance(k, str) and k.count("|") >= 2] if isinstance(keys, list) else []
    if not wanted:
        return []
    years = {int(k.split("|", 1)[0]) for k in wanted if k.split("|", 1)[0].isdigit()}
    concepts = {k.split("|", 2)[1] for k in wanted}
    facts = Fact.objects.filter(
        reporting_year__organisation=organisation,
        reporting_year__year__in=years,
        concept__in=concepts,
        period=Fact.Period.CURRENT,
    ).select_related("reporting_year")
    found = {f.key: f for f in (figure(fact, fact.reporting_year.year) for fact in facts) if f is not None}
    return [found[k] for k in wanted if k in found]


def format_figures(figures: list[Figure]) -> list[dict[str, Any]]:
    return [
        {
            "label": f.label,
            "value": number_format(f.value, use_l10n=True, force_grouping=True),
            "unit": f.unit,
            "year": f.year,
            "from_vsme": True,
        }
        for f in figures
    ]
