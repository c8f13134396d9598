"""Building documents: PDF (WeasyPrint), XLSX (openpyxl), CSV and JSON."""

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parcours.actions.models import Action
from parcours.actions.selectors import actions_of
from parcours.core import charts
from parcours.core.i18n import tr
from parcours.diagnoses.models import Diagnosis
from parcours.diagnoses.results import results_context
from parcours.evidence.models import Evidence
from parcours.materiality.selectors import materiality_rows, stakeholders_of
from parcours.organisations.models import Organisation
from parcours.organisations.validators import regions


def _profile(org: Organisation) -> dict[str, Any]:
    region = next((r for r in regions() if r["code"] == org.region), None)
    return {"org": org, "region_name": tr(region["name"]) if region else ""}


def diagnosis_report_html(diagnosis: Diagnosis, language: str) -> str:
    with translation.override(language):
        context = results_context(diagnosis)
        org = diagnosis.organisation
        rows = materiality_rows(org)
        points = [
            charts.Point(
                r.domain.clause, r.gap, r.rating.significance, f"{r.domain.clause} {tr(r.domain.title)}"
            )
            for r in rows
            if r.relevant and r.rating and r.rating.significance and r.gap is not None
        ]
        matrix = (
            charts.matrix(
                points,
                title=_("Materiality matrix"),
                x_label=_("Gap to good practice (100 − domain score)"),
                y_label=_("Significance (1–4)"),
            )
            if points
            else ""
        )
        state = context["state"]
        files: dict[int, list[Evidence]] = {}
        for f in Evidence.objects.filter(answer__diagnosis=diagnosis).order_by("uploaded_at"):
            files.setdefault(f.answer_id or 0, []).append(f)
        annex = []
        for csp in state.core_subjects:
            for dp in csp.domains:
                items = []
                for q in dp.questions:
                    answer = state.answers.get(q.pk)
                    level = answer.level if answer else None
                    items.append(
                        {
                            "question": tr(q.text),
                            "answer": answer,
                            "level_text": tr(q.levels[level]) if level is not None else "",
                            "files": files.get(answer.pk, []) if answer else [],
                        }
                    )
                annex.append({"dp": dp, "items": items})
        context.update(
            _profile(org)
            | {
                "language": language,
                "generated_at": timezone.now(),
                "matrix": matrix,
                "materiality": rows,
                "stakeholders": list(stakeholders_of(org)),
                "actions": list(actions_of(org)),
                "action_files": list(
                    Evidence.objects.filter(action__organisation=org).select_related("action")
                ),
                "annex": annex,
            }
        )
        return render_to_string("reports/diagnosis_report.html", context)


def action_plan_html(org: Organisation, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "reports/action_plan.html",
            _profile(org)
            | {"actions": list(actions_of(org)), "generated_at": timezone.now(), "language": language},
        )


REPORT_CSS = Path(__file__).resolve().parent.parent / "core" / "static" / "parcours" / "report.css"


def html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    return bytes(HTML(string=html, base_url=None).write_pdf(stylesheets=[CSS(filename=str(REPORT_CSS))]))


