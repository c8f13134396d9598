"""Writes on organisations and their people. Each records an audit entry."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import AuditEntry, Invitation, Membership, Organisation, Role


def audit_record(
    *,
    actor: Any,
    organisation: Organisation | None,
    action: str,
    obj: Any = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        organisation=organisation,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        changes=changes or {},
    )


def unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def organisation_create(*, owner: Any, name: str, **profile: Any) -> Organisation:
    org = Organisation(name=name.strip(), slug=profile.pop("slug", None) or unique_slug(name), **profile)
    org.full_clean()
    org.save()
    Membership.objects.create(organisation=org, user=owner, role=Role.OWNER)
    audit_record(
        actor=owner, organisation=org, action="organisation.created", obj=org, changes={"name": org.name}
    )
    return org


PROFILE_FIELDS = (
    "name",
    "siren",
    "nace_code",
    "headcount_band",
    "turnover_band",
    "region",
    "department",
    "activity",
)


@transaction.atomic
def organisation_update_profile(
    *, actor: Any, organisation: Organisation, data: dict[str, Any]
) -> Organisation:
    changes = {}
    for field in PROFILE_FIELDS:
        if field in data and getattr(organisation, field) != data[field]:
            changes[field] = [getattr(organisation, field), data[field]]
            setattr(organisation, field, data[field])
    if changes:
        organisation.full_clean()
        organisation.save()
        audit_record(
            actor=actor,
            organisation=organisation,
            action="organisation.updated",
            obj=organisation,
            changes=changes,
        )
    return organisation


@transaction.atomic
def invitation_create(*, actor: Any, organisation: Organisation, email: str, role: str) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(_("This person is already a member of the organisation."))
    Invitation.objects.filter(organisation=organisation, email=email, accepted_at__isnull=True).delete()
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, invited_by=actor
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        action="invitation.created",
        obj=invitation,
        changes={"email": email, "role": role},
    )
    link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[invitation.token])
    context = {"invitation": invitation, "link": link, "inviter": actor}
    with translation.override(getattr(actor, "language", None) or settings.LANGUAGE_CODE):
        subject = _("%(name)s invites you to %(organisation)s on Parcours") % {
            "name": actor.display_name,
            "organisation": organisation.name,
        }
        body = render_to_string("organisations/email/invitation.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: Any) -> Membership:
    if not invitation.is_open:
        raise ValidationError(_("This invitation has expired or was already used. Ask for a new one."))
    membership, created = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        actor=user,
        organisation=invitation.organisation,
        action="invitation.accepted",
        obj=membership,
        changes={"role": membership.role, "new": created},
    )
    return membership


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: Invitation) -> None:
    audit_record(
        actor=actor,
        organisation=invitation.organisation,
        action="invitation.revoked",
        obj=invitation,
        changes={"email": invitation.email},
    )
    invitation.delete()


def _last_owner(membership: Membership) -> bool:
    return (
        membership.role == Role.OWNER
        and Membership.objects.filter(organisation=membership.organisation, role=Role.OWNER).count() == 1
    )


@transaction.atomic
def membership_change_role(*, actor: Any, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    if role != Role.OWNER and _last_owner(membership):
        raise ValidationError(_("An organisation needs at least one owner: name another owner first."))
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        organisation=membership.organisation,
        action="membership.role_changed",
        obj=membership,
        changes={"user": membership.user.email, "role": [old, role]},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: Any, membership: Membership) -> None:
    if _last_owner(membership):
        raise ValidationError(_("An organisation needs at least one owner: name another owner first."))
    audit_record(
        actor=actor,
        organisation=membership.organisation,
        action="membership.removed",
        obj=membership,
        changes={"user": membership.user.email, "role": membership.role},
    )
    membership.delete()
