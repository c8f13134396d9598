import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from parcours.core import charts
from parcours.diagnoses.scoring import maturity_level, maturity_name
from parcours.organisations.models import HeadcountBand

from .models import Programme
from .selectors import get_programme_for_coordinator, programme_enrolments
from .stages import STAGES, stage_of, with_stages

SORTS = {
    "name": lambda r: r["enrolment"].organisation.name.lower(),
    "stage": lambda r: (-r["stage"], r["enrolment"].organisation.name.lower()),
    "score": lambda r: (-(r["enrolment"].last_score or -1), r["enrolment"].organisation.name.lower()),
}


Row = dict[str, Any]


def _rows(
    request: HttpRequest, programme_slug: str
) -> tuple[Programme, list[Row], list[Row], dict[str, str]]:
    programme = get_programme_for_coordinator(request.user, programme_slug)
    all_rows: list[Row] = []
    for e in with_stages(programme_enrolments(programme)):
        stage = stage_of(e)
        all_rows.append(
            {
                "enrolment": e,
                "stage": stage,
                "stage_name": str(STAGES[stage][1]),
                "level_name": maturity_name(maturity_level(getattr(e, "last_score", None))),
            }
        )
    filters = {
        "stage": request.GET.get("stage", ""),
        "size": request.GET.get("size", ""),
        "sort": request.GET.get("sort", "name") if request.GET.get("sort") in SORTS else "name",
    }
    rows = [
        r
        for r in all_rows
        if (not filters["stage"] or filters["stage"] == STAGES[r["stage"]][0])
        and (not filters["size"] or r["enrolment"].organisation.headcount_band == filters["size"])
    ]
    rows.sort(key=SORTS[filters["sort"]])
    return programme, all_rows, rows, filters


@login_required
def programme_detail(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme, all_rows, rows, filters = _rows(request, programme_slug)
    total = len(all_rows) or 1
    reached = [sum(1 for r in all_rows if r["stage"] >= i) for i in range(len(STAGES))]
    funnel = charts.bars(
        [
            charts.Bar(label=f"{name} ({n})", value=100 * n / total)
            for (_key, name), n in zip(STAGES, reached, strict=True)
        ],
        title=_(
            "How many companies reached each stage, as a share of the cohort; the table gives the figures."
        ),
    )
    return render(
        request,
        "programmes/programme.html",
        {
            "programme": programme,
            "rows": rows,
            "count": len(all_rows),
            "stages": STAGES,
            "funnel": funnel,
            "funnel_rows": list(zip(STAGES, reached, strict=True)),
            "filters": filters,
            "sizes": HeadcountBand.choices,
        },
    )


@login_required
def programme_csv(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme, _all, rows, _filters = _rows(request, programme_slug)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            _("Organisation"),
            _("Headcount"),
            _("Stage"),
            _("Diagnoses completed"),
            _("Latest completed"),
            _("Score / 1000"),
        ]
    )
    for r in rows:
        e = r["enrolment"]
        writer.writerow(
            [
                e.organisation.name,
                e.organisation.get_headcount_band_display(),
                r["stage_name"],
                getattr(e, "completed_count", 0),
                e.last_completed_at.date().isoformat() if getattr(e, "last_completed_at", None) else "",
                getattr(e, "last_score", None) if getattr(e, "last_score", None) is not None else "",
            ]
        )
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(programme.name)}-cohorte.csv"'
    return response
