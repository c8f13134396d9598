from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parcours.diagnoses.scoring import maturity_level, maturity_name

from .selectors import get_programme_for_coordinator, programme_enrolments


@login_required
def programme_detail(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = get_programme_for_coordinator(request.user, programme_slug)
    rows = [
        {"enrolment": e, "level_name": maturity_name(maturity_level(getattr(e, "last_score", None)))}
        for e in programme_enrolments(programme)
    ]
    return render(request, "programmes/programme.html", {"programme": programme, "rows": rows})
