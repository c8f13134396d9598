import re

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.diagnoses.selectors import diagnoses_of, get_diagnosis
from parcours.organisations.access import OrgAccess, org_view
from parcours.organisations.services import audit_record
from parcours.vsme.models import ReportingYear

from . import documents
from .models import ReportJob
from .tasks import generate_report

LANGS = dict(settings.LANGUAGES)


def _language(request: HttpRequest) -> str:
    lang = (
        request.POST.get("language") or request.GET.get("language") or getattr(request, "LANGUAGE_CODE", "fr")
    )
    return lang if lang in LANGS else "fr"


def _attachment(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@org_view("view_organisation")
def report_list(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    return render(
        request,
        "reports/list.html",
        {
            "access": access,
            "nav": "reports",
            "jobs": ReportJob.objects.filter(organisation=access.organisation).select_related(
                "diagnosis", "created_by"
            )[:30],
            "diagnoses": list(diagnoses_of(access.organisation)),
            "languages": settings.LANGUAGES,
        },
    )


@org_view("view_organisation")
@require_POST
def report_request(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    kind = request.POST.get("kind", "")
    if kind not in ReportJob.Kind.values:
        messages.error(request, _("Choose a kind of report."))
        return redirect("report_list", org_slug=access.organisation.slug)
    diagnosis = None
    if kind == ReportJob.Kind.DIAGNOSIS_PDF:
        raw = request.POST.get("diagnosis", "")
        if not raw.isdigit():
            messages.error(request, _("Choose the diagnosis to report on."))
            return redirect("report_list", org_slug=access.organisation.slug)
        diagnosis = get_diagnosis(access.organisation, int(raw))
    return _start(request, access, kind=kind, diagnosis=diagnosis)


def _start(request: HttpRequest, access: OrgAccess, **fields: object) -> HttpResponse:
    """Queue a document for the background worker and show its progress page."""
    job = ReportJob.objects.create(
        organisation=access.organisation,
        language=_language(request),
        created_by=request.user if request.user.is_authenticated else None,
        **fields,
    )
    try:
        generate_report.enqueue(job.pk)
    except Exception:  # the job records its failure; the person sees it on the job page
        job.refresh_from_db()
    return redirect("report_detail", org_slug=access.organisation.slug, job_id=job.pk)


@org_view("view_organisation")
def report_detail(request: HttpRequest, access: OrgAccess, job_id: int) -> HttpResponse:
    job = get_object_or_404(ReportJob, organisation=access.organisation, pk=job_id)
    template = "reports/_job.html" if request.htmx else "reports/detail.html"  # type: ignore[attr-defined]
    return render(request, template, {"access": access, "nav": "reports", "job": job})


@org_view("view_organisation")
def report_download(request: HttpRequest, access: OrgAccess, job_id: int) -> FileResponse:
    job = get_object_or_404(
        ReportJob, organisation=access.organisation, pk=job_id, status=ReportJob.Status.DONE
    )
    path = settings.PRIVATE_FILES_DIR / job.file_name
    if not job.file_name or not path.is_file():
        raise Http404
    audit_record(actor=request.user, organisation=access.organisation, action="report.downloaded", obj=job)
    name = f"{slugify(access.organisation.name)}-{job.kind.replace('_', '-')}-{job.created_at:%Y%m%d}{job.suffix}"
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=job.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@org_view("view_organisation")
def action_plan_xlsx(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    org = access.organisation
    audit_record(actor=request.user, organisation=org, action="export.action_plan_xlsx", obj=org)
    return _attachment(
        documents.action_plan_xlsx(org, _language(request)),
        f"{slugify(org.name)}-plan-action.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@org_view("view_organisation")
def diagnosis_export(request: HttpRequest, access: OrgAccess, diagnosis_id: int, fmt: str) -> HttpResponse:
    diagnosis = get_diagnosis(access.organisation, diagnosis_id)
    org = access.organisation
    audit_record(actor=request.user, organisation=org, action=f"export.diagnosis_{fmt}", obj=diagnosis)
    name = f"{slugify(org.name)}-diagnostic-{diagnosis.created_at:%Y%m%d}.{fmt}"
    if fmt == "csv":
        return _attachment(
            documents.diagnosis_csv(diagnosis, _language(request)), name, "text/csv; charset=utf-8"
        )
    return _attachment(documents.diagnosis_json(diagnosis, _language(request)), name, "application/json")


@org_view("view_organisation")
@require_POST
def customer_pack(request: HttpRequest, access: OrgAccess, year: int) -> HttpResponse:
    """The customer pack of a reporting year, built in the background like the PDF reports
    (it holds the diagnosis report, whose PDF takes seconds to render)."""
    ry = get_object_or_404(ReportingYear, organisation=access.organisation, year=year)
    return _start(request, access, kind=ReportJob.Kind.CUSTOMER_PACK, reporting_year=ry)
