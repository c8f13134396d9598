"""Writes on public profiles. Each records an audit entry."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.actions.models import Action
from parcours.organisations.models import Organisation
from parcours.organisations.services import audit_record

from . import selectors
from .models import PublicProfile, PublicSlug
from .validators import clean_public_slug

FIELDS = (
    "public_slug",
    "commitments",
    "show_maturity",
    "show_validation",
    "show_core_subject_scores",
    "contact_email",
)


def _locked_profile(organisation: Organisation) -> PublicProfile | None:
    return PublicProfile.objects.select_for_update().filter(organisation=organisation).first()


def _remember_slug(slug: str, organisation: Organisation) -> None:
    PublicSlug.objects.get_or_create(slug=slug, defaults={"organisation": organisation})


@transaction.atomic
def public_profile_update(
    *,
    actor: Any,
    organisation: Organisation,
    data: dict[str, Any],
    actions: Sequence[Action] = (),
    indicators: list[dict[str, Any]] | None = None,
    vsme_figures: list[str] | None = None,
) -> PublicProfile:
    """Create or change the organisation's profile; the address is checked again here."""
    profile = _locked_profile(organisation)
    created = profile is None
    if profile is None:
        profile = PublicProfile(organisation=organisation, public_slug=selectors.default_slug(organisation))
    if "public_slug" in data and data["public_slug"] != profile.public_slug:
        data = {**data, "public_slug": clean_public_slug(data["public_slug"], organisation)}
    actions = list(actions)
    if len(actions) > PublicProfile.MAX_ACTIONS:
        raise ValidationError(_("Choose at most %(n)d actions.") % {"n": PublicProfile.MAX_ACTIONS})
    if any(
        a.organisation_id != organisation.pk or a.status not in PublicProfile.ACTION_STATUSES for a in actions
    ):
        raise ValidationError(_("Only actions of your own plan, done or in progress, can be shown."))
    indicators = list(indicators if indicators is not None else profile.indicators)
    if len(indicators) > PublicProfile.MAX_INDICATORS:
        raise ValidationError(_("Show at most %(n)d indicators.") % {"n": PublicProfile.MAX_INDICATORS})

    figures = list(vsme_figures if vsme_figures is not None else profile.vsme_figures)
    if len(figures) > PublicProfile.MAX_VSME_FIGURES:
        raise ValidationError(_("Show at most %(n)d figures.") % {"n": PublicProfile.MAX_VSME_FIGURES})
    if vsme_figures is not None:
        known = {f.key for f in selectors.chosen_figures(organisation, figures)}
        if any(key not in known for key in figures):
            raise ValidationError(_("Only figures of your own VSME indicators can be shown."))

    changes: dict[str, Any] = {}
    for name in FIELDS:
        if name in data and getattr(profile, name) != data[name]:
            changes[name] = [getattr(profile, name), data[name]]
            setattr(profile, name, data[name])
    if profile.indicators != indicators:
        changes["indicators"] = [profile.indicators, indicators]
        profile.indicators = indicators
    if profile.vsme_figures != figures:
        changes["vsme_figures"] = [profile.vsme_figures, figures]
        profile.vsme_figures = figures
    before = sorted(profile.actions.values_list("pk", flat=True)) if profile.pk else []
    after = sorted(a.pk for a in actions)
    if before != after:
        changes["actions"] = [before, after]
    if not created and not changes:
        return profile
    profile.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    profile.full_clean(exclude=["organisation"])
    try:
        with transaction.atomic():
            profile.save()
            _remember_slug(profile.public_slug, organisation)
    except IntegrityError:  # another organisation took the address at the same moment
        raise ValidationError(
            _("This address is used, or was used, by another organisation. Choose another one.")
        ) from None
    profile.actions.set(actions)
    audit_record(
        actor=actor,
        organisation=organisation,
        action="public_profile.created" if created else "public_profile.updated",
        obj=profile,
        changes=changes,
    )
    return profile


@transaction.atomic
def public_profile_publish(*, actor: Any, organisation: Organisation) -> PublicProfile:
    profile = _locked_profile(organisation)
    if profile is None:
        raise ValidationError(_("Save your profile before publishing it."), code="not_saved")
    if profile.published:
        return profile
    if selectors.public_content(profile).is_empty:
        raise ValidationError(
            _("Choose at least one thing to show (commitments, maturity level, actions…) before publishing."),
            code="empty",
        )
    profile.published, profile.published_at = True, timezone.now()
    profile.save(update_fields=["published", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        organisation=organisation,
        action="public_profile.published",
        obj=profile,
        changes={"public_slug": profile.public_slug},
    )
    return profile


@transaction.atomic
def public_profile_unpublish(*, actor: Any, organisation: Organisation) -> PublicProfile | None:
    profile = _locked_profile(organisation)
    if profile is None or not profile.published:
        return profile
    profile.published = False
    profile.save(update_fields=["published", "updated_at"])
    audit_record(
        actor=actor,
        organisation=organisation,
        action="public_profile.unpublished",
        obj=profile,
        changes={"public_slug": profile.public_slug},
    )
    return profile
