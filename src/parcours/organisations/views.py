from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.diagnoses.scoring import maturity_name
from parcours.diagnoses.selectors import diagnoses_of

from . import services
from .access import OrgAccess, org_view
from .forms import AcceptInvitationForm, InvitationForm, OrganisationProfileForm, RoleForm
from .models import Invitation
from .selectors import (
    activity_log,
    get_invitation,
    get_membership,
    organisation_consultants,
    organisation_members,
    organisation_open_invitations,
)
from .validators import department_region, regions


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@org_view("view_organisation")
def org_home(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    org = access.organisation
    diagnoses = list(diagnoses_of(org)[:20])
    latest = next((d for d in diagnoses if d.is_final), None)
    current = next((d for d in diagnoses if not d.is_final), None)
    region_names = {r["code"]: r["name"] for r in regions()}
    return render(
        request,
        "organisations/org_home.html",
        {
            "access": access,
            "nav": "home",
            "latest": latest,
            "latest_level_name": maturity_name(latest.maturity_level) if latest else "",
            "current": current,
            "consultants": organisation_consultants(org),
            "region_name": region_names.get(org.region, {}),
            "profile_incomplete": not (org.siren and org.nace_code and org.department),
        },
    )


@org_view("edit_profile")
def org_profile(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    org = access.organisation
    form = OrganisationProfileForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        # the ModelForm has already copied the data onto the instance: save through the service
        org.refresh_from_db()
        try:
            services.organisation_update_profile(actor=request.user, organisation=org, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("org_profile", org_slug=org.slug)
    return render(
        request,
        "organisations/profile.html",
        {"access": access, "nav": "profile", "form": form, "department_region": department_region()},
    )


@org_view("manage_members")
def members(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    return _members_page(request, access, InvitationForm())


def _members_page(
    request: HttpRequest, access: OrgAccess, form: InvitationForm, status: int = 200
) -> HttpResponse:
    org = access.organisation
    return render(
        request,
        "organisations/members.html",
        {
            "access": access,
            "nav": "members",
            "members": organisation_members(org),
            "invitations": organisation_open_invitations(org),
            "consultants": organisation_consultants(org),
            "form": form,
            "role_form": RoleForm(),
        },
        status=status,
    )


@org_view("manage_members")
@require_POST
def invite(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                actor=request.user,
                organisation=access.organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("members", org_slug=access.organisation.slug)
    return _members_page(request, access, form, status=400)


@org_view("manage_members")
@require_POST
def member_role(request: HttpRequest, access: OrgAccess, membership_id: int) -> HttpResponse:
    membership = get_membership(access.organisation, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles shown."))
    else:
        try:
            services.membership_change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Role updated."))
    return redirect("members", org_slug=access.organisation.slug)


@org_view("manage_members")
@require_POST
def member_remove(request: HttpRequest, access: OrgAccess, membership_id: int) -> HttpResponse:
    membership = get_membership(access.organisation, membership_id)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("%(email)s no longer has access.") % {"email": membership.user.email})
    return redirect("members", org_slug=access.organisation.slug)


@org_view("manage_members")
@require_POST
def invitation_revoke(request: HttpRequest, access: OrgAccess, invitation_id: int) -> HttpResponse:
    invitation = get_invitation(access.organisation, invitation_id)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("Invitation withdrawn."))
    return redirect("members", org_slug=access.organisation.slug)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent by e-mail. Signed-in people join at once; others create their account here."""
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    context: dict = {"invitation": invitation}
    if not invitation.is_open:
        return render(request, "organisations/invitation_closed.html", context, status=410)
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            context["wrong_account"] = True
            return render(request, "organisations/invitation_accept.html", context, status=403)
        if request.method == "POST":
            services.invitation_accept(invitation=invitation, user=user)
            messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.organisation.name})
            return redirect("org_home", org_slug=invitation.organisation.slug)
        return render(request, "organisations/invitation_accept.html", context)

    existing = get_user_model().objects.filter(email__iexact=invitation.email).exists()
    context["existing_account"] = existing
    form = AcceptInvitationForm(request.POST or None, email=invitation.email) if not existing else None
    if form is not None and request.method == "POST" and form.is_valid():
        new_user = get_user_model().objects.create_user(
            email=invitation.email,
            password=form.cleaned_data["password1"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            language=getattr(request, "LANGUAGE_CODE", "fr"),
        )
        services.invitation_accept(invitation=invitation, user=new_user)
        login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.organisation.name})
        return redirect("org_home", org_slug=invitation.organisation.slug)
    context["form"] = form
    return render(
        request, "organisations/invitation_accept.html", context, status=400 if form and form.errors else 200
    )


ACTIVITY_PAGE = 50


@org_view("view_activity")
def activity(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    """The organisation's audit log, newest first, read-only."""
    page = request.GET.get("page", "1")
    number = int(page) if page.isdigit() and int(page) > 0 else 1
    entries = list(
        activity_log(access.organisation)[(number - 1) * ACTIVITY_PAGE : number * ACTIVITY_PAGE + 1]
    )
    return render(
        request,
        "organisations/activity.html",
        {
            "access": access,
            "nav": "activity",
            "entries": [(e, _describe(e.changes)) for e in entries[:ACTIVITY_PAGE]],
            "page": number,
            "has_next": len(entries) > ACTIVITY_PAGE,
        },
    )


def _describe(changes: dict) -> list[tuple[str, str]]:
    """Readable "field: before → after" pairs from an audit entry's changes."""

    def show(value: object) -> str:
        return "—" if value in (None, "", []) else str(value)[:200]

    rows = []
    for key, value in changes.items():
        if isinstance(value, list) and len(value) == 2 and key not in ("domains",):
            rows.append((key, f"{show(value[0])} → {show(value[1])}"))
        else:
            rows.append((key, show(value)))
    return rows
