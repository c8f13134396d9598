import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from parcours.actions.models import Action
from parcours.diagnoses.services import diagnosis_complete
from parcours.evidence.models import Evidence
from parcours.organisations.models import AuditEntry
from parcours.referential.models import Domain
from parcours.reports.models import ReportJob
from parcours.testing import DiagnosisFactory, answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(org):
    diagnosis = DiagnosisFactory(organisation=org)
    answer_all(diagnosis, level=2)
    diagnosis.answers.filter(question__domain__key="d6-4-6").update(comment="=DUERP revu en mars")
    return diagnosis_complete(actor=None, diagnosis=diagnosis)


@pytest.fixture
def plan(org, owner):
    for i, key in enumerate(["d6-5-5", "d6-4-6", "d6-4-7"]):
        a = Action.objects.create(
            organisation=org, title=f"Action numéro {i}", owner=owner, status="planned", budget=100 * i
        )
        a.domains.add(Domain.objects.get(version__is_current=True, key=key))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Rapport de diagnostic RSE"), ("en", "CSR diagnosis report")]
)
def test_diagnosis_pdf_generated_in_the_background_and_downloaded(
    client, org, viewer, completed, plan, language, title, settings, tmp_path
):
    settings.PRIVATE_FILES_DIR = tmp_path
    answer = completed.answers.filter(question__domain__key="d6-4-6").first()
    Evidence.objects.create(
        organisation=org,
        answer=answer,
        original_name="registre_accidents.pdf",
        stored_name="x1",
        content_type="application/pdf",
        size=10,
    )
    client.force_login(viewer)
    resp = client.post(
        reverse("report_request", args=[org.slug]),
        {"kind": "diagnosis_pdf", "diagnosis": completed.pk, "language": language},
    )
    job = ReportJob.objects.get()
    assert resp["Location"] == reverse("report_detail", args=[org.slug, job.pk])
    assert job.status == ReportJob.Status.DONE and job.progress == 100  # inline task backend
    assert (
        (tmp_path / job.file_name).exists()
        and job.file_name.endswith(".pdf")
        and org.slug not in job.file_name
    )
    resp = client.get(reverse("report_download", args=[org.slug, job.pk]))
    assert resp["Content-Type"] == "application/pdf"
    assert resp["Content-Disposition"].startswith("attachment;")
    text = pdf_text(b"".join(resp.streaming_content))
    assert title in text
    assert "Atelier Test" in text
    assert "Action numéro 1" in text
    assert "DUERP revu en mars" in text
    assert "registre_accidents.pdf" in text  # the evidence list in the annex
    assert AuditEntry.objects.filter(action="report.downloaded").exists()


def test_report_job_page_polls_until_ready(client, org, viewer):
    job = ReportJob.objects.create(
        organisation=org, kind="action_plan_pdf", language="fr", status="running", progress=50
    )
    client.force_login(viewer)
    page = client.get(reverse("report_detail", args=[org.slug, job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "50" in page
    job.status, job.progress = "done", 100
    job.save()
    page = client.get(
        reverse("report_detail", args=[org.slug, job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "every 2s" not in page and reverse("report_download", args=[org.slug, job.pk]) in page


def test_download_of_an_unfinished_or_foreign_report_is_404(client, org, other_org, viewer, outsider):
    job = ReportJob.objects.create(organisation=org, kind="action_plan_pdf", language="fr")
    client.force_login(viewer)
    assert client.get(reverse("report_download", args=[org.slug, job.pk])).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("report_download", args=[other_org.slug, job.pk])).status_code == 404


def test_action_plan_xlsx_one_sheet_per_core_subject(client, org, viewer, plan):
    client.force_login(viewer)
    resp = client.get(reverse("action_plan_xlsx", args=[org.slug]))
    assert resp["Content-Disposition"].startswith('attachment; filename="atelier-test-plan-action.xlsx"')
    wb = load_workbook(io.BytesIO(resp.content))
    assert [name[:3] for name in sorted(wb.sheetnames)] == ["6.4", "6.5"]
    ws = wb[sorted(wb.sheetnames)[0]]
    assert ws["A2"].value == "Action" and ws.max_row == 4  # title, header, 2 actions
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$2:$2"


def test_action_plan_pdf(client, org, viewer, plan, settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path
    client.force_login(viewer)
    client.post(reverse("report_request", args=[org.slug]), {"kind": "action_plan_pdf", "language": "fr"})
    job = ReportJob.objects.get()
    text = pdf_text((tmp_path / job.file_name).read_bytes())
    assert "Plan d'action" in text and "Action numéro 2" in text


def test_diagnosis_csv_and_json(client, org, viewer, completed):
    client.force_login(viewer)
    resp = client.get(reverse("diagnosis_csv", args=[org.slug, completed.pk]))
    rows = list(csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == completed.answers.count()
    duerp = next(r for r in rows if r["domain"] == "6.4.6")
    assert duerp["comment"] == "'=DUERP revu en mars"  # formula neutralised
    data = json.loads(client.get(reverse("diagnosis_json", args=[org.slug, completed.pk])).content)
    assert data["results"]["overall"] == 500
    assert len(data["answers"]) == len(rows)


def test_bad_report_requests_get_messages_not_errors(client, org, viewer, other_org):
    client.force_login(viewer)
    resp = client.post(reverse("report_request", args=[org.slug]), {"kind": "nonsense"}, follow=True)
    assert resp.status_code == 200 and not ReportJob.objects.exists()
    foreign = DiagnosisFactory(organisation=other_org)
    resp = client.post(
        reverse("report_request", args=[org.slug]), {"kind": "diagnosis_pdf", "diagnosis": foreign.pk}
    )
    assert resp.status_code == 404
