import html

import pytest
from django.urls import reverse

from parcours.learning.content import guidance, validate
from parcours.learning.models import LearningProgress
from parcours.learning.selectors import learning_overview

pytestmark = pytest.mark.django_db


def text(resp):
    return html.unescape(resp.content.decode())


def test_guidance_covers_every_core_subject_and_domain():
    assert validate() == []
    assert len(guidance()) == 7
    assert sum(len(g["domains"]) for g in guidance().values()) == 37


def test_reading_guides_and_the_self_check_track_progress(client, org, viewer):
    client.force_login(viewer)
    page = text(client.get(reverse("learn_subject", args=[org.slug, "labour_practices"])))
    assert "6.4.6" in page
    page = text(client.get(reverse("learn_domain", args=[org.slug, "labour_practices", "d6-4-6"])))
    assert "Obligations légales" in page
    resp = client.post(reverse("learn_mark_read", args=[org.slug, "labour_practices", "d6-4-6"]))
    assert resp["Location"] == reverse("learn_domain", args=[org.slug, "labour_practices", "d6-4-7"])
    progress = LearningProgress.objects.get(user=viewer, core_subject="labour_practices")
    assert progress.domains_read == ["d6-4-6"]

    checks = guidance()["labour_practices"]["self_check"]
    url = reverse("learn_self_check", args=[org.slug, "labour_practices"])
    resp = client.post(url, {checks[0]["key"]: "0"})
    assert resp.status_code == 400  # every question must be answered
    answers = {q["key"]: str(next(i for i, o in enumerate(q["options"]) if o.get("correct"))) for q in checks}
    answers[checks[0]["key"]] = str(
        next(i for i, o in enumerate(checks[0]["options"]) if not o.get("correct"))
    )
    page = text(client.post(url, answers))
    assert f"{len(checks) - 1} sur {len(checks)}" in page
    progress.refresh_from_db()
    assert (progress.self_check_score, progress.self_check_total) == (len(checks) - 1, len(checks))
    row = next(r for r in learning_overview(viewer) if r.core_subject.key == "labour_practices")
    assert row.self_checked and not row.completed and row.domains_read == 1


def test_diagnosis_question_links_to_its_guide(client, org, editor):
    from parcours.testing import DiagnosisFactory

    diagnosis = DiagnosisFactory(organisation=org)
    client.force_login(editor)
    page = text(client.get(reverse("domain_detail", args=[org.slug, diagnosis.pk, "d6-4-6"])))
    assert reverse("learn_domain", args=[org.slug, "labour_practices", "d6-4-6"]) in page


def test_unknown_subject_or_domain_is_404(client, org, viewer):
    client.force_login(viewer)
    assert client.get(reverse("learn_subject", args=[org.slug, "nope"])).status_code == 404
    assert (
        client.get(reverse("learn_domain", args=[org.slug, "labour_practices", "d6-5-5"])).status_code == 404
    )
