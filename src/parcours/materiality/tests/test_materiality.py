import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.diagnoses.services import diagnosis_complete
from parcours.materiality.models import MaterialityRating, Stakeholder, Survey, SurveyResponse
from parcours.materiality.selectors import materiality_rows, significance_map
from parcours.testing import DiagnosisFactory, answer_all

pytestmark = pytest.mark.django_db


def text(resp):
    return html.unescape(resp.content.decode())


def test_stakeholder_register_with_validation(client, org, editor):
    client.force_login(editor)
    url = reverse("stakeholder_new", args=[org.slug])
    resp = client.post(
        url, {"group": "customers", "name": "", "influence": "9", "dependence": "2", "frequency": "yearly"}
    )
    assert resp.status_code == 400
    assert "Ce champ est obligatoire" in text(resp)
    resp = client.post(
        url,
        {
            "group": "customers",
            "name": "Grands comptes automobile",
            "expectations": "Bilan carbone des livraisons",
            "influence": "4",
            "dependence": "3",
            "engagement": "Revue fournisseur",
            "frequency": "yearly",
        },
    )
    assert resp.status_code == 302
    s = Stakeholder.objects.get(organisation=org)
    assert (s.influence, s.dependence) == (4, 3)
    assert "Grands comptes automobile" in text(client.get(reverse("stakeholder_list", args=[org.slug])))


def test_materiality_reason_required_and_matrix_drawn(client, org, editor):
    diagnosis = DiagnosisFactory(organisation=org)
    answer_all(diagnosis, level=1)
    diagnosis_complete(actor=None, diagnosis=diagnosis)
    customers = Stakeholder.objects.create(organisation=org, group="customers", name="Clients")
    client.force_login(editor)
    url = reverse("materiality_save", args=[org.slug, "d6-5-5"])
    resp = client.post(url, {"relevant": "no", "reason": ""}, follow=True)
    assert "Indiquez pourquoi ce domaine" in text(resp)
    assert not MaterialityRating.objects.exists()
    client.post(url, {"relevant": "yes", "significance": "4", "impact": "3", "raised_by": [customers.pk]})
    rating = MaterialityRating.objects.get(organisation=org, domain_key="d6-5-5")
    assert (rating.significance, rating.impact) == (4, 3)
    assert list(rating.raised_by.all()) == [customers]
    page = text(client.get(reverse("materiality", args=[org.slug])))
    assert 'class="chart chart-matrix"' in page
    assert significance_map(org) == {"d6-5-5": 4}


def test_materiality_rejects_another_organisations_stakeholder(client, org, other_org, editor):
    foreign = Stakeholder.objects.create(organisation=other_org, group="customers", name="Pas à nous")
    client.force_login(editor)
    resp = client.post(
        reverse("materiality_save", args=[org.slug, "d6-5-5"]),
        {"relevant": "yes", "raised_by": [foreign.pk]},
        follow=True,
    )
    assert resp.status_code == 200
    assert not MaterialityRating.objects.filter(raised_by=foreign).exists()


def test_survey_private_link_one_answer_per_respondent_and_bounded(client, org, editor):
    survey = Survey.objects.create(
        organisation=org, title="Vos attentes", domain_keys=["d6-5-5", "d6-4-6"], max_responses=2
    )
    url = reverse("survey_public", args=[survey.token])
    assert client.get(url).status_code == 200
    resp = client.post(url, {"d6-5-5": "3", "d6-4-6": "1", "d6-6-3": "3"})
    assert "Merci" in text(resp)
    assert SurveyResponse.objects.get().ratings == {"d6-5-5": 3, "d6-4-6": 1}  # a domain not asked is ignored
    resp = client.post(url, {"d6-5-5": "0"})
    assert resp.status_code == 409 and "déjà répondu" in text(resp)
    other = client.__class__()
    assert "Merci" in text(other.post(url, {"d6-5-5": "2"}))
    third = client.__class__()
    resp = third.post(url, {"d6-5-5": "2"})
    assert resp.status_code == 409
    assert SurveyResponse.objects.count() == 2
    # junk ratings are refused with a message, not a 500
    fourth = client.__class__()
    resp = fourth.post(url, {"d6-5-5": "99"})
    assert resp.status_code in (400, 409)


def test_expired_survey_is_closed_and_unknown_token_404(client, org):
    survey = Survey.objects.create(
        organisation=org,
        title="Ancienne",
        domain_keys=["d6-5-5"],
        expires_at=timezone.now() - timedelta(days=1),
    )
    resp = client.post(reverse("survey_public", args=[survey.token]), {"d6-5-5": "3"})
    assert resp.status_code == 410
    assert not SurveyResponse.objects.exists()
    assert client.get(reverse("survey_public", args=["nope"])).status_code == 404


def test_survey_results_feed_significance(client, org, editor):
    survey = Survey.objects.create(organisation=org, title="Vos attentes", domain_keys=["d6-5-5"])
    for value in (3, 3, 2):
        SurveyResponse.objects.create(
            survey=survey, respondent=f"r{value}{SurveyResponse.objects.count()}", ratings={"d6-5-5": value}
        )
    row = next(r for r in materiality_rows(org) if r.domain.key == "d6-5-5")
    assert row.suggested_significance == 4  # mean 2.67 on 0–3 → 4 on 1–4
    client.force_login(editor)
    client.post(reverse("materiality_apply_survey", args=[org.slug]))
    assert significance_map(org) == {"d6-5-5": 4}
