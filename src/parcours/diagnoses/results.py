"""What the results page shows, built once so the PDF report can reuse it."""

from typing import Any

from django.utils.translation import gettext as _

from parcours.core import charts
from parcours.core.i18n import tr

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
        "cs_rows": cs_rows,
        "radar": radar,
        "bars": bars,
        "strengths": [(domains_by_key[r.key], r.display) for r in results.strengths],
        "priorities": [(domains_by_key[r.key], r.display) for r in results.priorities],
        "previous": previous,
        "overall_change": overall_change,
        "excluded": [dp for dp in state.domains.values() if not dp.relevant],
    }
