"""The signed-in landing page: every organisation and programme the person reaches."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from parcours.organisations.selectors import organisations_for_user
from parcours.programmes.models import StaffRole
from parcours.programmes.selectors import programmes_for_user
from parcours.programmes.services import can_create_programme


@login_required
def home(request: HttpRequest) -> HttpResponse:
    organisations = organisations_for_user(request.user)
    programmes = programmes_for_user(request.user)
    for p in programmes:
        p.role_name = StaffRole(p.role).label  # type: ignore[attr-defined]
    creator = can_create_programme(request.user)
    if len(organisations) == 1 and not programmes and not creator and organisations[0][1] != "consultant":
        return redirect("org_home", org_slug=organisations[0][0].slug)
    return render(
        request,
        "core/home.html",
        {
            "memberships": [(o, r) for o, r in organisations if r != "consultant"],
            "portfolio": [o for o, r in organisations if r == "consultant"],
            "programmes": programmes,
            "can_create_programme": creator,
        },
    )
