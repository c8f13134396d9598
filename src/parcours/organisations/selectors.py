from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import AuditEntry, ConsultantAssignment, Invitation, Membership, Organisation


def organisations_for_user(user: Any) -> list[tuple[Organisation, str]]:
    """Every organisation the user reaches, with their role, in two queries."""
    rows = [
        (m.organisation, m.role)
        for m in Membership.objects.select_related("organisation")
        .filter(user=user)
        .order_by("organisation__name")
    ]
    rows += [
        (a.organisation, "consultant")
        for a in ConsultantAssignment.objects.select_related("organisation")
        .filter(consultant=user)
        .order_by("organisation__name")
    ]
    return rows


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.select_related("user").filter(organisation=organisation).order_by("user__email")


def organisation_open_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True)


def organisation_consultants(organisation: Organisation) -> QuerySet[ConsultantAssignment]:
    return ConsultantAssignment.objects.select_related("consultant").filter(organisation=organisation)


def get_membership(organisation: Organisation, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user"), organisation=organisation, pk=membership_id
    )


def get_invitation(organisation: Organisation, invitation_id: int) -> Invitation:
    return get_object_or_404(Invitation, organisation=organisation, pk=invitation_id)


def activity_log(organisation: Organisation) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(organisation=organisation).select_related("actor").order_by("-at", "-pk")


def organisation_has_consultant(organisation: Organisation) -> bool:
    return ConsultantAssignment.objects.filter(organisation=organisation).exists()
