"""Report generation as a background task (inline by default, `db_worker` in production)."""

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from parcours.organisations.services import audit_record

from . import documents, pack
from .models import ReportJob


def _set(job: ReportJob, **fields: object) -> None:
    for k, v in fields.items():
        setattr(job, k, v)
    job.save(update_fields=list(fields))


@task()
def generate_report(job_id: int) -> str:
    job = ReportJob.objects.select_related(
        "organisation", "diagnosis__organisation", "diagnosis__referential_version", "reporting_year"
    ).get(pk=job_id)
    _set(job, status=ReportJob.Status.RUNNING, progress=10)
    try:
        if job.kind == ReportJob.Kind.CUSTOMER_PACK and job.reporting_year is not None:
            content, _names = pack.customer_pack(job.reporting_year, job.language)
        else:
            if job.kind == ReportJob.Kind.DIAGNOSIS_PDF and job.diagnosis is not None:
                html = documents.diagnosis_report_html(job.diagnosis, job.language)
            else:
                html = documents.action_plan_html(job.organisation, job.language)
            _set(job, progress=50)
            content = documents.html_to_pdf(html)
        name = ReportJob.new_file_name(job.suffix)
        settings.PRIVATE_FILES_DIR.mkdir(parents=True, exist_ok=True)
        (settings.PRIVATE_FILES_DIR / name).write_bytes(content)
        _set(job, status=ReportJob.Status.DONE, progress=100, file_name=name, finished_at=timezone.now())
    except Exception as exc:
        _set(job, status=ReportJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        raise
    audit_record(
        actor=job.created_by,
        organisation=job.organisation,
        action="report.generated",
        obj=job,
        changes={"kind": job.kind},
    )
    return name
