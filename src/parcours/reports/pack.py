"""The customer pack: one download for a key-account customer's CSR questionnaire.

A zip with the year's VSME digital template (XLSX) and its xBRL-JSON, the latest final
diagnosis report (PDF), the action plan (XLSX) and an index of the evidence the company can
show on request (the files themselves stay in Parcours: the customer asks for them)."""

import csv
import io
import json
import zipfile
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from parcours.carbon.selectors import CustomerFigures, customer_figures
from parcours.diagnoses.models import Diagnosis
from parcours.evidence.models import Evidence
from parcours.organisations.models import Organisation
from parcours.vsme.models import ReportingYear
from parcours.vsme.services import export_xbrl_json, export_xlsx

from .documents import action_plan_xlsx, diagnosis_report_html, html_to_pdf


def evidence_index_csv(organisation: Organisation, language: str) -> str:
    with translation.override(language):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow([_("File"), _("Shows"), _("Added on"), _("Size (kB)")])
        rows = Evidence.objects.filter(organisation=organisation).select_related(
            "answer__question__domain", "action", "reporting_year"
        )
        for e in rows.order_by("uploaded_at"):
            if e.action is not None:
                shows = _("Action: %(title)s") % {"title": e.action.title}
            elif e.reporting_year is not None:
                shows = _("Indicators %(year)s, disclosure %(code)s") % {
                    "year": e.reporting_year.year,
                    "code": e.disclosure,
                }
            elif e.answer is not None:
                shows = _("Diagnosis answer, domain %(clause)s") % {"clause": e.answer.question.domain.clause}
            else:
                shows = ""
            writer.writerow([e.original_name, shows, e.uploaded_at.date().isoformat(), round(e.size / 1024)])
        return "\ufeff" + out.getvalue()


def transport_packaging_csv(figures: CustomerFigures, language: str) -> str:
    """Freight by mode and packaging by material, this year and the previous one."""

    def plain(value: Decimal | None) -> str:
        return (
            ""
            if value is None
            else format(value.normalize(), "f").replace(".", "," if language == "fr" else ".")
        )

    with translation.override(language):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        before, now = figures.year - 1, figures.year
        writer.writerow(
            [
                _("Figure"),
                _("Unit"),
                str(before),
                _("Recycled %(year)s (%%)") % {"year": before},
                str(now),
                _("Recycled %(year)s (%%)") % {"year": now},
            ]
        )
        for f in [*figures.freight, *figures.packaging]:
            writer.writerow(
                [
                    f.activity.label_text,
                    f.activity.unit_text,
                    plain(f.previous),
                    plain(f.previous_recycled_share),
                    plain(f.quantity),
                    plain(f.recycled_share),
                ]
            )
        return "\ufeff" + out.getvalue()


def customer_pack(reporting_year: ReportingYear, language: str) -> tuple[bytes, list[str]]:
    """The zip, and the names of its files."""
    org = reporting_year.organisation
    base = f"{slugify(org.name)}-{reporting_year.year}"
    files: dict[str, bytes] = {
        f"{base}-vsme.xlsx": export_xlsx(reporting_year),
        f"{base}-vsme-xbrl.json": json.dumps(
            export_xbrl_json(reporting_year), ensure_ascii=False, indent=1
        ).encode(),
        f"{base}-plan-d-action.xlsx": action_plan_xlsx(org, language),
        f"{base}-index-des-preuves.csv": evidence_index_csv(org, language).encode("utf-8"),
    }
    latest = (
        Diagnosis.objects.filter(organisation=org, status__in=Diagnosis.FINAL)
        .select_related("organisation", "validated_by", "completed_by")
        .order_by("-completed_at")
        .first()
    )
    figures = customer_figures(org, reporting_year.year)
    if figures:
        files[f"{base}-transport-emballages.csv"] = transport_packaging_csv(figures, language).encode("utf-8")
    if latest is not None:
        files[f"{base}-diagnostic-rse.pdf"] = html_to_pdf(diagnosis_report_html(latest, language))
    with translation.override(language):
        readme = "\n".join(
            [
                _("Customer pack of %(company)s, prepared on %(date)s with Parcours.")
                % {"company": org.name, "date": timezone.localdate().isoformat()},
                "",
                *(f"- {name}" for name in files),
                "",
                _(
                    "The VSME files follow EFRAG's digital template 1.3.0 and its XBRL taxonomy. The evidence "
                    "index lists documents the company can show on request. The transport and packaging file, "
                    "when there is one, gives freight by mode and packaging by material with its recycled content."
                ),
            ]
        )
    files["LISEZ-MOI.txt" if language == "fr" else "README.txt"] = readme.encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return buffer.getvalue(), list(files)
