"""The funder synthesis of a programme: participation, progress along the path, aggregated
scores and their change, actions by core subject and status, attendance.

Everything is aggregated over the cohort and follows the benchmark's anonymity rules
(docs/benchmarks.md): no figure describes fewer than K companies; a count under K is shown
as "fewer than K"; scores only come from validated diagnoses.
"""

import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parcours.actions.models import Action
from parcours.benchmarks import engine
from parcours.benchmarks.engine import K
from parcours.core.i18n import tr
from parcours.diagnoses.models import Diagnosis
from parcours.organisations.models import HeadcountBand
from parcours.referential.models import CoreSubject
from parcours.referential.selectors import current_version

from .models import Attendance, Enrolment, Programme, Session
from .stages import funnel, funnel_chart, stage_of, staged


def quartiles(values: list[int]) -> tuple[int, int, int]:
    """Q1, median, Q3 computed exactly as the benchmarks compute them (docs/benchmarks.md)."""
    _counts, qs = engine.quartiles(np.array(values, dtype=np.float64).reshape(-1, 1))
    q1, median, q3 = engine.round_half_up(qs[:, 0]).astype(np.int64).tolist()
    return q1, median, q3


@dataclass
class Synthesis:
    programme: Programme
    generated_at: Any
    enrolled: int
    by_size: list[tuple[str, int | None]]
    funnel: list[tuple[str, int]]
    subjects: list[tuple[str, str]]
    latest: dict[str, tuple[int, int, int]] | None
    latest_n: int
    change: dict[str, tuple[int, int, int]] | None
    change_n: int
    actions: list[dict[str, Any]]
    action_statuses: list[tuple[str, str]]
    sessions: list[dict[str, Any]]
    k: int = K


def _subjects() -> list[tuple[str, str]]:
    return [
        (cs.key, f"{cs.clause} {tr(cs.short_title) or tr(cs.title)}")
        for cs in CoreSubject.objects.filter(version=current_version()).order_by("clause")
    ]


def build(programme: Programme) -> Synthesis:
    """Every figure of the synthesis, in a handful of queries whatever the cohort size."""
    enrolments = staged(Enrolment.objects.filter(programme=programme).select_related("organisation"))
    org_ids = [e.organisation_id for e in enrolments]
    n = len(enrolments)
    sizes = Counter(e.organisation.headcount_band for e in enrolments)
    by_size = [(str(label), sizes[key] if sizes[key] >= K else None) for key, label in HeadcountBand.choices]
    stages = [stage_of(e) for e in enrolments]
    reached = funnel(stages)

    subjects = _subjects()
    validated: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for org_id, results in (
        Diagnosis.objects.filter(organisation__in=org_ids, status=Diagnosis.Status.VALIDATED)
        .order_by("organisation", "validated_at", "pk")
        .values_list("organisation", "results")
    ):
        validated[org_id].append(results.get("core_subjects", {}))
    latest_scores = [d[-1] for d in validated.values()]
    pairs = [(d[0], d[-1]) for d in validated.values() if len(d) >= 2]

    def per_subject(rows: list[dict[str, Any]]) -> dict[str, tuple[int, int, int]]:
        out = {}
        for key, _label in subjects:
            values = [r[key] for r in rows if r.get(key) is not None]
            if len(values) >= K:
                out[key] = quartiles(values)
        return out

    latest = per_subject(latest_scores) if len(latest_scores) >= K else None
    change = None
    if len(pairs) >= K:
        change = {}
        for key, _label in subjects:
            deltas = [b[key] - a[key] for a, b in pairs if a.get(key) is not None and b.get(key) is not None]
            if len(deltas) >= K:
                change[key] = quartiles(deltas)

    statuses = [(key, str(label)) for key, label in Action.Status.choices]
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for subject_key, status, total in (
        Action.objects.filter(organisation__in=org_ids)
        .values_list("domains__core_subject__key", "status")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    ):
        if subject_key:
            counts[(subject_key, status)] += total
    show_actions = n >= K
    actions = [
        {
            "subject": label,
            "counts": [counts[(key, s)] if show_actions else None for s, _l in statuses],
            "total": sum(counts[(key, s)] for s, _l in statuses) if show_actions else None,
        }
        for key, label in subjects
    ]

    attendance: dict[int, Any] = {
        row["session"]: row
        for row in Attendance.objects.filter(session__programme=programme)
        .values("session")
        .annotate(people=Count("pk"), companies=Count("organisation", distinct=True))
    }
    sessions = [
        {
            "session": s,
            "people": attendance.get(s.pk, {}).get("people", 0),
            "companies": attendance.get(s.pk, {}).get("companies", 0),
        }
        for s in Session.objects.filter(programme=programme)
    ]
    return Synthesis(
        programme=programme,
        generated_at=timezone.now(),
        enrolled=n,
        by_size=by_size,
        funnel=reached,
        subjects=subjects,
        latest=latest,
        latest_n=len(latest_scores),
        change=change,
        change_n=len(pairs),
        actions=actions,
        action_statuses=statuses,
        sessions=sessions,
    )


def synthesis_html(programme: Programme, language: str) -> str:
    with translation.override(language):
        data = build(programme)
        chart = funnel_chart(data.funnel, data.enrolled)
        return render_to_string(
            "programmes/synthesis_report.html", {"s": data, "language": language, "funnel_chart": chart}
        )


def synthesis_xlsx(programme: Programme, language: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with translation.override(language):
        data = build(programme)
        wb = Workbook()
        bold = Font(bold=True)

        def sheet(title: str, header: list[str], rows: list[list[Any]], first: bool = False) -> None:
            ws = wb.active if first else wb.create_sheet()
            ws.title = title[:31]
            ws.append(header)
            for cell in ws[1]:
                cell.font = bold
            for row in rows:
                ws.append(row)
            for column in ws.columns:
                width = max(len(str(c.value or "")) for c in column)
                ws.column_dimensions[column[0].column_letter].width = min(max(12, width + 2), 60)

        fewer = _("fewer than %(k)s") % {"k": data.k}
        sheet(
            _("Participation"),
            [_("Headcount"), _("Companies")],
            [[_("All"), data.enrolled]]
            + [[label, v if v is not None else fewer] for label, v in data.by_size],
            first=True,
        )
        sheet(_("Path"), [_("Stage"), _("Companies")], [[name, n] for name, n in data.funnel])
        sheet(
            _("Scores"),
            [_("Core subject"), _("Q1"), _("Median"), _("Q3")],
            [
                [label, *(data.latest[key] if data.latest and key in data.latest else [fewer, "", ""])]
                for key, label in data.subjects
            ],
        )
        sheet(
            _("Change"),
            [_("Core subject"), _("Q1 of the change"), _("Median change"), _("Q3 of the change")],
            [
                [label, *(data.change[key] if data.change and key in data.change else [fewer, "", ""])]
                for key, label in data.subjects
            ],
        )
        sheet(
            _("Actions"),
            [_("Core subject"), *[label for _k, label in data.action_statuses], _("Total")],
            [
                [
                    a["subject"],
                    *[c if c is not None else fewer for c in a["counts"]],
                    a["total"] if a["total"] is not None else fewer,
                ]
                for a in data.actions
            ],
        )
        sheet(
            _("Attendance"),
            [_("Date"), _("Kind"), _("Session"), _("People present"), _("Companies present")],
            [
                [
                    timezone.localtime(s["session"].starts_at).strftime("%Y-%m-%d %H:%M"),
                    s["session"].get_kind_display(),
                    s["session"].title,
                    s["people"],
                    s["companies"],
                ]
                for s in data.sessions
            ],
        )
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
