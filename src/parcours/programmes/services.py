"""Writes on programmes: creation, calendar, invitations and enrolment, consultants, sessions,
attendance and shared good practices. Each records an audit entry."""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from parcours.actions.models import Action
from parcours.actions.services import action_create
from parcours.organisations.models import ConsultantAssignment, Membership, Organisation, Role
from parcours.organisations.services import audit_record

from .models import (
    Attendance,
    Enrolment,
    Programme,
    ProgrammeInvitation,
    ProgrammeStaff,
    Session,
    SharedPractice,
    StaffRole,
    Step,
)

STEP_FIELDS = ("kind", "title", "starts_on", "ends_on", "notes")
PRACTICE_FIELDS = ("title", "what_was_done", "result", "contact")
PROGRAMME_FIELDS = ("name", "operators", "funder", "region", "starts_on", "ends_on", "description")


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "programme"
    slug, n = base, 2
    while Programme.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _check_period(starts: date | None, ends: date | None, field: str = "ends_on") -> None:
    if starts and ends and ends < starts:
        raise ValidationError({field: _("The end date comes before the start date.")})


def can_create_programme(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm("programmes.create_programme"))


@transaction.atomic
def programme_create(*, actor: Any, data: dict[str, Any]) -> Programme:
    """A new programme; its creator becomes its first coordinator."""
    if not can_create_programme(actor):
        raise PermissionDenied
    _check_period(data.get("starts_on"), data.get("ends_on"))
    programme = Programme(slug=_unique_slug(data["name"]), **{f: data.get(f, "") for f in PROGRAMME_FIELDS})
    programme.full_clean()
    programme.save()
    ProgrammeStaff.objects.create(programme=programme, user=actor, role=StaffRole.COORDINATOR)
    audit_record(actor=actor, organisation=None, action="programme.created", obj=programme)
    return programme


@transaction.atomic
def programme_update(*, actor: Any, programme: Programme, data: dict[str, Any]) -> Programme:
    _check_period(data.get("starts_on"), data.get("ends_on"))
    for field in PROGRAMME_FIELDS:
        if field in data:
            setattr(programme, field, data[field])
    programme.full_clean()
    programme.save()
    audit_record(actor=actor, organisation=None, action="programme.updated", obj=programme)
    return programme


def staff_add(*, programme: Programme, user: Any, role: str) -> ProgrammeStaff:
    staff, _created = ProgrammeStaff.objects.update_or_create(
        programme=programme, user=user, defaults={"role": role}
    )
    return staff


@transaction.atomic
def staff_remove(*, actor: Any, staff: ProgrammeStaff) -> None:
    if (
        staff.role == StaffRole.COORDINATOR
        and not ProgrammeStaff.objects.filter(programme=staff.programme, role=StaffRole.COORDINATOR)
        .exclude(pk=staff.pk)
        .exists()
    ):
        raise ValidationError(_("A programme needs at least one coordinator."))
    if staff.role == StaffRole.CONSULTANT:
        for enrolment in Enrolment.objects.filter(programme=staff.programme, consultant=staff.user):
            consultant_assign(actor=actor, enrolment=enrolment, consultant=None)
    audit_record(
        actor=actor,
        organisation=None,
        action="programme.staff_removed",
        obj=staff.programme,
        changes={"user": staff.user.email, "role": staff.role},
    )
    staff.delete()


@transaction.atomic
def step_save(*, actor: Any, programme: Programme, data: dict[str, Any], step: Step | None = None) -> Step:
    _check_period(data.get("starts_on"), data.get("ends_on"))
    step = step or Step(programme=programme)
    for field in STEP_FIELDS:
        setattr(step, field, data.get(field) or ("" if field in ("title", "notes") else None))
    step.full_clean()
    step.save()
    return step


