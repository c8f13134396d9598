"""What the results page shows, built once so the PDF report can reuse it."""

from typing import Any

from django.utils.translation import gettext as _

from parcours.core import charts
from parcours.core.i18n import tr
from parcours.referential import crosswalks

from . import scoring
from .models import Diagnosis
from .selectors import diagnosis_state, previous_completed


def results_context(diagnosis: Diagnosis) -> dict[str, Any]:
    state = diagnosis_state(diagnosis)
    results = state.results
    previous = previous_completed(diagnosis)
    prev = previous.results if previous else {}
    prev_cs = prev.get("core_subjects", {})
    prev_domains = prev.get("domains", {})

    cs_rows = []
    for csp in state.core_subjects:
        cs = csp.node.core_subject
        r = results.core_subjects[cs.key]
        before = prev_cs.get(cs.key)
        cs_rows.append(
            {
                "core_subject": cs,
                "score": r.display,
                "previous": before,
                "change": r.display - before if r.display is not None and before is not None else None,
                "domains": [
                    {
                        "dp": dp,
                        "score": dp.result.display if dp.result else None,
                        "previous": prev_domains.get(dp.node.domain.key),
                        "crosswalk": crosswalks.for_domain(dp.node.domain.clause),
                    }
                    for dp in csp.domains
                ],
            }
        )

    series = [charts.Series(_("This diagnosis"), [row["score"] for row in cs_rows])]
    if previous:
        series.append(
            charts.Series(
                _("Previous diagnosis (%(date)s)") % {"date": previous.completed_at.date().isoformat()}
                if previous.completed_at
                else "",
                [row["previous"] for row in cs_rows],
                colour=charts.PREVIOUS,
                dashed=True,
            )
        )
    radar = charts.radar(
        [row["core_subject"].short_label for row in cs_rows],
        series,
        title=_("Score by core subject, 0 to 100; the table below gives the figures."),
    )
    bar_rows = [
        charts.Bar(
            label=f"{d['dp'].node.domain.clause} {tr(d['dp'].node.domain.title)}",
            value=d["score"],
            note=_("not relevant") if not d["dp"].relevant else _("no answer yet"),
            group=f"{row['core_subject'].clause} {row['core_subject'].short_label}",
            previous=d["previous"],
        )
        for row in cs_rows
        for d in row["domains"]
    ]
    bars = charts.bars(bar_rows, title=_("Score by domain, 0 to 100; the table below gives the figures."))

    domains_by_key = {dp.node.domain.key: dp for dp in state.domains.values()}
    overall_change = (
        results.overall - previous.overall_score
        if previous and previous.overall_score is not None and results.overall is not None
        else None
    )
    return {
        "diagnosis": diagnosis,
        "state": state,
        "results": results,
        "level_name": scoring.maturity_name(results.maturity_level),
        "maturity_levels": scoring.MATURITY_LEVELS,
        "crosswalk_note": crosswalks.note(),
        "cs_rows": cs_rows,
        "radar": radar,
        "bars": bars,
        "strengths": [(domains_by_key[r.key], r.display) for r in results.strengths],
        "priorities": [(domains_by_key[r.key], r.display) for r in results.priorities],
        "previous": previous,
        "overall_change": overall_change,
        "excluded": [dp for dp in state.domains.values() if not dp.relevant],
    }


def progress_context(diagnosis: Diagnosis, baseline: Diagnosis) -> dict[str, Any]:
    """Two diagnoses side by side: change per core subject and domain, radar overlay."""
    now, before = diagnosis_state(diagnosis), diagnosis_state(baseline)
    cs_rows: list[dict[str, Any]] = []
    for csp in now.core_subjects:
        key = csp.node.core_subject.key
        a, b = now.results.core_subjects[key].display, before.results.core_subjects[key].display
        cs_rows.append({"core_subject": csp.node.core_subject, "now": a, "before": b, "change": _diff(a, b)})
    domain_rows: list[dict[str, Any]] = []
    for key, dp in now.domains.items():
        old = before.domains.get(key)
        a = dp.result.display if dp.result else None
        b = old.result.display if old and old.result else None
        domain_rows.append({"domain": dp.node.domain, "now": a, "before": b, "change": _diff(a, b)})
    domain_rows.sort(key=lambda r: (r["change"] is None, -(r["change"] or 0)))
    date_before = baseline.completed_at.date().isoformat() if baseline.completed_at else ""
    radar = charts.radar(
        [r["core_subject"].short_label for r in cs_rows],
        [
            charts.Series(_("This diagnosis"), [r["now"] for r in cs_rows]),
            charts.Series(
                _("Diagnosis of %(date)s") % {"date": date_before},
                [r["before"] for r in cs_rows],
                colour=charts.PREVIOUS,
                dashed=True,
            ),
        ],
        title=_("Scores by core subject in both diagnoses; the table below gives the figures."),
    )
    return {
        "diagnosis": diagnosis,
        "baseline": baseline,
        "overall_now": now.results.overall,
        "overall_before": before.results.overall,
        "overall_change": _diff(now.results.overall, before.results.overall),
        "cs_rows": cs_rows,
        "domain_rows": domain_rows,
        "radar": radar,
    }


def _diff(a: int | None, b: int | None) -> int | None:
    return a - b if a is not None and b is not None else None
