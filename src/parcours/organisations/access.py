"""The one place where who may do what in an organisation is decided.

Every tenant view is wrapped in ``org_view(capability)``: the organisation is resolved
once from the URL, an outsider gets 404 (the organisation's existence is not revealed),
a member whose role lacks the capability gets 403.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from .models import ConsultantAssignment, Membership, Organisation, Role

CONSULTANT = "consultant"

CAPABILITIES: dict[str, frozenset[str]] = {
    "view_organisation": frozenset({Role.OWNER, Role.EDITOR, Role.VIEWER, CONSULTANT}),
    "edit_diagnosis": frozenset({Role.OWNER, Role.EDITOR, CONSULTANT}),
    "complete_diagnosis": frozenset({Role.OWNER, Role.EDITOR, CONSULTANT}),
    "submit_diagnosis": frozenset({Role.OWNER, Role.EDITOR}),
    "review_diagnosis": frozenset({CONSULTANT}),
    "edit_actions": frozenset({Role.OWNER, Role.EDITOR, CONSULTANT}),
    "edit_materiality": frozenset({Role.OWNER, Role.EDITOR, CONSULTANT}),
    "edit_indicators": frozenset({Role.OWNER, Role.EDITOR, CONSULTANT}),
    "edit_profile": frozenset({Role.OWNER}),
    "manage_members": frozenset({Role.OWNER}),
    "view_activity": frozenset({Role.OWNER}),
}


@dataclass(frozen=True)
class OrgAccess:
    organisation: Organisation
    role: str

    def can(self, capability: str) -> bool:
        return self.role in CAPABILITIES[capability]

    @property
    def capabilities(self) -> frozenset[str]:
        return frozenset(c for c, roles in CAPABILITIES.items() if self.role in roles)


def access_organisation(user: Any, slug: str) -> OrgAccess:
    """The user's access to the organisation ``slug``; Http404 when they have none."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("organisation").filter(organisation__slug=slug, user=user).first()
    )
    if membership is not None:
        return OrgAccess(membership.organisation, membership.role)
    assignment = (
        ConsultantAssignment.objects.select_related("organisation")
        .filter(organisation__slug=slug, consultant=user)
        .first()
    )
    if assignment is not None:
        return OrgAccess(assignment.organisation, CONSULTANT)
    raise Http404


def org_view(capability: str) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability}")

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = access_organisation(request.user, org_slug)
            if not access.can(capability):
                raise PermissionDenied
            return view(request, access, *args, **kwargs)

        wrapper.required_capability = capability  # type: ignore[attr-defined]
        return wrapper

    return decorator