# Invitations and enrolment ------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *, actor: Any, programme: Programme, email: str, kind: str, company_name: str = ""
) -> ProgrammeInvitation:
    email = email.strip().lower()
    if kind not in dict(ProgrammeInvitation.KINDS):
        raise ValidationError(_("Choose how this person is invited."))
    if (
        kind != ProgrammeInvitation.ORGANISATION
        and ProgrammeStaff.objects.filter(programme=programme, user__email__iexact=email).exists()
    ):
        raise ValidationError(_("This person already has a role in the programme."))
    ProgrammeInvitation.objects.filter(
        programme=programme, email=email, kind=kind, accepted_at__isnull=True
    ).delete()
    invitation = ProgrammeInvitation.objects.create(
        programme=programme, email=email, kind=kind, company_name=company_name.strip(), invited_by=actor
    )
    audit_record(
        actor=actor,
        organisation=None,
        action="programme.invitation_created",
        obj=programme,
        changes={"email": email, "kind": kind, "company": invitation.company_name},
    )
    link = settings.SITE_URL.rstrip("/") + reverse("programme_invitation", args=[invitation.token])
    context = {"invitation": invitation, "link": link, "inviter": actor, "programme": programme}
    with translation.override(getattr(actor, "language", None) or settings.LANGUAGE_CODE):
        subject = _("%(name)s invites you to the programme “%(programme)s” on Parcours") % {
            "name": actor.display_name,
            "programme": programme.name,
        }
        body = render_to_string("programmes/email/invitation.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return invitation


def _ensure_open(invitation: ProgrammeInvitation) -> None:
    if not invitation.is_open:
        raise ValidationError(_("This invitation has expired or was already used. Ask for a new one."))


def organisations_user_can_enrol(user: Any) -> list[Organisation]:
    return list(
        Organisation.objects.filter(memberships__user=user, memberships__role=Role.OWNER).order_by("name")
    )


@transaction.atomic
def invitation_accept_company(
    *, invitation: ProgrammeInvitation, user: Any, organisation: Organisation
) -> Enrolment:
    """The company's owner accepts: the organisation joins the programme."""
    invitation = ProgrammeInvitation.objects.select_for_update().get(pk=invitation.pk)
    _ensure_open(invitation)
    if invitation.kind != ProgrammeInvitation.ORGANISATION:
        raise ValidationError(_("This invitation is not for a company."))
    if not Membership.objects.filter(organisation=organisation, user=user, role=Role.OWNER).exists():
        raise PermissionDenied
    enrolment, _created = Enrolment.objects.get_or_create(
        programme=invitation.programme, organisation=organisation
    )
    invitation.accepted_at = timezone.now()
    invitation.organisation = organisation
    invitation.save(update_fields=["accepted_at", "organisation"])
    audit_record(
        actor=user,
        organisation=organisation,
        action="programme.joined",
        obj=enrolment,
        changes={"programme": invitation.programme.name},
    )
    return enrolment


@transaction.atomic
def invitation_accept_staff(*, invitation: ProgrammeInvitation, user: Any) -> ProgrammeStaff:
    invitation = ProgrammeInvitation.objects.select_for_update().get(pk=invitation.pk)
    _ensure_open(invitation)
    if invitation.kind == ProgrammeInvitation.ORGANISATION:
        raise ValidationError(_("This invitation is for a company: choose the organisation that joins."))
    if user.email.lower() != invitation.email.lower():
        raise PermissionDenied
    staff = staff_add(programme=invitation.programme, user=user, role=invitation.kind)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        actor=user,
        organisation=None,
        action="programme.staff_joined",
        obj=invitation.programme,
        changes={"role": staff.role},
    )
    return staff


@transaction.atomic
def invitation_decline(*, invitation: ProgrammeInvitation, user: Any) -> None:
    _ensure_open(invitation)
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    audit_record(
        actor=user, organisation=None, action="programme.invitation_declined", obj=invitation.programme
    )


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: ProgrammeInvitation) -> None:
    audit_record(
        actor=actor,
        organisation=None,
        action="programme.invitation_revoked",
        obj=invitation.programme,
        changes={"email": invitation.email},
    )
    invitation.delete()


@transaction.atomic
def enrolment_end(*, actor: Any, enrolment: Enrolment) -> None:
    """The organisation leaves the programme (or the coordinator removes it).

    The consultant the programme had assigned loses access; the company's own data stays.
    """
    if enrolment.consultant_id:
        consultant_assign(actor=actor, enrolment=enrolment, consultant=None)
    audit_record(
        actor=actor,
        organisation=enrolment.organisation,
        action="programme.left",
        obj=enrolment,
        changes={"programme": enrolment.programme.name},
    )
    enrolment.delete()
    _enqueue_benchmarks()


def _enqueue_benchmarks() -> None:
    """A company leaving changes the programme's groups: republish (the rules still apply)."""
    from parcours.benchmarks.tasks import recompute_benchmarks_task

    transaction.on_commit(lambda: recompute_benchmarks_task.enqueue())


