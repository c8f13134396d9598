"""Who may do what in a programme, decided in one place (as organisations/access.py does for companies).

Every programme view is wrapped in ``programme_view(capability)``: the programme is resolved
from the URL; someone with no role in it gets 404 (its existence is not revealed); a role
lacking the capability gets 403. Coordinators see company names, but only in their own
programmes; consultants, funders and observers see aggregates only (consultants reach their
assigned companies through the companies' own pages).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from .models import Programme, ProgrammeStaff, StaffRole

ALL = frozenset(StaffRole.values)

PROGRAMME_CAPABILITIES: dict[str, frozenset[str]] = {
    "view_programme": ALL,
    "view_companies": frozenset({StaffRole.COORDINATOR}),
    "manage_programme": frozenset({StaffRole.COORDINATOR}),
    "record_attendance": frozenset({StaffRole.COORDINATOR}),
}


@dataclass(frozen=True)
class ProgrammeAccess:
    programme: Programme
    role: str

    def can(self, capability: str) -> bool:
        return self.role in PROGRAMME_CAPABILITIES[capability]

    @property
    def role_name(self) -> str:
        return str(StaffRole(self.role).label)

    @property
    def capabilities(self) -> frozenset[str]:
        return frozenset(c for c, roles in PROGRAMME_CAPABILITIES.items() if self.role in roles)


def access_programme(user: Any, slug: str) -> ProgrammeAccess:
    if not user.is_authenticated:
        raise Http404
    staff = ProgrammeStaff.objects.select_related("programme").filter(programme__slug=slug, user=user).first()
    if staff is None:
        raise Http404
    return ProgrammeAccess(staff.programme, staff.role)


def programme_view(
    capability: str,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    if capability not in PROGRAMME_CAPABILITIES:
        raise ValueError(f"unknown capability {capability}")

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, programme_slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = access_programme(request.user, programme_slug)
            if not access.can(capability):
                raise PermissionDenied
            return view(request, access, *args, **kwargs)

        wrapper.required_programme_capability = capability  # type: ignore[attr-defined]
        return wrapper

    return decorator