def action_plan_xlsx(org: Organisation, language: str) -> bytes:
    """One sheet per core subject (an action sits under its first domain's), one row per action, ready to print."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    with translation.override(language):
        headers = [
            _("Action"),
            _("Domains"),
            _("Status"),
            _("Owner"),
            _("Start"),
            _("Due"),
            _("Budget (€)"),
            _("Progress (%)"),
            _("Indicator"),
            _("Baseline"),
            _("Target"),
            _("Expected effect"),
        ]
        widths = [40, 14, 12, 22, 11, 11, 11, 10, 30, 10, 10, 40]
        wb = Workbook()
        wb.remove(wb.active)
        groups: dict[str, tuple[str, list[Action]]] = {}
        for action in actions_of(org):
            domains = list(action.domains.all())
            cs = domains[0].core_subject if domains else None
            key = cs.key if cs else "none"
            title = f"{cs.clause} {cs.short_label}" if cs else _("Other")
            groups.setdefault(key, (title, []))[1].append(action)
        if not groups:
            groups["none"] = (_("Action plan"), [])
        for _key, (title, actions) in groups.items():
            ws = wb.create_sheet(re.sub(r"[\\/*?:\[\]]", "-", title)[:31].rstrip())  # Excel's limits
            ws.append([f"{org.name} — {_('Action plan')} — {title}"])
            ws["A1"].font = Font(bold=True, size=13)
            ws.append(headers)
            for cell in ws[2]:
                cell.font = Font(bold=True, color="FFFFFF")
                cell.fill = PatternFill("solid", fgColor="1F5FA8")
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            for a in actions:
                ws.append(
                    [
                        a.title,
                        ", ".join(d.clause for d in a.domains.all()),
                        a.get_status_display(),
                        a.owner.display_name if a.owner else "",
                        a.start_date,
                        a.due_date,
                        float(a.budget) if a.budget is not None else None,
                        a.progress,
                        a.indicator,
                        float(a.baseline) if a.baseline is not None else None,
                        float(a.target) if a.target is not None else None,
                        a.expected_effect,
                    ]
                )
            for i, width in enumerate(widths, start=1):
                ws.column_dimensions[get_column_letter(i)].width = width
            for row in ws.iter_rows(min_row=3):
                for cell in row:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                row[4].number_format = row[5].number_format = "DD/MM/YYYY"
            ws.freeze_panes = "A3"
            ws.print_title_rows = "2:2"
            ws.page_setup.orientation = "landscape"
            ws.page_setup.paperSize = ws.PAPERSIZE_A4
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.oddFooter.center.text = "&P / &N"
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()


def diagnosis_rows(diagnosis: Diagnosis, language: str) -> list[dict[str, Any]]:
    from parcours.diagnoses.selectors import diagnosis_state

    with translation.override(language):
        state = diagnosis_state(diagnosis)
        rows = []
        for csp in state.core_subjects:
            for dp in csp.domains:
                for q in dp.questions:
                    a = state.answers.get(q.pk)
                    rows.append(
                        {
                            "core_subject": csp.node.core_subject.clause,
                            "domain": dp.node.domain.clause,
                            "domain_title": tr(dp.node.domain.title),
                            "domain_relevant": dp.relevant,
                            "domain_score": dp.result.display if dp.result else None,
                            "question_key": q.key,
                            "question": tr(q.text),
                            "level": a.level if a else None,
                            "level_text": tr(q.levels[a.level]) if a and a.level is not None else "",
                            "not_applicable": bool(a and a.not_applicable),
                            "na_reason": a.na_reason if a else "",
                            "comment": a.comment if a else "",
                        }
                    )
        return rows


def diagnosis_csv(diagnosis: Diagnosis, language: str) -> str:
    rows = diagnosis_rows(diagnosis, language)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["question_key"], delimiter=";")
    writer.writeheader()
    for row in rows:
        # neutralise spreadsheet formulas in free text (CSV injection)
        writer.writerow(
            {k: ("'" + v if isinstance(v, str) and v[:1] in "=+-@" else v) for k, v in row.items()}
        )
    return "\ufeff" + out.getvalue()  # BOM: Excel opens UTF-8 correctly


def diagnosis_json(diagnosis: Diagnosis, language: str) -> str:
    from parcours.diagnoses.selectors import diagnosis_state

    state = diagnosis_state(diagnosis)
    data = {
        "organisation": {"name": diagnosis.organisation.name, "siren": diagnosis.organisation.siren},
        "diagnosis": {
            "id": diagnosis.pk,
            "status": diagnosis.status,
            "referential_version": diagnosis.referential_version.version,
            "size_band": diagnosis.size_band,
            "started_at": diagnosis.created_at.isoformat(),
            "completed_at": diagnosis.completed_at.isoformat() if diagnosis.completed_at else None,
        },
        "results": state.results.snapshot(),
        "answers": diagnosis_rows(diagnosis, language),
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