@transaction.atomic
def consultant_assign(*, actor: Any, enrolment: Enrolment, consultant: Any | None) -> Enrolment:
    """Give the company a consultant from the programme's pool (or none).

    The consultant gains access to the company through a ConsultantAssignment; the previous
    programme consultant loses it unless another of the company's programmes also assigned them.
    """
    if (
        consultant is not None
        and not ProgrammeStaff.objects.filter(
            programme=enrolment.programme, user=consultant, role=StaffRole.CONSULTANT
        ).exists()
    ):
        raise ValidationError(_("Choose one of the programme's consultants."))
    previous = enrolment.consultant
    if previous is not None and previous != consultant:
        still_needed = (
            Enrolment.objects.filter(organisation=enrolment.organisation, consultant=previous)
            .exclude(pk=enrolment.pk)
            .exists()
        )
        if not still_needed:
            ConsultantAssignment.objects.filter(
                organisation=enrolment.organisation, consultant=previous
            ).delete()
    if consultant is not None:
        ConsultantAssignment.objects.get_or_create(organisation=enrolment.organisation, consultant=consultant)
    enrolment.consultant = consultant
    enrolment.save(update_fields=["consultant"])
    audit_record(
        actor=actor,
        organisation=enrolment.organisation,
        action="programme.consultant_assigned",
        obj=enrolment,
        changes={"consultant": consultant.email if consultant else None},
    )
    return enrolment


# Sessions and attendance --------------------------------------------------------------------

SESSION_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "duration_minutes",
    "place",
    "link",
    "agenda",
    "materials",
    "core_subjects",
)


@transaction.atomic
def session_save(
    *, actor: Any, programme: Programme, data: dict[str, Any], session: Session | None = None
) -> Session:
    if not data.get("place") and not data.get("link"):
        raise ValidationError({"place": _("Give a place, an online link, or both.")})
    session = session or Session(programme=programme)
    for field in SESSION_FIELDS:
        if field in data:
            setattr(session, field, data[field])
    session.full_clean()
    session.save()
    audit_record(
        actor=actor,
        organisation=None,
        action="programme.session_saved",
        obj=session,
        changes={"title": session.title},
    )
    return session


@transaction.atomic
def attendance_set(*, actor: Any, session: Session, present: list[tuple[int, int]]) -> int:
    """Replace the session's attendance by ``present``: (organisation id, user id) pairs.

    Only people who are members of organisations enrolled in the programme can be recorded.
    """
    allowed = set(
        Membership.objects.filter(organisation__enrolments__programme=session.programme).values_list(
            "organisation_id", "user_id"
        )
    )
    wanted = set(present)
    if wanted - allowed:
        raise ValidationError(_("Only people of the programme's companies can be marked present."))
    existing = set(Attendance.objects.filter(session=session).values_list("organisation_id", "user_id"))
    removed = existing - wanted
    for org_id, user_id in removed:
        Attendance.objects.filter(session=session, organisation_id=org_id, user_id=user_id).delete()
    Attendance.objects.bulk_create(
        [
            Attendance(session=session, organisation_id=o, user_id=u, recorded_by=actor)
            for o, u in sorted(wanted - existing)
        ]
    )
    audit_record(
        actor=actor,
        organisation=None,
        action="programme.attendance_recorded",
        obj=session,
        changes={"present": len(wanted)},
    )
    return len(wanted)


# Good practices -----------------------------------------------------------------------------


@transaction.atomic
def practice_share(*, actor: Any, action: Action, data: dict[str, Any]) -> SharedPractice:
    practice = SharedPractice.objects.filter(action=action).first() or SharedPractice(
        action=action, organisation=action.organisation
    )
    for field in PRACTICE_FIELDS:
        setattr(practice, field, (data.get(field) or "").strip())
    practice.shared_by = actor
    practice.full_clean()
    practice.save()
    audit_record(
        actor=actor,
        organisation=action.organisation,
        action="practice.shared",
        obj=practice,
        changes={"title": practice.title},
    )
    return practice


@transaction.atomic
def practice_withdraw(*, actor: Any, practice: SharedPractice) -> None:
    audit_record(
        actor=actor,
        organisation=practice.organisation,
        action="practice.withdrawn",
        obj=practice,
        changes={"title": practice.title},
    )
    practice.delete()


@transaction.atomic
def practice_copy(*, actor: Any, practice: SharedPractice, organisation: Organisation) -> Action:
    """Copy a practice shared by another company of the cohort into this organisation's plan."""
    source = practice.action
    description = practice.what_was_done
    if practice.result:
        description += "\n\n" + _("Result at %(company)s: %(result)s") % {
            "company": practice.organisation.name,
            "result": practice.result,
        }
    action = action_create(
        actor=actor,
        organisation=organisation,
        data={
            "title": practice.title[:200],
            "description": description,
            "indicator": source.indicator,
            "indicator_unit": source.indicator_unit,
            "status": Action.Status.IDEA,
        },
        domains=list(source.domains.all()),
        template=source.template,
    )
    SharedPractice.objects.filter(pk=practice.pk).update(copies=F("copies") + 1)
    return action
