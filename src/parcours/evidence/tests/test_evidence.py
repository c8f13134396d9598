import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parcours.actions.models import Action
from parcours.evidence.models import Evidence
from parcours.referential.selectors import referential_tree
from parcours.testing import DiagnosisFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da6300010000050001"
    "0d0a2db40000000049454e44ae426082"
)


def text(resp):
    return html.unescape(resp.content.decode())


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path
    return tmp_path


@pytest.fixture
def question_url(org):
    diagnosis = DiagnosisFactory(organisation=org)
    q = next(iter(referential_tree(diagnosis.referential_version).questions.values()))
    return diagnosis, q, reverse("answer_evidence_add", args=[org.slug, diagnosis.pk, q.key])


def upload(client, url, name, content):
    return client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("duerp.pdf", PDF),
        ("photo.png", PNG),
        ("registre.csv", b"Date;Accident\n2026-01-05;Coupure\n"),
    ],
)
def test_allowed_files_are_kept_outside_the_web_root(
    client, org, editor, question_url, private_dir, name, content
):
    _diagnosis, q, url = question_url
    client.force_login(editor)
    resp = upload(client, url, name, content)
    assert "Fichier joint" in text(resp)
    evidence = Evidence.objects.get()
    assert evidence.answer.question == q and evidence.original_name == name
    stored = private_dir / "evidence" / evidence.stored_name
    assert stored.read_bytes() == content and name not in evidence.stored_name
    resp = client.get(reverse("evidence_download", args=[org.slug, evidence.pk]))
    assert resp["Content-Disposition"].startswith("attachment;")
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert "text/html" not in resp["Content-Type"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", b"<html><script>alert(1)</script></html>"),  # HTML named .pdf
        (
            "logo.csv",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        ),  # SVG named .csv
        ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        ("programme.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
        ("vide.pdf", b""),
    ],
)
def test_wrong_types_are_refused_by_content(client, org, editor, question_url, name, content):
    _d, _q, url = question_url
    client.force_login(editor)
    resp = upload(client, url, name, content)
    assert resp.status_code == 200
    assert "n'est pas accepté" in text(resp) or "vide" in text(resp)
    assert not Evidence.objects.exists()


def test_size_limit_and_quota(client, org, editor, question_url, settings):
    _d, _q, url = question_url
    client.force_login(editor)
    settings.EVIDENCE_MAX_BYTES = 1000
    assert "la limite est" in text(upload(client, url, "gros.pdf", PDF + b"x" * 2000))
    settings.EVIDENCE_MAX_BYTES = 10_000
    settings.EVIDENCE_QUOTA_BYTES = len(PDF) + 10
    upload(client, url, "un.pdf", PDF)
    assert "est plein" in text(upload(client, url, "deux.pdf", PDF))
    assert Evidence.objects.count() == 1


def test_action_evidence_and_another_organisations_file(client, org, other_org, editor, outsider):
    action = Action.objects.create(organisation=org, title="Plan")
    client.force_login(editor)
    upload(client, reverse("action_evidence_add", args=[org.slug, action.pk]), "facture.pdf", PDF)
    evidence = Evidence.objects.get(action=action)
    assert "facture.pdf" in text(client.get(reverse("action_detail", args=[org.slug, action.pk])))
    client.force_login(outsider)
    assert client.get(reverse("evidence_download", args=[other_org.slug, evidence.pk])).status_code == 404
    assert client.get(reverse("evidence_download", args=[org.slug, evidence.pk])).status_code == 404


def test_delete_removes_the_file(
    client, org, editor, question_url, private_dir, django_capture_on_commit_callbacks
):
    _d, _q, url = question_url
    client.force_login(editor)
    upload(client, url, "a.pdf", PDF)
    evidence = Evidence.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evidence_delete", args=[org.slug, evidence.pk]))
    assert not Evidence.objects.exists()
    assert not (private_dir / "evidence" / evidence.stored_name).exists()


def test_no_file_chosen_gets_a_message(client, org, editor, question_url):
    _d, _q, url = question_url
    client.force_login(editor)
    assert "Choisissez un fichier" in text(client.post(url, {}, follow=True))
